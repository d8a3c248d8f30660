using System.Globalization;
using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

public enum RecurrencePattern { Daily, Weekly, AbsoluteMonthly, AbsoluteYearly }

/// <summary>
/// A series' rule. With neither <see cref="EndDate"/> nor <see cref="NumberOfOccurrences"/> it never ends
/// (<c>NoEndRecurrence</c>), which vtenext cannot hold; the engine materialises it up to a horizon.
/// </summary>
public sealed record Recurrence(
    RecurrencePattern Pattern,
    int Interval,
    DateOnly StartDate,
    IReadOnlyList<DayOfWeek>? DaysOfWeek = null,
    int? DayOfMonth = null,
    int? Month = null,
    DateOnly? EndDate = null,
    int? NumberOfOccurrences = null)
{
    public bool HasNoEnd => EndDate is null && NumberOfOccurrences is null;

    internal XElement ToXml() => X.T("Recurrence", PatternXml(), RangeXml());

    private XElement PatternXml() => Pattern switch
    {
        RecurrencePattern.Daily => X.T("DailyRecurrence", X.T("Interval", Interval)),
        RecurrencePattern.Weekly => X.T("WeeklyRecurrence", X.T("Interval", Interval),
            X.T("DaysOfWeek", string.Join(' ', (DaysOfWeek ?? [StartDate.DayOfWeek]).Select(d => d.ToString())))),
        RecurrencePattern.AbsoluteMonthly => X.T("AbsoluteMonthlyRecurrence", X.T("Interval", Interval),
            X.T("DayOfMonth", DayOfMonth ?? StartDate.Day)),
        RecurrencePattern.AbsoluteYearly => X.T("AbsoluteYearlyRecurrence",
            X.T("DayOfMonth", DayOfMonth ?? StartDate.Day),
            X.T("Month", CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(Month ?? StartDate.Month))),
        _ => throw new ArgumentOutOfRangeException(nameof(Pattern)),
    };

    private XElement RangeXml()
    {
        var start = X.T("StartDate", EwsTime.FormatDate(StartDate));
        if (EndDate is { } end) return X.T("EndDateRecurrence", start, X.T("EndDate", EwsTime.FormatDate(end)));
        if (NumberOfOccurrences is { } n) return X.T("NumberedRecurrence", start, X.T("NumberOfOccurrences", n));
        return X.T("NoEndRecurrence", start);
    }

    /// <summary>Reads a Recurrence element; patterns we do not model (relative monthly/yearly) come back as null.</summary>
    internal static Recurrence? Parse(XElement? recurrence)
    {
        if (recurrence is null) return null;
        var elements = recurrence.Elements().ToList();
        if (elements.Count < 2) return null;
        var (patternXml, rangeXml) = (elements[0], elements[1]);
        RecurrencePattern? pattern = patternXml.Name.LocalName switch
        {
            "DailyRecurrence" => RecurrencePattern.Daily,
            "WeeklyRecurrence" => RecurrencePattern.Weekly,
            "AbsoluteMonthlyRecurrence" => RecurrencePattern.AbsoluteMonthly,
            "AbsoluteYearlyRecurrence" => RecurrencePattern.AbsoluteYearly,
            _ => null,
        };
        if (pattern is null) return null;
        var days = patternXml.Text("DaysOfWeek")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(Enum.Parse<DayOfWeek>).ToList();
        var month = patternXml.Text("Month") is { } m
            ? Array.IndexOf(CultureInfo.InvariantCulture.DateTimeFormat.MonthNames, m) + 1
            : (int?)null;
        return new Recurrence(pattern.Value, patternXml.Int("Interval") ?? 1,
            EwsTime.ParseDate(rangeXml.Text("StartDate")!),
            days, patternXml.Int("DayOfMonth"), month,
            rangeXml.Text("EndDate") is { } e ? EwsTime.ParseDate(e) : null,
            rangeXml.Int("NumberOfOccurrences"));
    }
}
