using System.Globalization;

namespace Connector.Sync.Tests.Recurrence;

/// <summary>
/// Issue 7, first sync of a mailbox: a series already in Exchange is materialised in vtenext and a series already in
/// vtenext is pushed to Exchange, each exactly once, without invitations; a series begun long ago becomes records from
/// the sync window on, not years of past occurrences.
/// </summary>
public class InitialSeriesSyncTests() : SeriesScenario(horizonMonths: 2, enableAlice: false)
{
    [Fact]
    public async Task Series_on_either_side_before_the_first_sync_are_materialised_and_pushed_once()
    {
        var wednesday = SeriesWorld.NextWeekday(S.Today, DayOfWeek.Wednesday);
        var inExchange = await S.CreateExchangeSeriesAsync("Existing weekly", wednesday.ToDateTime(new TimeOnly(15, 0)), TimeSpan.FromHours(1), Zone,
            SeriesWorld.Weekly(DayOfWeek.Wednesday, wednesday, Zone));
        var exchangeDates = SeriesWorld.WeeklyDates(wednesday, S.Today.AddMonths(2));
        var thursday = SeriesWorld.NextWeekday(S.Today, DayOfWeek.Thursday);
        var crmDates = Enumerable.Range(0, 3).Select(i => thursday.AddDays(7 * i)).ToList();
        var inCrm = await S.SeedCrmSeriesAsync("Existing in CRM", crmDates, new TimeOnly(11, 0), "crm-series-existing", "Weekly::4");
        // A weekly meeting that began a year ago: only the occurrences from the sync window on (30 days back) become records.
        var longAgo = SeriesWorld.NextWeekday(S.Today.AddDays(-371), DayOfWeek.Friday);
        var old = await S.CreateExchangeSeriesAsync("Since last year", longAgo.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(1), Zone,
            SeriesWorld.Weekly(DayOfWeek.Friday, longAgo, Zone));
        var allOld = SeriesWorld.WeeklyDates(longAgo, S.Today.AddMonths(2));
        var windowStart = S.Today.AddDays(-30);

        await S.W.EnableAsync(S.W.AliceId, SyncWorld.Alice);

        var records = await S.RecordsWhenAsync(inExchange.ICalUId!, r => r.Count == exchangeDates.Count, "the Exchange series materialised in vtenext");
        Assert.Equal(exchangeDates, records.Select(r => DateOnly.FromDateTime(r.DateStart)));
        var alice = S.W.Mailbox(SyncWorld.Alice);
        var pushed = await SyncWorld.Eventually(async () => (await alice.FindEventsByCrmIdAsync(inCrm[0].CrmId.ToString(CultureInfo.InvariantCulture)))
            .SingleOrDefault(e => e.Type == "seriesMaster"), "the CRM series in Exchange");
        Assert.Equal("Existing in CRM", pushed.Subject);
        Assert.Equal(crmDates.Count, (await alice.ListInstancesAsync(pushed.Id!, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(3))).Count);

        var oldRecords = await S.RecordsWhenAsync(old.ICalUId!, r => r.Count == allOld.Count(d => d >= windowStart), "the old series from the window on");
        Assert.Equal(allOld.Where(d => d >= windowStart), oldRecords.Select(r => DateOnly.FromDateTime(r.DateStart)));
        Assert.Equal(allOld.Select((d, i) => (d, i)).Where(x => x.d >= windowStart).Select(x => x.i), oldRecords.Select(r => r.Idx));

        // Once each: one series in Exchange per CRM series, one record per occurrence, no echo.
        await S.W.QuietAsync();
        Assert.Single(await alice.FindEventsByCrmIdAsync(inCrm[0].CrmId.ToString(CultureInfo.InvariantCulture)));
        Assert.Single(await alice.FindEventsByICalUIdAsync(inExchange.ICalUId!));
        var writes = await S.W.ConnectorQueryAsync<string>("SELECT CONCAT(action, ' ', side) FROM exc_sync_log WHERE action IN ('Create','Update','Delete') ORDER BY id");
        Assert.Equal(1, writes.Count(w => w == "Create Exchange"));
        Assert.Equal(exchangeDates.Count + oldRecords.Count, writes.Count(w => w == "Create Crm"));
        Assert.DoesNotContain(writes, w => w.StartsWith("Update", StringComparison.Ordinal) || w.StartsWith("Delete", StringComparison.Ordinal));
        Assert.Equal(exchangeDates.Count, await S.W.CrmScalarAsync<int>("SELECT COUNT(*) FROM vte_activity WHERE ical_uuid = @uid", new { uid = inExchange.ICalUId }));
        Assert.Empty(await S.W.FailedJobsAsync());
    }

    [Fact]
    public async Task A_series_our_push_left_without_a_link_is_adopted_by_its_stamp_not_copied_back_into_the_crm()
    {
        // What the feed sees when it reads a pushed master before the push stored its link (or after a crash lost it):
        // the CRM series, and in Exchange a series with an iCalUId of Exchange's own carrying the first record's CRM id.
        var tuesday = SeriesWorld.NextWeekday(S.Today, DayOfWeek.Tuesday);
        var dates = Enumerable.Range(0, 3).Select(i => tuesday.AddDays(7 * i)).ToList();
        var inCrm = await S.SeedCrmSeriesAsync("Pushed weekly", dates, new TimeOnly(10, 0), "crm-series-pushed", "Weekly::3");
        var pushed = new Connector.Exchange.Graph.Models.Event
        {
            Subject = "Pushed weekly",
            Start = SeriesWorld.Local(tuesday.ToDateTime(new TimeOnly(10, 0)), "UTC"),
            End = SeriesWorld.Local(tuesday.ToDateTime(new TimeOnly(11, 0)), "UTC"),
            Recurrence = SeriesWorld.Weekly(DayOfWeek.Tuesday, tuesday, "UTC", count: 3),
        };
        Connector.Exchange.Graph.Client.GraphMailboxClient.StampCrmId(pushed, inCrm[0].CrmId.ToString(CultureInfo.InvariantCulture));
        var master = await S.W.Mailbox(SyncWorld.Alice).CreateEventAsync(pushed);

        await S.W.EnableAsync(S.W.AliceId, SyncWorld.Alice);
        await SyncWorld.Eventually(async () => (await S.W.ConnectorQueryAsync<long>(
            "SELECT COUNT(*) FROM exc_series_links WHERE crm_uid = 'crm-series-pushed'"))[0] > 0 ? (object)true : null, "the series linked");
        await S.W.QuietAsync();

        Assert.Equal(3, (await S.RecordsAsync("crm-series-pushed")).Count);
        Assert.Empty(await S.RecordsAsync(master.ICalUId!));
        Assert.Single(await S.W.Mailbox(SyncWorld.Alice).FindEventsByCrmIdAsync(inCrm[0].CrmId.ToString(CultureInfo.InvariantCulture)));
        var writes = await S.W.ConnectorQueryAsync<string>("SELECT CONCAT(action, ' ', side) FROM exc_sync_log WHERE action IN ('Create','Update','Delete')");
        Assert.DoesNotContain("Create Crm", writes);
        Assert.DoesNotContain("Create Exchange", writes);
        Assert.Equal([1L], await S.W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_series_links WHERE crm_uid = 'crm-series-pushed'"));
        Assert.Empty(await S.W.FailedJobsAsync());
    }
}
