using System.Globalization;
using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Time;
using Connector.Exchange.Graph.Models;
using ModelPattern = Connector.Core.Recurrence.RecurrencePattern;
using ModelRange = Connector.Core.Recurrence.RecurrenceRange;
using GraphPattern = Connector.Exchange.Graph.Models.RecurrencePattern;
using GraphRange = Connector.Exchange.Graph.Models.RecurrenceRange;

namespace Connector.Exchange.Graph.Sync;

/// <summary>
/// Graph's <c>patternedRecurrence</c> ⇄ the core <see cref="RecurrenceRule"/>. Graph keeps exceptions and deleted
/// occurrences out of the master: they are read from the series' instances (<see cref="WithInstances"/>).
/// Unreadable input throws a <see cref="FormatException"/> naming the field, so a bad series is reported, not guessed.
/// </summary>
public static class GraphRecurrenceMapping
{
    private static readonly string[] Indexes = ["first", "second", "third", "fourth", "last"];

    /// <summary>
    /// The model rule of a series master, or null for a single event. The series' zone is the range's
    /// <c>recurrenceTimeZone</c> (Windows or IANA id), else <paramref name="eventZone"/> (the event's IANA zone).
    /// </summary>
    public static RecurrenceRule? ToRule(PatternedRecurrence? recurrence, string eventZone)
    {
        if (recurrence is null) return null;
        var p = recurrence.Pattern ?? throw new FormatException("recurrence.pattern is missing.");
        var r = recurrence.Range ?? throw new FormatException("recurrence.range is missing.");
        return new RecurrenceRule(ToPattern(p), ToRange(r), SeriesZone(r.RecurrenceTimeZone, eventZone));
    }

    /// <summary>The Graph recurrence for a model rule (exceptions are written to the instances, not here).</summary>
    public static PatternedRecurrence FromRule(RecurrenceRule rule)
    {
        var p = rule.Pattern;
        var pattern = new GraphPattern { Type = PatternName(p.Type), Interval = p.Interval };
        switch (p.Type)
        {
            case PatternType.Weekly:
                pattern.DaysOfWeek = DayNames(p.DaysOfWeek);
                pattern.FirstDayOfWeek = DayName(p.FirstDayOfWeek);
                break;
            case PatternType.AbsoluteMonthly:
                pattern.DayOfMonth = p.DayOfMonth;
                break;
            case PatternType.RelativeMonthly:
                pattern.DaysOfWeek = DayNames(p.DaysOfWeek);
                pattern.Index = Indexes[(int)p.Index];
                break;
            case PatternType.AbsoluteYearly:
                pattern.DayOfMonth = p.DayOfMonth;
                pattern.Month = p.Month;
                break;
            case PatternType.RelativeYearly:
                pattern.DaysOfWeek = DayNames(p.DaysOfWeek);
                pattern.Index = Indexes[(int)p.Index];
                pattern.Month = p.Month;
                break;
        }
        var range = new GraphRange
        {
            StartDate = Date(rule.Range.StartDate),
            RecurrenceTimeZone = Zones.IanaToWindows(rule.TimeZone) ?? rule.TimeZone,
        };
        switch (rule.Range.Type)
        {
            case RangeType.EndDate:
                range.Type = "endDate";
                range.EndDate = Date(rule.Range.EndDate!.Value);
                break;
            case RangeType.Numbered:
                range.Type = "numbered";
                range.NumberOfOccurrences = rule.Range.NumberOfOccurrences;
                break;
            default:
                range.Type = "noEnd";
                break;
        }
        return new PatternedRecurrence { Pattern = pattern, Range = range };
    }

    /// <summary>
    /// Adds a master's exceptions and deleted occurrences, read from its instances between <paramref name="from"/>
    /// and <paramref name="until"/> (the window the instances were listed for): an <c>exception</c> instance is a
    /// modified occurrence on its original date (details kept only where they differ from the master's); a pattern
    /// date in the window with no instance at all is a deleted occurrence.
    /// </summary>
    public static RecurrenceRule WithInstances(RecurrenceRule rule, CalendarEvent master, IEnumerable<Event> instances,
        DateOnly from, DateOnly until, string mailbox)
    {
        var zone = Zones.Get(rule.TimeZone);
        var seen = new HashSet<DateOnly>();
        var modified = new List<ModifiedOccurrence>();
        foreach (var instance in instances)
        {
            var original = OriginalDate(instance, zone);
            seen.Add(original);
            if (instance.Type != "exception") continue;
            var e = GraphDomainMapping.ToDomain(instance, mailbox);
            modified.Add(new ModifiedOccurrence(original, e.Span,
                e.Subject != master.Subject ? e.Subject : null,
                e.Location != master.Location ? e.Location : null,
                e.Description != master.Description ? e.Description : null));
        }
        var deleted = RecurrenceExpander.PatternDates(rule)
            .SkipWhile(d => d < from).TakeWhile(d => d <= until)
            .Where(d => !seen.Contains(d));
        return new RecurrenceRule(rule.Pattern, rule.Range, rule.TimeZone,
            rule.Modified.Where(m => m.OriginalDate < from || m.OriginalDate > until).Concat(modified),
            rule.Deleted.Where(d => d < from || d > until).Concat(deleted));
    }

