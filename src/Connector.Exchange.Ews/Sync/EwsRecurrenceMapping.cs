using System.Globalization;
using System.Xml.Linq;
using Connector.Core.Recurrence;
using Connector.Core.Time;
using Connector.Exchange.Ews.Soap;
using CoreModified = Connector.Core.Recurrence.ModifiedOccurrence;

namespace Connector.Exchange.Ews.Sync;

/// <summary>
/// EWS <c>t:Recurrence</c> (six patterns; EndDate, Numbered and NoEnd ranges) ⇄ the core <see cref="RecurrenceRule"/>,
/// and a master's <c>ModifiedOccurrences</c>/<c>DeletedOccurrences</c> ⇄ the rule's exceptions. EWS yearly patterns
/// have no interval, so "every N years" goes out as a monthly pattern every 12·N months and reads back as yearly.
/// Unreadable input throws a <see cref="FormatException"/> naming the element.
/// </summary>
public static class EwsRecurrenceMapping
{
    private static readonly string[] Indexes = ["First", "Second", "Third", "Fourth", "Last"];

    /// <summary>The model rule of a <c>t:Recurrence</c> element (null for none) in the series' IANA zone.</summary>
    public static RecurrenceRule? ToRule(XElement? recurrence, string seriesZone)
    {
        if (recurrence is null) return null;
        var parts = recurrence.Elements().ToList();
        if (parts.Count != 2) throw new FormatException("Recurrence must hold a pattern and a range.");
        var range = ToRange(parts[1]);
        return new RecurrenceRule(Normalise(ToPattern(parts[0]), range), range, seriesZone);
    }

    /// <summary>The rule with the exceptions and deletions a master lists (times are UTC instants on the wire).</summary>
    public static RecurrenceRule WithOccurrences(RecurrenceRule rule, XElement calendarItem)
    {
        var zone = Zones.Get(rule.TimeZone);
        var modified = (calendarItem.Element(Ns.T + "ModifiedOccurrences")?.Elements(Ns.T + "Occurrence") ?? [])
            .Select(o =>
            {
                var start = Instant(o, "Start");
                var end = Instant(o, "End");
                return new CoreModified(Zones.DateIn(Instant(o, "OriginalStart"), zone),
                    Core.Calendar.EventSpan.Timed(start, end < start ? start : end, rule.TimeZone));
            });
        var deleted = (calendarItem.Element(Ns.T + "DeletedOccurrences")?.Elements(Ns.T + "DeletedOccurrence") ?? [])
            .Select(d => Zones.DateIn(Instant(d, "Start"), zone));
        return new RecurrenceRule(rule.Pattern, rule.Range, rule.TimeZone, modified, deleted);
    }

    /// <summary>The series' zone: <c>StartTimeZone/@Id</c> (Windows id) as IANA, else <paramref name="fallback"/>.</summary>
    public static string SeriesZone(XElement calendarItem, string fallback = "UTC")
    {
        var id = calendarItem.Element(Ns.T + "StartTimeZone")?.Attribute("Id")?.Value
            ?? calendarItem.Element(Ns.T + "MeetingTimeZone")?.Attribute("TimeZoneName")?.Value;
        if (string.IsNullOrWhiteSpace(id)) return fallback;
        return Zones.WindowsToIana(id) ?? (Zones.Find(id) is not null ? id : fallback);
    }

