using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Recurrence.Materialised;

namespace Connector.Core.Tests.Recurrence;

/// <summary>A series held as one CRM record per occurrence, matched to the model by index.</summary>
public class MaterialisedSeriesTests
{
    private const string Rome = "Europe/Rome";
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);

    private static TimedSpan At(int month, int day, int hour, TimeSpan? offset = null) => EventSpan.Timed(
        new DateTimeOffset(2026, month, day, hour, 0, 0, offset ?? Cet), new DateTimeOffset(2026, month, day, hour + 1, 0, 0, offset ?? Cet), Rome);

    [Fact]
    public void Missing_records_are_deleted_occurrences_and_moved_ones_are_modified()
    {
        var crm = new CrmRepeatRule("Weekly", 1, "Weekly::1", new DateOnly(2026, 3, 23));
        SeriesRecord[] records =
        [
            new(100, 0, At(3, 2, 9)),
            new(101, 1, At(3, 10, 15)), // moved from Monday 09:00 to Tuesday 15:00
            // index 2 (16 March) was deleted
            new(103, 3, At(3, 23, 9)),
        ];

        var rule = MaterialisedSeries.ToRule(crm, At(3, 2, 9), Rome, records);

        Assert.Equal([new DateOnly(2026, 3, 16)], rule.Deleted);
        var modified = Assert.Single(rule.Modified);
        Assert.Equal((new DateOnly(2026, 3, 9), (EventSpan)At(3, 10, 15)), (modified.OriginalDate, modified.Span));
    }

    [Fact]
    public void A_whole_series_time_change_updates_every_record_in_place()
    {
        var before = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 3), Rome);
        var horizon = new DateOnly(2027, 3, 1);
        var existing = RecurrenceExpander.Expand(before, At(3, 2, 9), horizon).Select(o => new SeriesRecord(200 + o.Index, o.Index, o.Span)).ToList();

        var desired = RecurrenceExpander.Expand(before, At(3, 2, 11), horizon); // the organiser moved the whole series to 11:00
        var plan = MaterialisedSeries.Reconcile(before, desired, existing, horizon);

        Assert.Empty(plan.Create);
        Assert.Empty(plan.Delete);
        Assert.Equal([200L, 201L, 202L], plan.Update.Select(u => u.CrmId));
        Assert.All(plan.Update, u => Assert.Equal(10, ((TimedSpan)u.Occurrence.Span).Start.UtcDateTime.Hour));
    }

    [Fact]
    public void Moving_the_horizon_creates_only_the_new_occurrences_and_keeps_those_beyond_it()
    {
        var endless = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.NoEnd(new DateOnly(2026, 3, 2)), Rome);
        var master = At(3, 2, 9);
        var existing = RecurrenceExpander.Expand(endless, master, new DateOnly(2026, 3, 31)).Select(o => new SeriesRecord(300 + o.Index, o.Index, o.Span)).ToList();

        var extended = MaterialisedSeries.Reconcile(endless, RecurrenceExpander.Expand(endless, master, new DateOnly(2026, 4, 15)), existing, new DateOnly(2026, 4, 15));
        Assert.Equal([5, 6], extended.Create.Select(o => o.Index)); // 6 and 13 April
        Assert.Equal(5, extended.Unchanged.Count);
        Assert.Empty(extended.Update);
        Assert.Empty(extended.Delete);

        // Read with a shorter horizon (e.g. a smaller setting): records past it are not ours to delete.
        var shorter = MaterialisedSeries.Reconcile(endless, RecurrenceExpander.Expand(endless, master, new DateOnly(2026, 3, 10)), existing, new DateOnly(2026, 3, 10));
        Assert.Empty(shorter.Delete);
    }

    [Fact]
    public void A_deleted_occurrence_deletes_its_record_and_a_shortened_series_its_tail()
    {
        var master = At(3, 2, 9);
        var original = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 4), Rome);
        var horizon = new DateOnly(2027, 1, 1);
        var existing = RecurrenceExpander.Expand(original, master, horizon).Select(o => new SeriesRecord(400 + o.Index, o.Index, o.Span)).ToList();

        var oneDeleted = original.WithDeleted(new DateOnly(2026, 3, 9));
        var plan = MaterialisedSeries.Reconcile(oneDeleted, RecurrenceExpander.Expand(oneDeleted, master, horizon), existing, horizon);
        Assert.Equal([401L], plan.Delete.Select(r => r.CrmId));
        Assert.Empty(plan.Create);

        var shortened = new RecurrenceRule(original.Pattern, RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 2), Rome);
        var cut = MaterialisedSeries.Reconcile(shortened, RecurrenceExpander.Expand(shortened, master, horizon), existing, horizon);
        Assert.Equal([402L, 403L], cut.Delete.Select(r => r.CrmId));
    }

    [Fact]
    public void Duplicate_records_for_one_occurrence_are_cleaned_up_keeping_the_oldest()
    {
        var rule = new RecurrenceRule(RecurrencePattern.Daily(), RecurrenceRange.Numbered(new DateOnly(2026, 3, 2), 1), Rome);
        var desired = RecurrenceExpander.Expand(rule, At(3, 2, 9), new DateOnly(2027, 1, 1));

        var plan = MaterialisedSeries.Reconcile(rule, desired, [new(501, 0, At(3, 2, 9)), new(500, 0, At(3, 2, 9))], new DateOnly(2027, 1, 1));

        Assert.Equal([500L], plan.Unchanged.Select(r => r.CrmId));
        Assert.Equal([501L], plan.Delete.Select(r => r.CrmId));
    }
}
