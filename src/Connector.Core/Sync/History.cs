using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Time;

namespace Connector.Core.Sync;

/// <summary>Whether an event is over: pushing it must not invite anyone (no invitation storm on initial sync).</summary>
public static class History
{
    public static bool IsOver(CalendarEvent e, DateTimeOffset now)
    {
        if (e.Recurrence is not { } rule) return e.Span.EndIn(Zones.Get(ZoneOf(e))) <= now;
        var zone = Zones.Find(rule.TimeZone) ?? Zones.Utc;
        var last = RecurrenceExpander.LastOccurrenceDate(rule, e.Span);
        return last is { } date && Zones.MidnightIn(date.AddDays(1), zone) <= now;
    }

    private static string ZoneOf(CalendarEvent e) => e.Span is TimedSpan t && Zones.Find(t.TimeZone) is not null ? t.TimeZone : "UTC";
}