    /// <summary>The <c>t:Recurrence</c> element for a rule, in schema order (exceptions are written per occurrence).</summary>
    public static XElement FromRule(RecurrenceRule rule)
    {
        var p = rule.Pattern;
        XElement pattern = p.Type switch
        {
            PatternType.Daily => T("DailyRecurrence", T("Interval", p.Interval)),
            PatternType.Weekly => T("WeeklyRecurrence", T("Interval", p.Interval), T("DaysOfWeek", DayList(p.DaysOfWeek)),
                T("FirstDayOfWeek", p.FirstDayOfWeek.ToString())),
            PatternType.AbsoluteMonthly => T("AbsoluteMonthlyRecurrence", T("Interval", p.Interval), T("DayOfMonth", p.DayOfMonth)),
            PatternType.RelativeMonthly => T("RelativeMonthlyRecurrence", T("Interval", p.Interval), T("DaysOfWeek", DayType(p.DaysOfWeek)),
                T("DayOfWeekIndex", Indexes[(int)p.Index])),
            PatternType.AbsoluteYearly when p.Interval > 1 => T("AbsoluteMonthlyRecurrence", T("Interval", 12 * p.Interval), T("DayOfMonth", p.DayOfMonth)),
            PatternType.AbsoluteYearly => T("AbsoluteYearlyRecurrence", T("DayOfMonth", p.DayOfMonth), T("Month", MonthName(p.Month))),
            PatternType.RelativeYearly when p.Interval > 1 => T("RelativeMonthlyRecurrence", T("Interval", 12 * p.Interval),
                T("DaysOfWeek", DayType(p.DaysOfWeek)), T("DayOfWeekIndex", Indexes[(int)p.Index])),
            _ => T("RelativeYearlyRecurrence", T("DaysOfWeek", DayType(p.DaysOfWeek)), T("DayOfWeekIndex", Indexes[(int)p.Index]),
                T("Month", MonthName(p.Month))),
        };
        var start = T("StartDate", EwsTime.FormatDate(rule.Range.StartDate));
        var range = rule.Range.Type switch
        {
            RangeType.EndDate => T("EndDateRecurrence", start, T("EndDate", EwsTime.FormatDate(rule.Range.EndDate!.Value))),
            RangeType.Numbered => T("NumberedRecurrence", start, T("NumberOfOccurrences", rule.Range.NumberOfOccurrences!.Value)),
            _ => T("NoEndRecurrence", start),
        };
        return T("Recurrence", pattern, range);
    }

