using System.Globalization;

namespace Connector.Core.Recurrence.Materialised;

/// <summary>
/// A CRM that materialises series (one record per occurrence) describes the series with a repeat type
/// (<c>Daily</c>, <c>Weekly</c>, <c>Monthly</c>, <c>Yearly</c>), a frequency (the interval), an info string and an
/// inclusive "until" date. Info strings: <c>Daily</c>, <c>Yearly</c> (on the first occurrence's date),
/// <c>Weekly::1::3</c> (week-day numbers, 0 = Sunday … 6 = Saturday; 7 is read as Sunday too),
/// <c>Monthly::date::15</c>, <c>Monthly::day::first::1</c> (first/second/third/last, then a week-day number;
/// "fourth" is accepted on reading).
/// There is no "no end": such series are written with the horizon as their until date.
/// </summary>
public sealed record CrmRepeatRule(string Type, int Frequency, string Info, DateOnly Until)
{
    private static readonly string[] IndexNames = ["first", "second", "third", "fourth", "last"];

    /// <summary>
    /// The pattern this rule means for a series whose first occurrence is on <paramref name="firstDate"/>.
    /// Throws <see cref="FormatException"/> naming the part it cannot read.
    /// </summary>
    public RecurrencePattern ToPattern(DateOnly firstDate, DayOfWeek firstDayOfWeek = DayOfWeek.Monday)
    {
        if (Frequency < 1) throw new FormatException($"Repeat frequency must be at least 1, got {Frequency}.");
        var parts = (Info ?? "").Split("::", StringSplitOptions.TrimEntries);
        switch (Type?.Trim())
        {
            case "Daily":
                return RecurrencePattern.Daily(Frequency);
            case "Weekly":
                var days = parts.Length > 1
                    ? parts.Skip(1).Where(p => p.Length > 0).Select(p => WeekDay(p)).ToDaysOfWeek()
                    : firstDate.DayOfWeek.ToFlag();
                return RecurrencePattern.Weekly(Frequency, days == DaysOfWeek.None ? firstDate.DayOfWeek.ToFlag() : days, firstDayOfWeek);
            case "Monthly" when parts.Length == 3 && parts[1] == "date":
                return RecurrencePattern.AbsoluteMonthly(Frequency, Number(parts[2], 1, 31, "day of month"));
            case "Monthly" when parts.Length == 4 && parts[1] == "day":
                var index = Array.IndexOf(IndexNames, parts[2].ToLowerInvariant());
                if (index < 0) throw new FormatException($"Unknown week index '{parts[2]}' in repeat info '{Info}'.");
                return RecurrencePattern.RelativeMonthly(Frequency, WeekDay(parts[3]).ToFlag(), (WeekIndex)index);
            case "Monthly" when parts.Length == 1:
                return RecurrencePattern.AbsoluteMonthly(Frequency, firstDate.Day);
            case "Yearly":
                return RecurrencePattern.AbsoluteYearly(Frequency, firstDate.Month, firstDate.Day);
            default:
                throw new FormatException($"Unsupported repeat type '{Type}' with info '{Info}'.");
        }
    }

    /// <summary>The model rule (pattern + end-date range) for a series starting on <paramref name="firstDate"/>.</summary>
    public RecurrenceRule ToRule(DateOnly firstDate, string timeZone, DayOfWeek firstDayOfWeek = DayOfWeek.Monday,
        IEnumerable<ModifiedOccurrence>? modified = null, IEnumerable<DateOnly>? deleted = null) =>
        new(ToPattern(firstDate, firstDayOfWeek), RecurrenceRange.Until(firstDate, Until < firstDate ? firstDate : Until),
            timeZone, modified, deleted);

    /// <summary>
    /// The CRM rule for a model rule, or why none exists (the occurrences can still be materialised as records).
    /// A series without end is written up to <paramref name="horizon"/>; a numbered one up to its last occurrence.
    /// </summary>
    public static CrmRuleConversion From(RecurrenceRule rule, DateOnly horizon)
    {
        var p = rule.Pattern;
        var first = RecurrenceExpander.PatternDates(rule).Select(d => (DateOnly?)d).FirstOrDefault();
        if (first is not { } firstDate) return CrmRuleConversion.Unsupported("The series has no occurrence.");
        var until = rule.Range.Type switch
        {
            RangeType.EndDate => rule.Range.EndDate!.Value,
            RangeType.Numbered => RecurrenceExpander.PatternDates(rule).Last(),
            _ => horizon,
        };
        var freq = p.Interval;
        return p.Type switch
        {
            PatternType.Daily => new(new("Daily", freq, "Daily", until), null),
            PatternType.Weekly => new(new("Weekly", freq,
                "Weekly::" + string.Join("::", p.DaysOfWeek.Days().Select(d => ((int)d).ToString(CultureInfo.InvariantCulture))), until), null),
            PatternType.AbsoluteMonthly => new(new("Monthly", freq, $"Monthly::date::{p.DayOfMonth}", until), null),
            // The CRM's monthly day types are first, second, third and last (fourth is read, never written).
            PatternType.RelativeMonthly when p.Index == WeekIndex.Fourth => CrmRuleConversion.Unsupported(
                "A monthly series on the fourth week day has no CRM repeat rule (first, second, third or last only)."),
            PatternType.RelativeMonthly when p.DaysOfWeek.Days().Count() == 1 =>
                new(new("Monthly", freq, $"Monthly::day::{IndexNames[(int)p.Index]}::{(int)p.DaysOfWeek.Days().Single()}", until), null),
            PatternType.RelativeMonthly => CrmRuleConversion.Unsupported(
                $"A monthly series on '{p.Index} {p.DaysOfWeek}' has no CRM repeat rule (one week day only)."),
            PatternType.AbsoluteYearly when p.Month == firstDate.Month && p.DayOfMonth == firstDate.Day =>
                new(new("Yearly", freq, "Yearly", until), null),
            PatternType.AbsoluteYearly => CrmRuleConversion.Unsupported(
                "A yearly series whose first occurrence is not on its pattern date has no CRM repeat rule."),
            _ => CrmRuleConversion.Unsupported("A relative yearly series (e.g. 'last Monday of May') has no CRM repeat rule."),
        };
    }

    private DayOfWeek WeekDay(string text)
    {
        var n = Number(text, 0, 7, "week day");
        return (DayOfWeek)(n % 7);
    }

    private int Number(string text, int min, int max, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"Invalid {what} '{text}' in repeat info '{Info}'.");
}

/// <summary>The CRM rule for a model series, or the reason there is none.</summary>
public sealed record CrmRuleConversion(CrmRepeatRule? Rule, string? UnsupportedReason)
{
    public static CrmRuleConversion Unsupported(string reason) => new(null, reason);
}
