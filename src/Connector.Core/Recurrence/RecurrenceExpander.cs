using Connector.Core.Calendar;
using Connector.Core.Time;

namespace Connector.Core.Recurrence;

/// <summary>
/// Expands a series into occurrences. Dates follow the pattern in the series' zone; each occurrence keeps the
/// master's wall-clock start time in that zone (so a weekly 09:00 meeting stays at 09:00 across DST) and its
/// elapsed duration. A start inside a spring-forward gap moves forward by the gap.
/// </summary>
public static class RecurrenceExpander
{
    /// <summary>Series without end (and very long ones) are materialised up to this many months ahead by default.</summary>
    public const int DefaultHorizonMonths = 12;

    // A pattern always yields within a few cycles; this only guards against a malformed rule looping forever.
    private const int MaxEmptyCycles = 5000;

    /// <summary>
    /// Every date the pattern yields within the range, in order, including deleted occurrences (they keep their
    /// index). Lazy: a series without end yields forever, so take what you need.
    /// </summary>
    public static IEnumerable<DateOnly> PatternDates(RecurrenceRule rule)
    {
        var range = rule.Range;
        var count = 0;
        var empty = 0;
        for (var cycle = 0; ; cycle++)
        {
            var any = false;
            List<DateOnly> dates;
            try { dates = DatesInCycle(rule.Pattern, range.StartDate, cycle).ToList(); }
            catch (ArgumentOutOfRangeException) { yield break; } // past year 9999: even "no end" ends somewhere
            foreach (var date in dates)
            {
                if (date < range.StartDate) continue;
                if (range.Type == RangeType.EndDate && date > range.EndDate) yield break;
                any = true;
                yield return date;
                if (range.Type == RangeType.Numbered && ++count >= range.NumberOfOccurrences) yield break;
            }
            empty = any ? 0 : empty + 1;
            if (empty > MaxEmptyCycles) yield break;
        }
    }

    /// <summary>
    /// The occurrences whose original date is on or before <paramref name="until"/>, with modifications applied and
    /// deleted ones left out. <paramref name="masterSpan"/> gives the time of day and duration (its date is ignored).
    /// </summary>
    public static IReadOnlyList<Occurrence> Expand(RecurrenceRule rule, EventSpan masterSpan, DateOnly until)
    {
        var deleted = rule.Deleted.ToHashSet();
        var modified = rule.Modified.ToDictionary(m => m.OriginalDate);
        var zone = Zones.Get(rule.TimeZone);
        var result = new List<Occurrence>();
        var index = 0;
        foreach (var date in PatternDates(rule).TakeWhile(d => d <= until))
        {
            if (!deleted.Contains(date))
            {
                var change = modified.GetValueOrDefault(date);
                result.Add(new Occurrence(index, date, change?.Span ?? SpanOn(date, masterSpan, zone), change));
            }
            index++;
        }
        return result;
    }

    /// <summary>The horizon date: <paramref name="months"/> after <paramref name="today"/>.</summary>
    public static DateOnly Horizon(DateOnly today, int months = DefaultHorizonMonths) => today.AddMonths(months);

    /// <summary>The original date of the last occurrence, or null for a series without end.</summary>
    public static DateOnly? LastOccurrenceDate(RecurrenceRule rule, EventSpan masterSpan) =>
        rule.Range.Type == RangeType.NoEnd ? null : PatternDates(rule).Select(d => (DateOnly?)d).LastOrDefault();

    /// <summary>The span an unmodified occurrence on <paramref name="date"/> has.</summary>
    public static EventSpan SpanOn(DateOnly date, EventSpan masterSpan, TimeZoneInfo zone)
    {
        switch (masterSpan)
        {
            case AllDaySpan allDay:
                return new AllDaySpan(date, date.AddDays(allDay.Days));
            case TimedSpan timed:
                var wallClock = Zones.ToLocal(timed.Start, zone).TimeOfDay;
                var start = Zones.ToInstant(date.ToDateTime(TimeOnly.FromTimeSpan(wallClock)), zone);
                return new TimedSpan(start, start + timed.Duration, timed.TimeZone);
            default:
                throw new ArgumentOutOfRangeException(nameof(masterSpan));
        }
    }

    private static IEnumerable<DateOnly> DatesInCycle(RecurrencePattern p, DateOnly start, int cycle)
    {
        switch (p.Type)
        {
            case PatternType.Daily:
                yield return start.AddDays(cycle * p.Interval);
                break;
            case PatternType.Weekly:
                var weekStart = StartOfWeek(start, p.FirstDayOfWeek).AddDays(7 * cycle * p.Interval);
                for (var i = 0; i < 7; i++)
                {
                    var day = weekStart.AddDays(i);
                    if (p.DaysOfWeek.Contains(day.DayOfWeek)) yield return day;
                }
                break;
            case PatternType.AbsoluteMonthly:
            {
                var month = new DateOnly(start.Year, start.Month, 1).AddMonths(cycle * p.Interval);
                yield return ClampedDay(month.Year, month.Month, p.DayOfMonth);
                break;
            }
            case PatternType.RelativeMonthly:
            {
                var month = new DateOnly(start.Year, start.Month, 1).AddMonths(cycle * p.Interval);
                yield return NthDay(month.Year, month.Month, p.DaysOfWeek, p.Index);
                break;
            }
            case PatternType.AbsoluteYearly:
                yield return ClampedDay(start.Year + cycle * p.Interval, p.Month, p.DayOfMonth);
                break;
            case PatternType.RelativeYearly:
                yield return NthDay(start.Year + cycle * p.Interval, p.Month, p.DaysOfWeek, p.Index);
                break;
        }
    }

    private static DateOnly StartOfWeek(DateOnly date, DayOfWeek firstDay) =>
        date.AddDays(-(((int)date.DayOfWeek - (int)firstDay + 7) % 7));

    // Day 31 in a 30-day month (or 29 February in other years) falls on the month's last day, as Exchange does.
    private static DateOnly ClampedDay(int year, int month, int day) =>
        new(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));

    /// <summary>The first..fourth or last day of the month that is one of <paramref name="days"/>.</summary>
    internal static DateOnly NthDay(int year, int month, DaysOfWeek days, WeekIndex index)
    {
        var matching = Enumerable.Range(1, DateTime.DaysInMonth(year, month))
            .Select(d => new DateOnly(year, month, d))
            .Where(d => days.Contains(d.DayOfWeek))
            .ToList();
        return index == WeekIndex.Last ? matching[^1] : matching[(int)index];
    }
}
