using Connector.Core.Calendar;
using Connector.Core.Recurrence;

namespace Connector.Core.Tests.Recurrence;

/// <summary>Every pattern and range type, with dates checked against a printed calendar.</summary>
public class ExpanderTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso);

    private static readonly TimedSpan NineInRome = EventSpan.Timed(
        new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)), "Europe/Rome");

    public static TheoryData<string, RecurrencePattern, RecurrenceRange, string[]> Patterns => new()
    {
        { "daily every 2nd day, 4 times", RecurrencePattern.Daily(2), RecurrenceRange.Numbered(D("2026-03-02"), 4),
            ["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-08"] },
        { "weekly Mon+Wed until a date (inclusive)", RecurrencePattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Wednesday),
            RecurrenceRange.Until(D("2026-03-02"), D("2026-03-18")),
            ["2026-03-02", "2026-03-04", "2026-03-09", "2026-03-11", "2026-03-16", "2026-03-18"] },
        { "every 2nd week Tue+Thu", RecurrencePattern.Weekly(2, DaysOfWeek.Tuesday | DaysOfWeek.Thursday), RecurrenceRange.Numbered(D("2026-03-02"), 4),
            ["2026-03-03", "2026-03-05", "2026-03-17", "2026-03-19"] },
        { "every 2nd week on Sunday, weeks start Monday", RecurrencePattern.Weekly(2, DaysOfWeek.Sunday, DayOfWeek.Monday),
            RecurrenceRange.Numbered(D("2026-03-02"), 2), ["2026-03-08", "2026-03-22"] },
        { "every 2nd week on Sunday, weeks start Sunday", RecurrencePattern.Weekly(2, DaysOfWeek.Sunday, DayOfWeek.Sunday),
            RecurrenceRange.Numbered(D("2026-03-02"), 2), ["2026-03-15", "2026-03-29"] },
        { "monthly on the 31st falls on short months' last day", RecurrencePattern.AbsoluteMonthly(1, 31), RecurrenceRange.Numbered(D("2026-01-31"), 4),
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"] },
        { "every 3rd month on the 15th until a date", RecurrencePattern.AbsoluteMonthly(3, 15), RecurrenceRange.Until(D("2026-01-20"), D("2026-12-31")),
            ["2026-04-15", "2026-07-15", "2026-10-15"] },
        { "second Tuesday of each month", RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Tuesday, WeekIndex.Second), RecurrenceRange.Numbered(D("2026-01-01"), 3),
            ["2026-01-13", "2026-02-10", "2026-03-10"] },
        { "last Friday of each month", RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Friday, WeekIndex.Last), RecurrenceRange.Until(D("2026-01-01"), D("2026-03-31")),
            ["2026-01-30", "2026-02-27", "2026-03-27"] },
        { "last weekday every 7 months", RecurrencePattern.RelativeMonthly(7, DaysOfWeek.Weekdays, WeekIndex.Last), RecurrenceRange.Numbered(D("2026-01-01"), 2),
            ["2026-01-30", "2026-08-31"] },
        { "yearly on 29 February falls on 28 February", RecurrencePattern.AbsoluteYearly(1, 2, 29), RecurrenceRange.Numbered(D("2024-02-29"), 3),
            ["2024-02-29", "2025-02-28", "2026-02-28"] },
        { "last Monday of May yearly", RecurrencePattern.RelativeYearly(1, 5, DaysOfWeek.Monday, WeekIndex.Last), RecurrenceRange.Numbered(D("2026-01-01"), 2),
            ["2026-05-25", "2027-05-31"] },
        { "every 2nd year, first Sunday of March", RecurrencePattern.RelativeYearly(2, 3, DaysOfWeek.Sunday, WeekIndex.First), RecurrenceRange.NoEnd(D("2026-01-01")),
            ["2026-03-01", "2028-03-05", "2030-03-03"] },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Pattern_yields_the_expected_dates(string because, RecurrencePattern pattern, RecurrenceRange range, string[] expected)
    {
        var rule = new RecurrenceRule(pattern, range, "Europe/Rome");
        var dates = RecurrenceExpander.PatternDates(rule).Take(expected.Length + 1).Select(d => d.ToString("yyyy-MM-dd")).ToArray();
        var isOpenEnded = range.Type == RangeType.NoEnd;
        Assert.True(expected.SequenceEqual(isOpenEnded ? dates.Take(expected.Length) : dates), $"{because}: got {string.Join(", ", dates)}");
    }

    [Fact]
    public void A_series_without_end_is_expanded_to_the_rolling_horizon()
    {
        var rule = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.NoEnd(D("2026-03-02")), "Europe/Rome");
        var today = D("2026-03-01");

        var year = RecurrenceExpander.Expand(rule, NineInRome, RecurrenceExpander.Horizon(today));
        var later = RecurrenceExpander.Expand(rule, NineInRome, RecurrenceExpander.Horizon(today.AddMonths(1)));

        Assert.Equal(D("2027-03-01"), year[^1].OriginalDate); // the horizon day itself is included (a Monday)
        Assert.Equal(53, year.Count);
        Assert.Equal(year, later.Take(year.Count)); // moving the clock forward only adds occurrences, indexes unchanged
        Assert.Equal(Enumerable.Range(0, later.Count), later.Select(o => o.Index));
        Assert.Null(RecurrenceExpander.LastOccurrenceDate(rule, NineInRome));
    }

    [Fact]
    public void A_series_without_end_stops_at_the_end_of_the_calendar_instead_of_failing()
    {
        var yearly = new RecurrenceRule(RecurrencePattern.AbsoluteYearly(1, 12, 31), RecurrenceRange.NoEnd(D("9990-01-01")), "UTC");
        Assert.Equal(D("9999-12-31"), RecurrenceExpander.PatternDates(yearly).Last());
    }

    [Fact]
    public void Deleted_and_modified_occurrences_keep_every_other_index()
    {
        var moved = EventSpan.Timed(new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.FromHours(1)), "Europe/Rome");
        var rule = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.Numbered(D("2026-03-02"), 4), "Europe/Rome",
            modified: [new ModifiedOccurrence(D("2026-03-09"), moved, Subject: "Moved to Tuesday")], deleted: [D("2026-03-16")]);

        var occurrences = RecurrenceExpander.Expand(rule, NineInRome, D("2027-01-01"));

        Assert.Equal([0, 1, 3], occurrences.Select(o => o.Index));
        Assert.Equal(moved, occurrences[1].Span);
        Assert.Equal("Moved to Tuesday", occurrences[1].Modification!.Subject);
        Assert.Equal(D("2026-03-23"), occurrences[2].OriginalDate);
    }

    public static TheoryData<string, string, string[]> WeeklyAcrossDst => new()
    {
        // 09:00 every Monday keeps 09:00 local; the UTC instant moves when the zone changes offset.
        { "Europe/Rome", "2026-03-23T09:00", ["2026-03-23T08:00Z", "2026-03-30T07:00Z", "2026-04-06T07:00Z"] },
        { "America/New_York", "2026-03-02T09:00", ["2026-03-02T14:00Z", "2026-03-09T13:00Z", "2026-03-16T13:00Z"] },
        { "America/New_York", "2026-10-26T09:00", ["2026-10-26T13:00Z", "2026-11-02T14:00Z", "2026-11-09T14:00Z"] },
        { "Asia/Kolkata", "2026-03-23T09:00", ["2026-03-23T03:30Z", "2026-03-30T03:30Z", "2026-04-06T03:30Z"] },
    };

    [Theory]
    [MemberData(nameof(WeeklyAcrossDst))]
    public void A_weekly_series_keeps_its_local_time_across_DST(string zone, string firstLocal, string[] expectedUtc)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = DateTime.Parse(firstLocal);
        var start = new DateTimeOffset(local, tz.GetUtcOffset(local));
        var master = EventSpan.Timed(start, start.AddMinutes(30), zone);
        var rule = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.Numbered(DateOnly.FromDateTime(local), 3), zone);

        var starts = RecurrenceExpander.Expand(rule, master, DateOnly.MaxValue).Select(o => ((TimedSpan)o.Span).Start.ToString("yyyy-MM-dd'T'HH:mm'Z'"));

        Assert.Equal(expectedUtc, starts);
        Assert.All(RecurrenceExpander.Expand(rule, master, DateOnly.MaxValue), o => Assert.Equal(TimeSpan.FromMinutes(30), ((TimedSpan)o.Span).Duration));
    }

    [Fact]
    public void A_daily_0230_series_moves_to_0330_on_the_spring_forward_day_only()
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var first = new DateTimeOffset(2026, 3, 7, 2, 30, 0, ny.GetUtcOffset(new DateTime(2026, 3, 7)));
        var rule = new RecurrenceRule(RecurrencePattern.Daily(), RecurrenceRange.Numbered(D("2026-03-07"), 3), "America/New_York");

        var local = RecurrenceExpander.Expand(rule, EventSpan.Timed(first, first.AddHours(1), "America/New_York"), DateOnly.MaxValue)
            .Select(o => TimeZoneInfo.ConvertTime(((TimedSpan)o.Span).Start, ny).ToString("MM-dd HH:mm"));

        Assert.Equal(["03-07 02:30", "03-08 03:30", "03-09 02:30"], local);
    }

    [Fact]
    public void All_day_occurrences_are_dates_with_the_masters_length()
    {
        var rule = new RecurrenceRule(RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Friday, WeekIndex.Last),
            RecurrenceRange.Numbered(D("2026-01-01"), 2), "Pacific/Kiritimati");

        var spans = RecurrenceExpander.Expand(rule, EventSpan.AllDay(D("2026-01-30"), D("2026-02-02")), DateOnly.MaxValue).Select(o => o.Span);

        Assert.Equal([EventSpan.AllDay(D("2026-01-30"), D("2026-02-02")), EventSpan.AllDay(D("2026-02-27"), D("2026-03-02"))], spans);
    }

    [Fact]
    public void Invalid_patterns_and_ranges_are_refused_with_the_field_named()
    {
        Assert.Equal("interval", Assert.Throws<ArgumentOutOfRangeException>(() => RecurrencePattern.Daily(0)).ParamName);
        Assert.Equal("days", Assert.Throws<ArgumentOutOfRangeException>(() => RecurrencePattern.Weekly(1, DaysOfWeek.None)).ParamName);
        Assert.Equal("day", Assert.Throws<ArgumentOutOfRangeException>(() => RecurrencePattern.AbsoluteMonthly(1, 32)).ParamName);
        Assert.Equal("month", Assert.Throws<ArgumentOutOfRangeException>(() => RecurrencePattern.AbsoluteYearly(1, 13, 1)).ParamName);
        Assert.Equal("endDate", Assert.Throws<ArgumentOutOfRangeException>(() => RecurrenceRange.Until(D("2026-02-01"), D("2026-01-01"))).ParamName);
        Assert.Equal("occurrences", Assert.Throws<ArgumentOutOfRangeException>(() => RecurrenceRange.Numbered(D("2026-02-01"), 0)).ParamName);
    }
}