    /// <summary>The date (in the series' zone) an instance had before any move: <c>originalStart</c>, else its start.</summary>
    public static DateOnly OriginalDate(Event instance, TimeZoneInfo seriesZone)
    {
        if (instance.OriginalStart is { } original) return Zones.DateIn(original, seriesZone);
        var start = instance.Start?.ToInstant() ?? throw new FormatException($"Instance {instance.Id} has neither originalStart nor start.");
        return instance.IsAllDay == true && instance.Start?.DateTime is { Length: >= 10 } text
            ? DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : Zones.DateIn(start, seriesZone);
    }

    private static ModelPattern ToPattern(GraphPattern p)
    {
        var interval = p.Interval is null or 0 ? 1 : p.Interval.Value;
        if (interval < 1) throw new FormatException($"recurrence.pattern.interval must be at least 1, got {interval}.");
        try
        {
            return p.Type?.Trim().ToLowerInvariant() switch
            {
                "daily" => ModelPattern.Daily(interval),
                "weekly" => ModelPattern.Weekly(interval, Days(p.DaysOfWeek), FirstDay(p.FirstDayOfWeek)),
                "absolutemonthly" => ModelPattern.AbsoluteMonthly(interval, p.DayOfMonth ?? 0),
                "relativemonthly" => ModelPattern.RelativeMonthly(interval, Days(p.DaysOfWeek), Index(p.Index)),
                "absoluteyearly" => ModelPattern.AbsoluteYearly(interval, p.Month ?? 0, p.DayOfMonth ?? 0),
                "relativeyearly" => ModelPattern.RelativeYearly(interval, p.Month ?? 0, Days(p.DaysOfWeek), Index(p.Index)),
                _ => throw new FormatException($"recurrence.pattern.type '{p.Type}' is not a recurrence pattern."),
            };
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // The model's factories name the parameter (days, day, month); say which Graph field it came from.
            var field = ex.ParamName switch { "days" => "daysOfWeek", "day" => "dayOfMonth", var other => other };
            throw new FormatException($"recurrence.pattern.{field}: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
    }

    private static ModelRange ToRange(GraphRange r)
    {
        var start = ParseDate(r.StartDate, "recurrence.range.startDate");
        return r.Type?.Trim().ToLowerInvariant() switch
        {
            "enddate" => ModelRange.Until(start, ParseDate(r.EndDate, "recurrence.range.endDate")),
            "numbered" => r.NumberOfOccurrences is { } n && n > 0
                ? ModelRange.Numbered(start, n)
                : throw new FormatException($"recurrence.range.numberOfOccurrences must be at least 1, got {r.NumberOfOccurrences}."),
            "noend" => ModelRange.NoEnd(start),
            _ => throw new FormatException($"recurrence.range.type '{r.Type}' is not endDate, numbered or noEnd."),
        };
    }

    private static DaysOfWeek Days(List<string>? names) =>
        (names ?? []).Select(n => Enum.TryParse<DayOfWeek>(n, ignoreCase: true, out var d)
                ? d
                : throw new FormatException($"recurrence.pattern.daysOfWeek: '{n}' is not a day of the week."))
            .ToDaysOfWeek();

    private static DayOfWeek FirstDay(string? name) =>
        string.IsNullOrWhiteSpace(name) ? DayOfWeek.Sunday
        : Enum.TryParse<DayOfWeek>(name, ignoreCase: true, out var d) ? d
        : throw new FormatException($"recurrence.pattern.firstDayOfWeek: '{name}' is not a day of the week.");

    private static WeekIndex Index(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return WeekIndex.First; // Graph's default
        var i = Array.IndexOf(Indexes, name.Trim().ToLowerInvariant());
        return i >= 0 ? (WeekIndex)i : throw new FormatException($"recurrence.pattern.index '{name}' is not first, second, third, fourth or last.");
    }

    // Windows → IANA is many-to-one (W. Europe Standard Time is Rome as well as Berlin): when the series' Windows zone
    // is the event's own, keep the event's IANA id, so a series written in Europe/Rome reads back in Europe/Rome.
    private static string SeriesZone(string? recurrenceTimeZone, string eventZone)
    {
        if (ZoneOf(recurrenceTimeZone) is not { } zone) return eventZone;
        return zone == eventZone || string.Equals(Zones.IanaToWindows(eventZone), recurrenceTimeZone?.Trim(), StringComparison.OrdinalIgnoreCase)
            ? eventZone
            : zone;
    }

    private static string? ZoneOf(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        if (id.Equals("UTC", StringComparison.OrdinalIgnoreCase)) return "UTC";
        return Zones.WindowsToIana(id) ?? (Zones.Find(id) is not null ? id : null);
    }

    private static DateOnly ParseDate(string? text, string field) =>
        text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FormatException($"{field} '{text}' is not a date (yyyy-MM-dd).");

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string PatternName(PatternType t) => t switch
    {
        PatternType.Daily => "daily",
        PatternType.Weekly => "weekly",
        PatternType.AbsoluteMonthly => "absoluteMonthly",
        PatternType.RelativeMonthly => "relativeMonthly",
        PatternType.AbsoluteYearly => "absoluteYearly",
        _ => "relativeYearly",
    };

    private static List<string> DayNames(DaysOfWeek days) => days.Days().Select(DayName).ToList();

    private static string DayName(DayOfWeek d) => d.ToString().ToLowerInvariant();
}
