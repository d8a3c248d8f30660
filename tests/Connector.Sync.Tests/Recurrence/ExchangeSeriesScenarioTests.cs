using System.Globalization;
using Connector.Exchange.Graph.Models;

namespace Connector.Sync.Tests.Recurrence;

/// <summary>
/// Issue 7, a series made in Exchange, end to end (real connector, MariaDB, simulators): an endless weekly meeting
/// becomes vtenext occurrence records up to the horizon (shared <c>ical_uuid</c>, <c>recurr_idx</c>, the rule rows),
/// moving the clock extends them; an exception, a deleted occurrence and a whole-series edit made in Exchange change
/// only what they should, keeping every record's CRM id; deleting the series deletes its records.
/// </summary>
public class ExchangeSeriesScenarioTests() : SeriesScenario(horizonMonths: 2)
{
    private async Task<(Event Master, List<DateOnly> Dates, IReadOnlyList<CrmOccurrenceRow> Records)> WeeklyMeetingAsync(string subject)
    {
        var first = SeriesWorld.NextWeekday(S.Today, DayOfWeek.Monday);
        var master = await S.CreateExchangeSeriesAsync(subject, first.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromMinutes(30), Zone,
            SeriesWorld.Weekly(DayOfWeek.Monday, first, Zone));
        var dates = SeriesWorld.WeeklyDates(first, S.Today.AddMonths(2));
        var records = await S.RecordsWhenAsync(master.ICalUId!, r => r.Count == dates.Count, $"{dates.Count} occurrence records in vtenext");
        return (master, dates, records);
    }

    [Fact]
    public async Task An_endless_weekly_meeting_is_materialised_up_to_the_horizon_and_extended_as_time_passes()
    {
        var (master, dates, records) = await WeeklyMeetingAsync("Weekly sync");

        Assert.Equal(Enumerable.Range(0, dates.Count), records.Select(r => r.Idx));
        Assert.Equal(dates, records.Select(r => DateOnly.FromDateTime(r.DateStart)));
        Assert.All(records, r =>
        {
            Assert.Equal(master.ICalUId, r.Uid);
            Assert.Equal("Weekly sync", r.Subject);
            Assert.Equal("09:00", r.TimeStart[..5]);
            Assert.Equal("09:30", r.TimeEnd[..5]);
            Assert.Equal("Weekly", r.RecurringType);
        });
        // The rule as vtenext keeps it: one vte_recurringevents row per occurrence date, on the first record.
        var rows = await S.W.CrmQueryAsync<(DateTime Date, string Type, string Info)>(
            "SELECT recurringdate, recurringtype, recurringinfo FROM vte_recurringevents WHERE activityid = @id ORDER BY recurringdate", new { id = records[0].Id });
        Assert.Equal(dates, rows.Select(r => DateOnly.FromDateTime(r.Date)));
        Assert.All(rows, r => Assert.Equal(("Weekly", "Weekly::1"), (r.Type, r.Info)));

        // A month later the horizon has moved on: the series gains its next occurrences; the old records stay as they were.
        S.Clock.Offset = TimeSpan.FromDays(31);
        var later = SeriesWorld.WeeklyDates(dates[0], S.Today.AddMonths(2));
        Assert.True(later.Count > dates.Count);
        var extended = await S.RecordsWhenAsync(master.ICalUId!, r => r.Count == later.Count, "the series extended to the new horizon");
        Assert.Equal(records.Select(r => r.Id), extended.Take(records.Count).Select(r => r.Id));
        Assert.Equal(later, extended.Select(r => DateOnly.FromDateTime(r.DateStart)));
        Assert.Equal(Enumerable.Range(0, later.Count), extended.Select(r => r.Idx));
        Assert.Empty(await S.W.FailedJobsAsync());
    }

