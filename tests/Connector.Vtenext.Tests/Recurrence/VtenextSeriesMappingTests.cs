using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Recurrence.Materialised;
using Connector.Core.Time;
using Connector.Vtenext.Recurrence;

namespace Connector.Vtenext.Tests;

/// <summary>
/// A model series ⇄ what vtenext holds (occurrence records with <c>recurr_idx</c> + <c>vte_recurringevents</c> rows),
/// for every pattern and range type, both ways.
/// </summary>
public sealed class VtenextSeriesMappingTests
{
    private const string Rome = "Europe/Rome";
    private static readonly DateOnly Start = new(2026, 3, 2); // a Monday
    private static readonly DateOnly Horizon = new(2027, 3, 2);

    public static TheoryData<string, RecurrencePattern, string?, string?> Patterns => new()
    {
        // name, model pattern, vtenext recurringtype, recurringinfo (null: vtenext has no rule for it)
        { "every 2 days", RecurrencePattern.Daily(2), "Daily", "Daily" },
        { "weekly Mon+Wed", RecurrencePattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Wednesday, DayOfWeek.Monday), "Weekly", "Weekly::1::3" },
        { "every 2 weeks on Monday", RecurrencePattern.Weekly(2, DaysOfWeek.Monday, DayOfWeek.Monday), "Weekly", "Weekly::1" },
        { "monthly on the 2nd", RecurrencePattern.AbsoluteMonthly(1, 2), "Monthly", "Monthly::date::2" },
        { "monthly, first Monday", RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Monday, WeekIndex.First), "Monthly", "Monthly::day::first::1" },
        { "every 3 months, last Friday", RecurrencePattern.RelativeMonthly(3, DaysOfWeek.Friday, WeekIndex.Last), "Monthly", "Monthly::day::last::5" },
        { "yearly on 2 March", RecurrencePattern.AbsoluteYearly(1, 3, 2), "Yearly", "Yearly" },
        { "monthly, fourth Thursday", RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Thursday, WeekIndex.Fourth), null, null },
        { "yearly, first Monday of March", RecurrencePattern.RelativeYearly(1, 3, DaysOfWeek.Monday, WeekIndex.First), null, null },
    };

    public static TheoryData<string, RecurrenceRange> Ranges => new()
    {
        { "end date", RecurrenceRange.Until(Start, new DateOnly(2026, 9, 30)) },
        { "numbered", RecurrenceRange.Numbered(Start, 5) },
        { "no end", RecurrenceRange.NoEnd(Start) },
    };

    public static IEnumerable<object?[]> PatternsTimesRanges() =>
        from p in Patterns from r in Ranges select new[] { p[0], p[1], p[2], p[3], r[0], r[1] };

    [Theory]
    [MemberData(nameof(PatternsTimesRanges))]
    public void A_series_becomes_vtenext_records_and_rows_and_reads_back(string pattern, RecurrencePattern model, string? type, string? info,
        string range, RecurrenceRange modelRange)
    {
        var rule = new RecurrenceRule(model, modelRange, Rome);
        var series = Meeting(Rome, At(Rome, Start, 9, 30), rule);
        var allDates = RecurrenceExpander.PatternDates(rule).TakeWhile(d => d <= Horizon).ToList();
        var expectedUntil = modelRange.Type switch
        {
            RangeType.EndDate => modelRange.EndDate!.Value,
            RangeType.Numbered => RecurrenceExpander.PatternDates(rule).Last(), // the fifth occurrence, even past the horizon
            _ => Horizon, // no end: up to the horizon, extended later
        };

        var vtenext = VtenextSeriesMapping.FromSeries(series, Horizon);

        Assert.True(vtenext.Occurrences.Count > 0, $"{pattern}, {range}: no occurrence records");
        // Records: one per occurrence up to the horizon, numbered from 0, each at 09:30 Rome time (across DST).
        Assert.Equal(allDates, vtenext.Occurrences.Select(o => o.OriginalDate));
        Assert.Equal(Enumerable.Range(0, allDates.Count), vtenext.Occurrences.Select(o => o.Index));
        Assert.All(vtenext.Occurrences, o => Assert.Equal(new TimeOnly(9, 30), TimeOnly.FromDateTime(Zones.ToLocal(((TimedSpan)o.Event.Span).Start, Zones.Get(Rome)))));
        Assert.All(vtenext.Occurrences, o => Assert.Null(o.Event.Recurrence));
        if (type is null)
        {
            Assert.Null(vtenext.Rule);
            Assert.Contains("no CRM repeat rule", vtenext.UnsupportedReason);
            Assert.Empty(vtenext.Rows(500));
            Assert.Equal("", vtenext.RecurringType);
            Assert.Null(VtenextSeriesMapping.ToSeries(vtenext.Rows(500), Records(vtenext), Rome, Horizon));
            return;
        }
        Assert.Equal(new CrmRepeatRule(type, model.Interval, info!, expectedUntil), vtenext.Rule);
        Assert.Equal(type, vtenext.RecurringType);
        var rows = vtenext.Rows(500);
        Assert.Equal(RecurrenceExpander.PatternDates(rule).TakeWhile(d => d <= expectedUntil), rows.Select(r => r.RecurringDate));
        Assert.All(rows, r => Assert.Equal((500L, type, model.Interval, info), (r.ActivityId, r.RecurringType, r.RecurringFreq, r.RecurringInfo)));

        var back = VtenextSeriesMapping.ToSeries(rows, Records(vtenext), Rome, Horizon, DayOfWeek.Monday)!;

        Assert.Equal(model, back.Recurrence!.Pattern);
        // vtenext always has an end, and keeps no end-date column: the series reads back as ending on its last row's
        // date, which yields the same occurrences.
        // Its first date is its first occurrence (the last Friday of March, not the range's 2 March).
        Assert.Equal(RecurrenceRange.Until(allDates[0], rows[^1].RecurringDate), back.Recurrence.Range);
        Assert.Equal(vtenext.Occurrences.Select(o => o.Event.Span), RecurrenceExpander.Expand(back.Recurrence, back.Span, Horizon).Select(o => o.Span));
        Assert.Empty(back.Recurrence.Modified);
        Assert.Empty(back.Recurrence.Deleted);
        Assert.Equal(RecurrenceExpander.SpanOn(allDates[0], series.Span, Zones.Get(Rome)), back.Span);
        Assert.Equal(series.Subject, back.Subject);
    }

    [Theory]
    [InlineData("Europe/Rome")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public void An_exception_and_a_deleted_occurrence_survive_the_round_trip_in_each_zone(string zone)
    {
        // Weekly on Monday 09:00 from 2 March, across the spring DST change (New York: 8 March; Rome: 29 March).
        var rule = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Monday), RecurrenceRange.Numbered(Start, 6), zone)
            .WithDeleted(new DateOnly(2026, 3, 16))
            .WithModified(new ModifiedOccurrence(new DateOnly(2026, 3, 23), At(zone, new DateOnly(2026, 3, 24), 14, 0), Subject: "Moved to Tuesday"));
        var series = Meeting(zone, At(zone, Start, 9, 0), rule);

        var vtenext = VtenextSeriesMapping.FromSeries(series, Horizon);

        Assert.Equal([0, 1, 3, 4, 5], vtenext.Occurrences.Select(o => o.Index)); // index 2 (16 March) is not held
        var moved = vtenext.Occurrences.Single(o => o.Index == 3).Event;
        Assert.Equal("Moved to Tuesday", moved.Subject);
        Assert.Equal(new DateTime(2026, 3, 24, 14, 0, 0), Zones.ToLocal(((TimedSpan)moved.Span).Start, Zones.Get(zone)));
        Assert.Equal(6, vtenext.Rows(7).Count); // the deleted date keeps its row: the series still ends on 6 April

        var back = VtenextSeriesMapping.ToSeries(vtenext.Rows(7), Records(vtenext), zone, Horizon, DayOfWeek.Monday)!;

        Assert.Equal([new DateOnly(2026, 3, 16)], back.Recurrence!.Deleted);
        var exception = Assert.Single(back.Recurrence.Modified);
        Assert.Equal((new DateOnly(2026, 3, 23), "Moved to Tuesday"), (exception.OriginalDate, exception.Subject));
        Assert.Equal(moved.Span.ContentText, exception.Span.ContentText);
        Assert.Equal(RecurrenceRange.Until(Start, new DateOnly(2026, 4, 6)), back.Recurrence.Range);
    }

    [Theory]
    [InlineData("Europe/Rome")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public void An_all_day_multi_day_series_stays_on_its_dates(string zone)
    {
        // Two-day all-day event every month on the 30th: February has no 30th, so it falls on the 28th.
        var rule = new RecurrenceRule(RecurrencePattern.AbsoluteMonthly(1, 30), RecurrenceRange.Numbered(new DateOnly(2026, 1, 30), 3), zone);
        var series = Meeting(zone, new AllDaySpan(new DateOnly(2026, 1, 30), new DateOnly(2026, 2, 1)), rule);

        var vtenext = VtenextSeriesMapping.FromSeries(series, Horizon);

        Assert.Equal(
            [new AllDaySpan(new(2026, 1, 30), new(2026, 2, 1)), new AllDaySpan(new(2026, 2, 28), new(2026, 3, 2)), new AllDaySpan(new(2026, 3, 30), new(2026, 4, 1))],
            vtenext.Occurrences.Select(o => o.Event.Span));
        var back = VtenextSeriesMapping.ToSeries(vtenext.Rows(1), Records(vtenext), zone, Horizon)!;
        Assert.Equal(series.Span, back.Span);
        Assert.Empty(back.Recurrence!.Modified);
    }

    [Fact]
    public void Records_whose_first_occurrence_was_moved_still_give_the_series_its_planned_time()
    {
        var rule = new RecurrenceRule(RecurrencePattern.Daily(1), RecurrenceRange.Numbered(Start, 3), Rome)
            .WithModified(new ModifiedOccurrence(Start, At(Rome, Start.AddDays(0), 15, 0)));
        var series = Meeting(Rome, At(Rome, Start, 9, 0), rule);
        var vtenext = VtenextSeriesMapping.FromSeries(series, Horizon);

        var back = VtenextSeriesMapping.ToSeries(vtenext.Rows(1), Records(vtenext), Rome, Horizon)!;

        // Record 0 moved to 15:00 on its own date; records 1 and 2 (09:00) set the series' time, so record 0 reads as
        // the exception it is.
        Assert.Equal(series.Span, back.Span);
        Assert.Equal(Start, Assert.Single(back.Recurrence!.Modified).OriginalDate);
    }

    private static List<SeriesRecord> Records(VtenextSeries series) =>
        series.Occurrences.Select(o => new SeriesRecord(1000 + o.Index, o.Index, o.Event)).ToList();

    private static CalendarEvent Meeting(string zone, EventSpan span, RecurrenceRule rule) =>
        new() { Subject = "Weekly review", Location = "Room 1", Span = span, Recurrence = rule };

    private static TimedSpan At(string zone, DateOnly date, int hour, int minute)
    {
        var start = Zones.ToInstant(date.ToDateTime(new TimeOnly(hour, minute)), Zones.Get(zone));
        return EventSpan.Timed(start, start.AddHours(1), zone);
    }
}
