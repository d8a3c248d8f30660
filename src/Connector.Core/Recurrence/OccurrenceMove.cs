using Connector.Core.Calendar;
using Connector.Core.Time;

namespace Connector.Core.Recurrence;

/// <summary>Whether an occurrence may be moved to a new time, and if not, why (said so that a user understands).</summary>
public sealed record MoveCheck(bool Allowed, string? Problem)
{
    public static MoveCheck Ok { get; } = new(true, null);
}

/// <summary>
/// Exchange refuses to move an occurrence onto or past the day of a neighbouring occurrence
/// (ErrorOccurrenceCrossingBoundary). Checking first lets the connector report the problem once instead of
/// retrying a write that can never succeed.
/// </summary>
public static class OccurrenceMove
{
    public static MoveCheck Check(RecurrenceRule rule, EventSpan masterSpan, DateOnly originalDate, EventSpan newSpan)
    {
        var zone = Zones.Get(rule.TimeZone);
        var dates = RecurrenceExpander.PatternDates(rule).TakeWhile(d => d <= originalDate.AddYears(2)).ToList();
        var at = dates.IndexOf(originalDate);
        if (at < 0) return new(false, $"The series has no occurrence on {originalDate:yyyy-MM-dd}.");
        if (rule.Deleted.Contains(originalDate)) return new(false, $"The occurrence of {originalDate:yyyy-MM-dd} was deleted.");

        var newDate = StartDate(newSpan, zone);
        var previous = Neighbour(dates, at, -1, rule);
        var next = Neighbour(dates, at, +1, rule);
        if (previous is { } p && newDate <= EffectiveDate(rule, masterSpan, p, zone))
            return new(false, $"The occurrence of {originalDate:yyyy-MM-dd} cannot move to {newDate:yyyy-MM-dd}: "
                + $"that is on or before the previous occurrence ({EffectiveDate(rule, masterSpan, p, zone):yyyy-MM-dd}). "
                + "Exchange does not allow an occurrence to cross its neighbour.");
        if (next is { } n && newDate >= EffectiveDate(rule, masterSpan, n, zone))
            return new(false, $"The occurrence of {originalDate:yyyy-MM-dd} cannot move to {newDate:yyyy-MM-dd}: "
                + $"that is on or after the next occurrence ({EffectiveDate(rule, masterSpan, n, zone):yyyy-MM-dd}). "
                + "Exchange does not allow an occurrence to cross its neighbour.");
        return MoveCheck.Ok;
    }

    // Deleted occurrences are not neighbours: Exchange only compares with occurrences that still exist.
    private static DateOnly? Neighbour(List<DateOnly> dates, int at, int step, RecurrenceRule rule)
    {
        for (var i = at + step; i >= 0 && i < dates.Count; i += step)
            if (!rule.Deleted.Contains(dates[i])) return dates[i];
        return null;
    }

    private static DateOnly EffectiveDate(RecurrenceRule rule, EventSpan masterSpan, DateOnly original, TimeZoneInfo zone)
    {
        var modified = rule.Modified.FirstOrDefault(m => m.OriginalDate == original);
        return StartDate(modified?.Span ?? RecurrenceExpander.SpanOn(original, masterSpan, zone), zone);
    }

    private static DateOnly StartDate(EventSpan span, TimeZoneInfo zone) => span switch
    {
        AllDaySpan a => a.StartDate,
        TimedSpan t => Zones.DateIn(t.Start, zone),
        _ => throw new ArgumentOutOfRangeException(nameof(span)),
    };
}
