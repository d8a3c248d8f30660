using System.Globalization;
using System.Net.Http.Json;
using Connector.Exchange.Graph.Models;
using Connector.Vtenext.Webservice;

namespace Connector.Sync.Tests.Recurrence;

/// <summary>
/// Issue 7, series edited in vtenext, end to end: one edited occurrence record becomes an Exchange exception, a deleted
/// record a deleted occurrence, an edit of every record the master; a series made in vtenext (records sharing
/// <c>ical_uuid</c> with their rule rows) becomes an Exchange series; a move Exchange would refuse is shown at
/// <c>GET /api/v1/errors</c> once, not retried.
/// </summary>
public class CrmSeriesScenarioTests() : SeriesScenario(horizonMonths: 2)
{
    private SyncWorld W => S.W;

    private async Task<(Event Master, List<DateOnly> Dates, IReadOnlyList<CrmOccurrenceRow> Records)> WeeklyMeetingAsync(string subject)
    {
        var first = SeriesWorld.NextWeekday(S.Today, DayOfWeek.Monday);
        var master = await S.CreateExchangeSeriesAsync(subject, first.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromMinutes(30), Zone,
            SeriesWorld.Weekly(DayOfWeek.Monday, first, Zone));
        var dates = SeriesWorld.WeeklyDates(first, S.Today.AddMonths(2));
        var records = await S.RecordsWhenAsync(master.ICalUId!, r => r.Count == dates.Count, $"{dates.Count} occurrence records in vtenext");
        return (master, dates, records);
    }

    private async Task<ElementId> WsIdAsync(long crmId) => new((await W.Crm.DescribeAsync("Events")).IdPrefix, (int)crmId);

    private async Task<List<Event>> InstancesAsync(string masterId) =>
        (await W.Mailbox(SyncWorld.Alice).ListInstancesAsync(masterId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(3)))
        .OrderBy(i => i.OriginalStart).ToList();