    private static RecurrencePattern ToPattern(XElement e)
    {
        try
        {
            return e.Name.LocalName switch
            {
                "DailyRecurrence" => RecurrencePattern.Daily(Int(e, "Interval")),
                "WeeklyRecurrence" => RecurrencePattern.Weekly(Int(e, "Interval"), Days(e), FirstDay(e)),
                "AbsoluteMonthlyRecurrence" => RecurrencePattern.AbsoluteMonthly(Int(e, "Interval"), Int(e, "DayOfMonth")),
                "RelativeMonthlyRecurrence" => RecurrencePattern.RelativeMonthly(Int(e, "Interval"), Days(e), Index(e)),
                "AbsoluteYearlyRecurrence" => RecurrencePattern.AbsoluteYearly(1, Month(e), Int(e, "DayOfMonth")),
                "RelativeYearlyRecurrence" => RecurrencePattern.RelativeYearly(1, Month(e), Days(e), Index(e)),
                var other => throw new FormatException($"Recurrence: '{other}' is not a recurrence pattern."),
            };
        }
        catch (ArgumentOutOfRangeException ex)
        {
            var field = ex.ParamName switch { "days" => "DaysOfWeek", "day" => "DayOfMonth", "month" => "Month", _ => "Interval" };
            throw new FormatException($"{e.Name.LocalName}/{field}: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
    }

    // A monthly pattern every 12·N months is the yearly pattern EWS cannot write with an interval.
    private static RecurrencePattern Normalise(RecurrencePattern p, RecurrenceRange range)
    {
        if (p.Interval % 12 != 0 || p.Type is not (PatternType.AbsoluteMonthly or PatternType.RelativeMonthly)) return p;
        var probe = new RecurrenceRule(p, RecurrenceRange.Numbered(range.StartDate, 1), "UTC");
        var month = RecurrenceExpander.PatternDates(probe).First().Month;
        return p.Type == PatternType.AbsoluteMonthly
            ? RecurrencePattern.AbsoluteYearly(p.Interval / 12, month, p.DayOfMonth)
            : RecurrencePattern.RelativeYearly(p.Interval / 12, month, p.DaysOfWeek, p.Index);
    }

    private static RecurrenceRange ToRange(XElement e)
    {
        var start = Date(e, "StartDate");
        return e.Name.LocalName switch
        {
            "EndDateRecurrence" => RecurrenceRange.Until(start, Date(e, "EndDate")),
            "NumberedRecurrence" => Int(e, "NumberOfOccurrences") is var n && n > 0
                ? RecurrenceRange.Numbered(start, n)
                : throw new FormatException($"NumberedRecurrence/NumberOfOccurrences must be at least 1, got {Int(e, "NumberOfOccurrences")}."),
            "NoEndRecurrence" => RecurrenceRange.NoEnd(start),
            var other => throw new FormatException($"Recurrence: '{other}' is not a recurrence range."),
        };
    }

    private static int Int(XElement parent, string name) =>
        int.TryParse(parent.Element(Ns.T + name)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{parent.Name.LocalName}/{name} '{parent.Element(Ns.T + name)?.Value}' is not a number.");

    // EWS dates may carry an offset ("2014-03-08-08:00"); the date is the first ten characters.
    private static DateOnly Date(XElement parent, string name)
    {
        var text = parent.Element(Ns.T + name)?.Value.Trim();
        return text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FormatException($"{parent.Name.LocalName}/{name} '{text}' is not a date.");
    }

    private static DateTimeOffset Instant(XElement parent, string name) =>
        parent.Element(Ns.T + name)?.Value is { Length: > 0 } text
            ? EwsTime.Parse(text)
            : throw new FormatException($"{parent.Name.LocalName}/{name} is missing.");

    private static DaysOfWeek Days(XElement parent)
    {
        var text = parent.Element(Ns.T + "DaysOfWeek")?.Value ?? "";
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Aggregate(DaysOfWeek.None, (set, name) => set | name switch
        {
            "Day" => DaysOfWeek.EveryDay,
            "Weekday" => DaysOfWeek.Weekdays,
            "WeekendDay" => DaysOfWeek.WeekendDays,
            _ when Enum.TryParse<DayOfWeek>(name, ignoreCase: false, out var d) => d.ToFlag(),
            _ => throw new FormatException($"{parent.Name.LocalName}/DaysOfWeek: '{name}' is not a day of the week."),
        });
    }

    private static DayOfWeek FirstDay(XElement parent) =>
        parent.Element(Ns.T + "FirstDayOfWeek")?.Value is not { Length: > 0 } text ? DayOfWeek.Sunday
        : Enum.TryParse<DayOfWeek>(text, ignoreCase: false, out var d) ? d
        : throw new FormatException($"{parent.Name.LocalName}/FirstDayOfWeek: '{text}' is not a day of the week.");

    private static WeekIndex Index(XElement parent)
    {
        var text = parent.Element(Ns.T + "DayOfWeekIndex")?.Value;
        var i = Array.IndexOf(Indexes, text);
        return i >= 0 ? (WeekIndex)i : throw new FormatException($"{parent.Name.LocalName}/DayOfWeekIndex '{text}' is not First, Second, Third, Fourth or Last.");
    }

    private static int Month(XElement parent)
    {
        var text = parent.Element(Ns.T + "Month")?.Value;
        var i = Array.IndexOf(CultureInfo.InvariantCulture.DateTimeFormat.MonthNames, text);
        return i >= 0 && !string.IsNullOrEmpty(text) ? i + 1 : throw new FormatException($"{parent.Name.LocalName}/Month '{text}' is not a month name.");
    }

    private static string MonthName(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);

    private static string DayList(DaysOfWeek days) => string.Join(' ', days.Days());

    // A relative pattern takes one DayOfWeekType: a day, or Day / Weekday / WeekendDay for those sets.
    private static string DayType(DaysOfWeek days) => days switch
    {
        DaysOfWeek.EveryDay => "Day",
        DaysOfWeek.Weekdays => "Weekday",
        DaysOfWeek.WeekendDays => "WeekendDay",
        _ when days.Days().Count() == 1 => days.Days().Single().ToString(),
        _ => throw new ArgumentException($"EWS cannot write a relative pattern on '{days}' (one day, Day, Weekday or WeekendDay only).", nameof(days)),
    };

    private static XElement T(string name, params object?[] content) => new(Ns.T + name, content);
}
