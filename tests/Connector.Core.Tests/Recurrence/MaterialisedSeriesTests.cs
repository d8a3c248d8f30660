using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Recurrence.Materialised;
using Connector.Core.Time;

namespace Connector.Core.Tests.Recurrence;

/// <summary>A series held as one CRM record per occurrence, matched to the model by index.</summary>
public class MaterialisedSeriesTests
{
    private const string Rome = "Europe/Rome";
    private static readonly DateOnly Horizon = new(2027, 3, 1);

    // Wall-clock time in Rome (the offset follows DST: +01:00 in winter, +02:00 from 29 March 2026).
    private static TimedSpan At(int month, int day, int hour)
    {
        var start = Zones.ToInstant(new DateTime(2026, month, day, hour, 0, 0), Zones.Get(Rome));
        return EventSpan.Timed(start, start.AddHours(1), Rome);
    }

    private static CalendarEvent Standup(TimedSpan span, RecurrenceRule? rule = null) =>
        new() { Subject = "Stand-up", Location = "Room 1", Span = span, Recurrence = rule };

    private static RecurrenceRule Mondays(RecurrenceRange range) => new(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), range, Rome);

    private static List<SeriesRecord> Records(CalendarEvent series, long firstId) =>
        MaterialisedSeries.Occurrences(series, Horizon).Select(o => new SeriesRecord(firstId + o.Index, o.Index, o.Event)).ToList();

    [Fact]
    public void CRM_records_read_as_a_series_with_deleted_and_modified_occurrences()
    {
        var crm = new CrmRepeatRule("Weekly", 1, "Weekly::1", new DateOnly(2026, 3, 30));
        SeriesRecord[] records =
        [
            new(100, 0, Standup(At(3, 2, 9))),
            new(101, 1, Standup(At(3, 10, 15))),                              // moved to Tuesday 15:00
            // index 2 (16 March) was deleted
            new(103, 3, Standup(At(3, 23, 9)) with { Location = "Room 7" }),  // same time, another room
            new(104, 4, Standup(At(3, 30, 9))),
        ];

        var series = MaterialisedSeries.ToSeries(crm, Standup(At(3, 2, 9)), Rome, records);

        var rule = series.Recurrence!;
        Assert.Equal(RecurrencePattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Monday), rule.Pattern);
        Assert.Equal([new DateOnly(2026, 3, 16)], rule.Deleted);
        Assert.Equal(
            [new ModifiedOccurrence(new DateOnly(2026, 3, 9), At(3, 10, 15)), new ModifiedOccurrence(new DateOnly(2026, 3, 23), At(3, 23, 9), Location: "Room 7")],
            rule.Modified);
        Assert.Equal("Stand-up", series.Subject);
    }

    [Fact]
    public void A_series_written_as_records_reads_back_as_the_same_series()
    {
        var series = Standup(At(3, 2, 9), Mondays(RecurrenceRange.Until(new DateOnly(2026, 3, 2), new DateOnly(2026, 4, 27)))
            .WithDeleted(new DateOnly(2026, 3, 16))
            .WithModified(new ModifiedOccurrence(new DateOnly(2026, 4, 6), At(4, 7, 10), Subject: "Stand-up (Easter)")));
        var crmRule = CrmRepeatRule.From(series.Recurrence!, Horizon).Rule!;

        var readBack = MaterialisedSeries.ToSeries(crmRule, Standup(At(3, 2, 9)), Rome, Records(series, 500), DayOfWeek.Sunday);

        Assert.Equal(series, readBack);
    }

    [Fact]
    public void A_whole_series_edit_updates_every_record_in_place()
    {
        var before = Standup(At(3, 2, 9), Mondays(RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 3)));
        var existing = Records(before, 200);

        var after = before with { Span = At(3, 2, 11), Subject = "Daily stand-up" }; // the organiser moved the whole series to 11:00
        var plan = MaterialisedSeries.Reconcile(after.Recurrence!, MaterialisedSeries.Occurrences(after, Horizon), existing, Horizon);

        Assert.Empty(plan.Create);
        Assert.Empty(plan.Delete);
        Assert.Equal([200L, 201L, 202L], plan.Update.Select(u => u.CrmId));
        Assert.All(plan.Update, u => Assert.Equal((10, "Daily stand-up"), (((TimedSpan)u.Occurrence.Event.Span).Start.UtcDateTime.Hour, u.Occurrence.Event.Subject)));
    }

    [Fact]
    public void An_exception_updates_only_its_record()
    {
        var series = Standup(At(3, 2, 9), Mondays(RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 4)));
        var existing = Records(series, 600);
        var oneRenamed = series with { Recurrence = series.Recurrence!.WithModified(new ModifiedOccurrence(new DateOnly(2026, 3, 16), At(3, 16, 9), Subject: "Retro")) };

        var plan = MaterialisedSeries.Reconcile(oneRenamed.Recurrence!, MaterialisedSeries.Occurrences(oneRenamed, Horizon), existing, Horizon);

        var update = Assert.Single(plan.Update);
        Assert.Equal((602L, "Retro"), (update.CrmId, update.Occurrence.Event.Subject));
        Assert.Equal(3, plan.Unchanged.Count);
    }

    [Fact]
    public void Moving_the_horizon_creates_only_the_new_occurrences_and_keeps_those_beyond_it()
    {
        var endless = Standup(At(3, 2, 9), Mondays(RecurrenceRange.NoEnd(new DateOnly(2026, 3, 2))));
        var existing = MaterialisedSeries.Occurrences(endless, new DateOnly(2026, 3, 31)).Select(o => new SeriesRecord(300 + o.Index, o.Index, o.Event)).ToList();

        var extended = MaterialisedSeries.Reconcile(endless.Recurrence!, MaterialisedSeries.Occurrences(endless, new DateOnly(2026, 4, 15)), existing, new DateOnly(2026, 4, 15));
        Assert.Equal([5, 6], extended.Create.Select(o => o.Index)); // 6 and 13 April
        Assert.Equal(5, extended.Unchanged.Count);
        Assert.Empty(extended.Update);
        Assert.Empty(extended.Delete);

        // Read with a shorter horizon (e.g. a smaller setting): records past it are not ours to delete.
        var shorter = MaterialisedSeries.Reconcile(endless.Recurrence!, MaterialisedSeries.Occurrences(endless, new DateOnly(2026, 3, 10)), existing, new DateOnly(2026, 3, 10));
        Assert.Empty(shorter.Delete);
    }

    [Fact]
    public void A_deleted_occurrence_deletes_its_record_and_a_shortened_series_its_tail()
    {
        var series = Standup(At(3, 2, 9), Mondays(RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 4)));
        var existing = Records(series, 400);

        var oneDeleted = series with { Recurrence = series.Recurrence!.WithDeleted(new DateOnly(2026, 3, 9)) };
        var plan = MaterialisedSeries.Reconcile(oneDeleted.Recurrence!, MaterialisedSeries.Occurrences(oneDeleted, Horizon), existing, Horizon);
        Assert.Equal([401L], plan.Delete.Select(r => r.CrmId));
        Assert.Empty(plan.Create);
        Assert.Empty(plan.Update);

        var shortened = series with { Recurrence = Mondays(RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 2)) };
        var cut = MaterialisedSeries.Reconcile(shortened.Recurrence!, MaterialisedSeries.Occurrences(shortened, Horizon), existing, Horizon);
        Assert.Equal([402L, 403L], cut.Delete.Select(r => r.CrmId));
    }

    [Fact]
    public void Duplicate_records_for_one_occurrence_are_cleaned_up_keeping_the_oldest()
    {
        var series = Standup(At(3, 2, 9), new RecurrenceRule(RecurrencePattern.Daily(), RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 1), Rome));
        var only = MaterialisedSeries.Occurrences(series, Horizon).Single().Event;

        var plan = MaterialisedSeries.Reconcile(series.Recurrence!, MaterialisedSeries.Occurrences(series, Horizon), [new(501, 0, only), new(500, 0, only)], Horizon);

        Assert.Equal([500L], plan.Unchanged.Select(r => r.CrmId));
        Assert.Equal([501L], plan.Delete.Select(r => r.CrmId));
    }
}