    private static DateOnly OriginalDate(Event instance) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instance.OriginalStart!.Value, TimeZoneInfo.FindSystemTimeZoneById(SyncWorld.ServerZone)).DateTime);

    private static string LocalTime(DateTimeTimeZone t) =>
        TimeZoneInfo.ConvertTime(t.ToInstant(), TimeZoneInfo.FindSystemTimeZoneById(SyncWorld.ServerZone)).ToString("HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_edited_occurrence_a_deleted_one_and_an_edit_of_all_records_in_vtenext_reach_the_exchange_series()
    {
        var (master, dates, records) = await WeeklyMeetingAsync("Review");

        // One record moved to 10:00: that occurrence becomes an exception; the others stay occurrences.
        await W.CrmReviseAsync("Events", await WsIdAsync(records[1].Id), new() { ["time_start"] = "10:00", ["time_end"] = "10:30" });
        var exception = await SyncWorld.Eventually(async () => (await InstancesAsync(master.Id!))
            .FirstOrDefault(i => OriginalDate(i) == dates[1] && i.Type == "exception" && LocalTime(i.Start!) == "10:00"), "the exception in Exchange");
        Assert.Equal("10:30", LocalTime(exception.End!));

        // One record deleted: its occurrence is deleted from the series.
        await W.CrmDeleteAsync("Events", await WsIdAsync(records[2].Id));
        await SyncWorld.Eventually(async () => (await InstancesAsync(master.Id!)).All(i => OriginalDate(i) != dates[2]) ? (object)true : null,
            "the occurrence deleted in Exchange");

        // Every record renamed (vtenext's "edit all" saves each record): the master is renamed, the exception stays.
        foreach (var r in records.Where(r => r.Idx != 2))
            await W.Crm.ReviseAsync(await WsIdAsync(r.Id), new Dictionary<string, object?> { ["subject"] = "Review (all)" });
        await W.NoticeAsync("Events", await WsIdAsync(records[0].Id), "save");
        var renamed = await SyncWorld.Eventually(async () => await W.Mailbox(SyncWorld.Alice).GetEventAsync(master.Id!) is { Subject: "Review (all)" } m ? m : null,
            "the master renamed in Exchange");
        Assert.Equal("noEnd", renamed.Recurrence!.Range!.Type); // the CRM holds it "until the horizon"; Exchange keeps no end
        await W.QuietAsync();
        var instances = await InstancesAsync(master.Id!);
        Assert.Equal(dates.Count - 1, instances.Count(i => OriginalDate(i) <= dates[^1]));
        Assert.All(instances, i => Assert.Equal("Review (all)", i.Subject));
        Assert.Equal("10:00", LocalTime(instances.Single(i => OriginalDate(i) == dates[1]).Start!));
        Assert.All(instances.Where(i => OriginalDate(i) != dates[1]), i => Assert.Equal("09:00", LocalTime(i.Start!)));

        // The CRM kept its records (same ids) and nothing failed or was created twice.
        var now = await S.RecordsAsync(master.ICalUId!);
        Assert.Equal(records.Where(r => r.Idx != 2).Select(r => r.Id), now.Select(r => r.Id));
        Assert.Empty(await W.FailedJobsAsync());
    }

    [Fact]
    public async Task A_series_made_in_vtenext_becomes_an_exchange_series()
    {
        // vtenext's repeat: one record per occurrence (Tuesdays 14:00, four times), sharing ical_uuid, numbered by
        // recurr_idx, the rule rows on the first record.
        var first = SeriesWorld.NextWeekday(S.Today, DayOfWeek.Tuesday);
        var dates = Enumerable.Range(0, 4).Select(i => first.AddDays(7 * i)).ToList();
        var ids = await S.SeedCrmSeriesAsync("Team lunch", dates, new TimeOnly(14, 0), "crm-series-lunch", "Weekly::2");
        await W.NoticeAsync("Events", ids[0], "save");

        var alice = W.Mailbox(SyncWorld.Alice);
        var master = await SyncWorld.Eventually(async () => (await alice.FindEventsByCrmIdAsync(ids[0].CrmId.ToString(CultureInfo.InvariantCulture)))
            .SingleOrDefault(e => e.Type == "seriesMaster"), "the series in Alice's calendar");
        Assert.Equal("Team lunch", master.Subject);
        Assert.Equal("weekly", master.Recurrence!.Pattern!.Type);
        Assert.Equal(["tuesday"], master.Recurrence.Pattern.DaysOfWeek!);
        Assert.Equal(("endDate", dates[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dates[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (master.Recurrence.Range!.Type, master.Recurrence.Range.StartDate, master.Recurrence.Range.EndDate));
        var instances = await InstancesAsync(master.Id!);
        Assert.Equal(dates, instances.Select(OriginalDate));
        Assert.All(instances, i => Assert.Equal("14:00", LocalTime(i.Start!)));

        // One series in Exchange, linked; the CRM's records untouched and nothing sent back.
        await W.QuietAsync();
        Assert.Single(await alice.FindEventsByCrmIdAsync(ids[0].CrmId.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(ids.Select(i => (long)i.CrmId), (await S.RecordsAsync("crm-series-lunch")).Select(r => r.Id));
        Assert.Equal(4, (await W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_links WHERE series_uid = 'crm-series-lunch'"))[0]);
        Assert.Empty(await W.FailedJobsAsync());
    }

    [Fact]
    public async Task An_occurrence_moved_past_its_neighbour_in_vtenext_is_reported_at_the_errors_endpoint_not_retried()
    {
        var (master, dates, records) = await WeeklyMeetingAsync("Stand-up");

        // The second occurrence dragged onto the third one's day: Exchange would refuse (ErrorOccurrenceCrossingBoundary).
        await W.CrmReviseAsync("Events", await WsIdAsync(records[1].Id), new()
        {
            ["date_start"] = dates[2].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["due_date"] = dates[2].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["time_start"] = "11:00", ["time_end"] = "11:30",
        });

        using var admin = W.Connector.Client(crmUserId: 1, admin: true);
        var error = await SyncWorld.Eventually(async () => (await admin.GetFromJsonAsync<FailedItemView[]>("/api/v1/errors"))!.FirstOrDefault(), "the failed item");
        Assert.Contains($"occurrence of {dates[1]:yyyy-MM-dd} cannot move to {dates[2]:yyyy-MM-dd}", error.LastError);
        Assert.Contains("neighbour", error.LastError);
        Assert.Equal(1, error.Attempts); // permanent: not retried

        // Exchange was not touched: the occurrence is still on its day at 09:00.
        var second = (await InstancesAsync(master.Id!)).Single(i => OriginalDate(i) == dates[1]);
        Assert.Equal(("occurrence", "09:00"), (second.Type, LocalTime(second.Start!)));
    }

    private sealed record FailedItemView(long Id, string Kind, int Attempts, string? LastError);
}