    [Fact]
    public async Task An_exception_a_deleted_occurrence_an_edit_of_the_whole_series_and_its_deletion_in_exchange_reach_the_records()
    {
        var (master, dates, records) = await WeeklyMeetingAsync("Planning");
        var alice = S.W.Mailbox(SyncWorld.Alice);
        var instances = (await alice.ListInstancesAsync(master.Id!, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(3)))
            .OrderBy(i => i.Start!.ToInstant()).ToList();

        // One occurrence moved to 11:00 and renamed: only its record changes.
        var moved = dates[2].ToDateTime(new TimeOnly(11, 0));
        await alice.UpdateEventAsync(instances[2].Id!, new Event
        {
            Subject = "Planning (moved)",
            Start = SeriesWorld.Local(moved, Zone),
            End = SeriesWorld.Local(moved.AddMinutes(30), Zone),
        });
        var afterException = await S.RecordsWhenAsync(master.ICalUId!, r => r.Any(x => x.Idx == 2 && x.TimeStart.StartsWith("11:00", StringComparison.Ordinal)),
            "the exception on its record");
        Assert.Equal(records.Select(r => r.Id), afterException.Select(r => r.Id));
        Assert.Equal("Planning (moved)", afterException[2].Subject);
        Assert.All(afterException.Where(r => r.Idx != 2), r => Assert.Equal(("Planning", "09:00"), (r.Subject, r.TimeStart[..5])));

        // One occurrence deleted: its record goes, the others keep their ids and indexes.
        await alice.DeleteEventAsync(instances[3].Id!);
        var afterDelete = await S.RecordsWhenAsync(master.ICalUId!, r => r.Count == dates.Count - 1, "the deleted occurrence's record gone");
        Assert.Equal(records.Where(r => r.Idx != 3).Select(r => r.Id), afterDelete.Select(r => r.Id));
        Assert.Equal(1, await S.W.CrmScalarAsync<int>("SELECT deleted FROM vte_crmentity WHERE crmid = @id", new { id = records[3].Id }));

        // The whole series renamed and moved to another room: every record updated in place.
        await alice.UpdateEventAsync(master.Id!, new Event { Subject = "Planning v2", Location = new Location { DisplayName = "Room 2" } });
        var afterEdit = await S.RecordsWhenAsync(master.ICalUId!, r => r.Count(x => x.Subject == "Planning v2") == dates.Count - 2, "the series edit on every record");
        Assert.Equal(records.Where(r => r.Idx != 3).Select(r => r.Id), afterEdit.Select(r => r.Id));
        Assert.All(afterEdit, r => Assert.Equal("Room 2", r.Location));
        Assert.Equal("Planning (moved)", afterEdit.Single(r => r.Idx == 2).Subject);
        Assert.Equal("11:00", afterEdit.Single(r => r.Idx == 2).TimeStart[..5]);

        // Nothing created twice, nothing failed.
        var creates = await S.W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_sync_log WHERE action = 'Create' AND side = 'Crm'");
        Assert.Equal(dates.Count, creates[0]);
        Assert.Equal(dates.Count, await S.W.CrmScalarAsync<int>("SELECT COUNT(*) FROM vte_activity WHERE ical_uuid = @uid", new { uid = master.ICalUId }));
        Assert.Empty(await S.W.FailedJobsAsync());

        // The series deleted in Exchange: every record goes, and the connector forgets the series.
        await alice.DeleteEventAsync(master.Id!);
        await S.RecordsWhenAsync(master.ICalUId!, r => r.Count == 0, "every record of the deleted series gone");
        Assert.Equal(0, (await S.W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_links WHERE series_uid = @uid", new { uid = master.ICalUId }))[0]);
        Assert.Equal(0, (await S.W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_series_links"))[0]);
        Assert.Empty(await S.W.FailedJobsAsync());
    }

    [Fact]
    public async Task A_series_meeting_seen_in_the_organisers_and_an_attendees_mailbox_is_one_set_of_records()
    {
        await S.W.EnableAsync(S.W.BobId, SyncWorld.Bob);
        var first = SeriesWorld.NextWeekday(S.Today, DayOfWeek.Thursday);
        var local = first.ToDateTime(new TimeOnly(16, 0));
        var master = await S.W.Mailbox(SyncWorld.Alice).CreateEventAsync(new Event
        {
            Subject = "Design review",
            Start = SeriesWorld.Local(local, Zone),
            End = SeriesWorld.Local(local.AddHours(1), Zone),
            Attendees = [new Attendee { Type = "required", EmailAddress = new EmailAddressValue { Address = SyncWorld.Bob, Name = "Bob" } }],
            Recurrence = SeriesWorld.Weekly(DayOfWeek.Thursday, first, Zone),
        });
        await SyncWorld.Eventually(async () => (await S.W.Mailbox(SyncWorld.Bob).FindEventsByICalUIdAsync(master.ICalUId!)).SingleOrDefault(),
            "Bob's copy of the meeting");
        var dates = SeriesWorld.WeeklyDates(first, S.Today.AddMonths(2));
        var records = await S.RecordsWhenAsync(master.ICalUId!, r => r.Count == dates.Count, "the meeting's occurrences in vtenext");

        // Bob's copy brought nothing of its own: one record per occurrence, owned by the organiser, with Bob invited.
        Assert.Equal(dates, records.Select(r => DateOnly.FromDateTime(r.DateStart)));
        Assert.All(await S.W.CrmQueryAsync<int>("SELECT smownerid FROM vte_crmentity WHERE crmid IN @ids", new { ids = records.Select(r => r.Id) }),
            owner => Assert.Equal(S.W.AliceId, owner));
        Assert.Equal(dates.Count, await S.W.CrmScalarAsync<int>(
            "SELECT COUNT(*) FROM vte_invitees WHERE inviteeid = @bob AND activityid IN @ids", new { bob = S.W.BobId, ids = records.Select(r => r.Id) }));
        Assert.Equal([SyncWorld.Alice], await S.W.ConnectorQueryAsync<string>("SELECT mailbox FROM exc_series_links"));
        Assert.Empty(await S.W.FailedJobsAsync());
    }
}
