using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Time;
using EwsCalendarEvent = Connector.Exchange.Ews.Items.CalendarEvent;
using DomainEvent = Connector.Core.Calendar.CalendarEvent;

namespace Connector.Exchange.Ews.Sync;

/// <summary>
/// A recurring master (and the exceptions it lists, read with their own details) ⇄ a domain event carrying its
/// <see cref="RecurrenceRule"/>. The series keeps its wall clock in <c>StartTimeZone</c> (a Windows id, stored as IANA);
/// occurrences are keyed by their original date in that zone. An all-day series is written as midnight in its zone,
/// as Exchange stores all-day items, so its dates hold in every zone. An exception that no longer differs from the
/// series (its time, subject, location and body are the series' own) is no exception in the domain: EWS cannot undo an
/// exception, so "back to the series" is written as the series' values.
/// </summary>
public static class EwsSeriesMapping
{
    /// <summary>
    /// The IANA zone of a series from its StartTimeZone id (Windows, or IANA from some servers); for an id .NET does
    /// not know, the IANA zone that follows the definition's rules (<paramref name="definition"/>); UTC otherwise.
    /// </summary>
    public static string SeriesZone(string? startTimeZoneId, System.Xml.Linq.XElement? definition = null)
    {
        var year = DateTime.UtcNow.Year;
        var byId = ZoneResolver.Resolve(startTimeZoneId, null, year);
        if (byId.Source != ZoneSource.Fallback || EwsTimeZoneRules.Read(definition) is not { } rules) return byId.IanaId;
        var custom = rules.ToTimeZone("Custom");
        var resolved = ZoneResolver.Resolve(startTimeZoneId, rules, year, "UTC", EwsTimeZoneRules.Candidates(custom, year));
        // A rules-only zone without an IANA twin cannot be stored by name: the series keeps UTC rather than a name nobody knows.
        return Zones.Find(resolved.IanaId) is not null ? resolved.IanaId : "UTC";
    }

    /// <summary>The series' zone: the IANA name we stored while it still maps to the item's Windows id, else the mapping's.</summary>
    public static string SeriesZone(EwsCalendarEvent master) =>
        master.SeriesZone is { } stored && Zones.Find(stored) is not null
            && string.Equals(Zones.IanaToWindows(stored), master.StartTimeZoneId ?? "UTC", StringComparison.OrdinalIgnoreCase)
            ? stored
            : SeriesZone(master.StartTimeZoneId, master.StartTimeZoneXml);

    /// <summary>
    /// The domain event of a master: <see cref="EwsDomainMapping.ToDomain(EwsCalendarEvent, string)"/> plus the rule,
    /// its exceptions (details from <paramref name="exceptions"/>, by item id) and deleted occurrences.
    /// </summary>
    public static DomainEvent ToDomain(EwsCalendarEvent master, IReadOnlyDictionary<string, EwsCalendarEvent> exceptions, string mailbox)
    {
        var zoneId = SeriesZone(master);
        var zone = Zones.Get(zoneId);
        var plain = EwsDomainMapping.ToDomain(master, mailbox);
        EventSpan span = master.IsAllDay
            ? AllDaySpan.FromInstants(master.Start, master.End <= master.Start ? master.Start.AddDays(1) : master.End, zone)
            : EventSpan.Timed(master.Start, master.End < master.Start ? master.Start : master.End, zoneId);
        var rule = EwsRecurrenceMapping.ToRule(master.RecurrenceXml, zoneId);
        if (rule is null) return plain;

        var series = plain with { Span = span };
        var modified = new List<ModifiedOccurrence>();
        foreach (var listed in master.ModifiedOccurrences)
        {
            var originalDate = Zones.DateIn(listed.OriginalStart, zone);
            var details = exceptions.GetValueOrDefault(listed.Id.Id);
            var start = details?.Start ?? listed.Start;
            var end = details?.End ?? listed.End;
            EventSpan occurrenceSpan = master.IsAllDay
                ? AllDaySpan.FromInstants(start, end <= start ? start.AddDays(1) : end, zone)
                : EventSpan.Timed(start, end < start ? start : end, zoneId);
            var occurrence = new ModifiedOccurrence(originalDate, occurrenceSpan,
                Own(details?.Subject, series.Subject), Own(Clean(details?.Location), series.Location),
                Own(Clean(details?.Body?.Trim()), series.Description));
            var asSeries = RecurrenceExpander.SpanOn(originalDate, span, zone);
            var differs = occurrence.Span.ContentText != asSeries.ContentText
                          || occurrence.Subject is not null || occurrence.Location is not null || occurrence.Description is not null;
            if (differs) modified.Add(occurrence);
        }
        var deleted = master.DeletedOccurrences.Select(d => Zones.DateIn(d, zone))
            .Where(d => modified.All(m => m.OriginalDate != d));
        return series with { Recurrence = new RecurrenceRule(rule.Pattern, rule.Range, rule.TimeZone, modified, deleted) };
    }

    /// <summary>The master to write: the event's fields, its pattern and range, and its zone as a Windows id.</summary>
    public static EwsCalendarEvent FromDomain(DomainEvent series, string? crmId, bool writeRecurrence)
    {
        var rule = series.Recurrence ?? throw new ArgumentException("Not a series.", nameof(series));
        var zone = Zones.Get(rule.TimeZone);
        var (start, end) = Instants(series.Span, zone);
        return EwsDomainMapping.FromDomain(series with { Recurrence = null }, crmId, withAttendees: true) with
        {
            Start = start,
            End = end,
            RecurrenceXml = EwsRecurrenceMapping.FromRule(new RecurrenceRule(rule.Pattern, rule.Range, rule.TimeZone)),
            WriteRecurrence = writeRecurrence,
            StartTimeZoneId = Zones.IanaToWindows(rule.TimeZone) ?? "UTC",
            SeriesZone = rule.TimeZone,
        };
    }

    /// <summary>What one occurrence is written as: its span and its own details, else the series'.</summary>
    public static EwsCalendarEvent OccurrenceFromDomain(DomainEvent series, DateOnly originalDate, ModifiedOccurrence? modification)
    {
        var zone = Zones.Get(series.Recurrence!.TimeZone);
        var span = modification?.Span ?? RecurrenceExpander.SpanOn(originalDate, series.Span, zone);
        var (start, end) = Instants(span, zone);
        return new EwsCalendarEvent
        {
            Subject = modification?.Subject ?? series.Subject,
            Body = modification?.Description ?? series.Description ?? "",
            Location = modification?.Location ?? series.Location,
            Start = start,
            End = end,
            IsAllDay = span is AllDaySpan,
        };
    }

    /// <summary>Timed: the instants. All-day: midnight of each date in the series' zone.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Instants(EventSpan span, TimeZoneInfo zone) => span switch
    {
        AllDaySpan a => (Zones.MidnightIn(a.StartDate, zone), Zones.MidnightIn(a.EndDate, zone)),
        _ => (span.StartIn(zone), span.EndIn(zone)),
    };

    private static string? Own(string? value, string? seriesValue) => value is null || value == seriesValue ? null : value;

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
