namespace Connector.Simulators.Mailboxes;

/// <summary>One computed occurrence of a series: its original start (the key of exceptions and deletions) and
/// the start/end it actually has (moved when an exception exists).</summary>
public sealed record Occurrence(string Id, string SeriesMasterId, DateTimeOffset OriginalStart, DateTimeOffset Start,
    DateTimeOffset End, OccurrenceException? Exception);

/// <summary>
/// Expands a series master into occurrences the way Exchange does: the pattern runs on dates in the series' time
/// zone at the master's local start time, the range (no end / end date / numbered) counts from the range start,
/// deleted occurrences are skipped and exceptions replace their occurrence.
/// </summary>
public static class RecurrenceExpander
{
    private const int MaxOccurrences = 5000; // a "no end" series is cut off long after any test window

    public static IReadOnlyList<Occurrence> Expand(CalendarItem master, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        if (master.Recurrence is null) return [];
        var duration = master.Duration;
        var deleted = master.DeletedOccurrences.ToHashSet();
        var exceptions = master.Exceptions.ToDictionary(e => e.OriginalStart);
        var result = new List<Occurrence>();
        foreach (var originalStart in OriginalStarts(master))
        {
            if (originalStart - duration > windowEnd && !exceptions.Values.Any(e => e.Start < windowEnd)) break;
            if (deleted.Contains(originalStart)) continue;
            var exception = exceptions.GetValueOrDefault(originalStart);
            var start = exception?.Start ?? originalStart;
            var end = exception?.End ?? originalStart + duration;
            if (start < windowEnd && end > windowStart)
                result.Add(new(OccurrenceId(master.Id, originalStart), master.Id, originalStart, start, end, exception));
        }
        return result;
    }

    /// <summary>
    /// The original start of every occurrence the pattern yields within the range, in order, deleted ones included:
    /// EWS's OccurrenceItemId InstanceIndex is the 1-based position in this list (a deleted occurrence keeps its index,
    /// addressing it gives ErrorCalendarOccurrenceIsDeletedFromRecurrence).
    /// </summary>
    public static IEnumerable<DateTimeOffset> OriginalStarts(CalendarItem master)
    {
        if (master.Recurrence is not { } recurrence) yield break;
        var zone = FindZone(recurrence.Range.TimeZone ?? master.TimeZone);
        var timeOfDay = TimeZoneInfo.ConvertTime(master.Start, zone).TimeOfDay;
        var count = 0;
        foreach (var date in Dates(recurrence))
        {
            if (recurrence.Range.Kind == RecurrenceRangeKind.EndDate && recurrence.Range.EndDate is { } endDate && date > endDate) yield break;
            if (recurrence.Range.Kind == RecurrenceRangeKind.Numbered && count >= recurrence.Range.NumberOfOccurrences) yield break;
            if (++count > MaxOccurrences) yield break;
            yield return ToInstant(date, timeOfDay, zone);
        }
    }

    /// <summary>Occurrence ids are derived from the master id and original start, so they are stable.</summary>
    public static string OccurrenceId(string masterId, DateTimeOffset originalStart) =>
        $"{masterId}_OID_{originalStart.UtcDateTime:yyyyMMddHHmmss}";

    public static (string MasterId, DateTimeOffset OriginalStart)? ParseOccurrenceId(string id)
    {
        var at = id.LastIndexOf("_OID_", StringComparison.Ordinal);
        if (at < 0 || !DateTime.TryParseExact(id[(at + 5)..], "yyyyMMddHHmmss", null,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var start))
            return null;
        return (id[..at], new DateTimeOffset(start, TimeSpan.Zero));
    }

    public static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrEmpty(id)) return TimeZoneInfo.Utc;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); } // .NET resolves Windows and IANA ids alike
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }

    private static DateTimeOffset ToInstant(DateOnly date, TimeSpan timeOfDay, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.FromTimeSpan(timeOfDay), DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1); // spring-forward gap: Exchange moves it an hour on
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    private static IEnumerable<DateOnly> Dates(Recurrence recurrence)
    {
        var p = recurrence.Pattern;
        var start = recurrence.Range.StartDate;
        var interval = Math.Max(1, p.Interval);
        switch (p.Kind)
        {
            case RecurrencePatternKind.Daily:
                for (var d = start; ; d = d.AddDays(interval)) yield return d;
            case RecurrencePatternKind.Weekly:
            {
                var days = p.DaysOfWeek.Count > 0 ? p.DaysOfWeek : [start.DayOfWeek];
                var weekStart = start.AddDays(-(((int)start.DayOfWeek - (int)p.FirstDayOfWeek + 7) % 7));
                for (var w = weekStart; ; w = w.AddDays(7 * interval))
                    for (var i = 0; i < 7; i++)
                    {
                        var d = w.AddDays(i);
                        if (d >= start && days.Contains(d.DayOfWeek)) yield return d;
                    }
            }
            case RecurrencePatternKind.AbsoluteMonthly:
                for (var m = new DateOnly(start.Year, start.Month, 1); ; m = m.AddMonths(interval))
                {
                    // "If this value is larger than the number of days in the month, the last day of the month is assumed" (EWS DayOfMonth).
                    var day = Math.Min(p.DayOfMonth > 0 ? p.DayOfMonth : start.Day, DateTime.DaysInMonth(m.Year, m.Month));
                    if (m.AddDays(day - 1) is var d && d >= start) yield return d;
                }
            case RecurrencePatternKind.RelativeMonthly:
                for (var m = new DateOnly(start.Year, start.Month, 1); ; m = m.AddMonths(interval))
                    if (Relative(m, p) is { } d && d >= start) yield return d;
            case RecurrencePatternKind.AbsoluteYearly:
                for (var y = start.Year; ; y += interval)
                {
                    var month = p.Month > 0 ? p.Month : start.Month;
                    var day = Math.Min(p.DayOfMonth > 0 ? p.DayOfMonth : start.Day, DateTime.DaysInMonth(y, month));
                    if (new DateOnly(y, month, day) is var d && d >= start) yield return d;
                }
            case RecurrencePatternKind.RelativeYearly:
                for (var y = start.Year; ; y += interval)
                    if (Relative(new DateOnly(y, p.Month > 0 ? p.Month : start.Month, 1), p) is { } d && d >= start) yield return d;
            default:
                throw new ArgumentOutOfRangeException(nameof(recurrence), p.Kind, "Unknown recurrence pattern.");
        }
    }

    // "first/second/third/fourth/last <day> of the month"
    private static DateOnly? Relative(DateOnly firstOfMonth, RecurrencePattern p)
    {
        var days = p.DaysOfWeek.Count > 0 ? p.DaysOfWeek : [firstOfMonth.DayOfWeek];
        var matches = Enumerable.Range(0, DateTime.DaysInMonth(firstOfMonth.Year, firstOfMonth.Month))
            .Select(firstOfMonth.AddDays).Where(d => days.Contains(d.DayOfWeek)).ToList();
        if (matches.Count == 0) return null;
        return p.Index == WeekIndex.Last ? matches[^1] : (int)p.Index < matches.Count ? matches[(int)p.Index] : null;
    }
}
