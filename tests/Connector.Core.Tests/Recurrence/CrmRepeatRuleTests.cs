using Connector.Core.Recurrence;
using Connector.Core.Recurrence.Materialised;

namespace Connector.Core.Tests.Recurrence;

/// <summary>The CRM's repeat rules (type, frequency, info string, until) to the model and back, for every pattern.</summary>
public class CrmRepeatRuleTests
{
    private static readonly DateOnly FirstMonday = new(2026, 3, 2);
    private static readonly DateOnly Until = new(2026, 12, 31);

    public static TheoryData<string, int, string, RecurrencePattern> Rules => new()
    {
        { "Daily", 1, "Daily", RecurrencePattern.Daily() },
        { "Daily", 3, "Daily", RecurrencePattern.Daily(3) },
        { "Weekly", 1, "Weekly::1::3", RecurrencePattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Wednesday, DayOfWeek.Monday) },
        { "Weekly", 2, "Weekly::0::6", RecurrencePattern.Weekly(2, DaysOfWeek.WeekendDays, DayOfWeek.Monday) },
        { "Monthly", 1, "Monthly::date::15", RecurrencePattern.AbsoluteMonthly(1, 15) },
        { "Monthly", 2, "Monthly::day::first::1", RecurrencePattern.RelativeMonthly(2, DaysOfWeek.Monday, WeekIndex.First) },
        { "Monthly", 1, "Monthly::day::last::5", RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Friday, WeekIndex.Last) },
        { "Monthly", 1, "Monthly::day::third::2", RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Tuesday, WeekIndex.Third) },
        { "Yearly", 1, "Yearly", RecurrencePattern.AbsoluteYearly(1, 3, 2) },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void CRM_rules_read_as_model_patterns_and_write_back_the_same(string type, int frequency, string info, RecurrencePattern expected)
    {
        var crm = new CrmRepeatRule(type, frequency, info, Until);

        var rule = crm.ToRule(FirstMonday, "Europe/Rome");

        Assert.Equal(expected, rule.Pattern);
        Assert.Equal(RecurrenceRange.Until(FirstMonday, Until), rule.Range);
        Assert.Equal(crm, CrmRepeatRule.From(rule, horizon: new DateOnly(2027, 3, 1)).Rule);
    }

    [Theory]
    [InlineData("Weekly::7", DaysOfWeek.Sunday)] // 7 is Sunday too (ISO numbering)
    [InlineData("Weekly", DaysOfWeek.Monday)]    // no days: the first occurrence's day
    public void Weekly_rules_without_usual_day_numbers_are_understood(string info, DaysOfWeek days) =>
        Assert.Equal(days, new CrmRepeatRule("Weekly", 1, info, Until).ToPattern(FirstMonday).DaysOfWeek);

    [Fact]
    public void Ranges_without_end_date_are_written_up_to_the_horizon_or_the_last_occurrence()
    {
        var horizon = new DateOnly(2027, 3, 1);
        var noEnd = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.NoEnd(FirstMonday), "Europe/Rome");
        var numbered = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.Numbered(FirstMonday, 3), "Europe/Rome");

        Assert.Equal(horizon, CrmRepeatRule.From(noEnd, horizon).Rule!.Until);
        Assert.Equal(new DateOnly(2026, 3, 16), CrmRepeatRule.From(numbered, horizon).Rule!.Until);
    }

    [Theory]
    [InlineData("last weekday of the month", "one week day only")]
    [InlineData("fourth Monday of the month", "first, second, third or last")]
    [InlineData("last Monday of May", "relative yearly")]
    // 29 February from 2025: the first occurrence is 28 February, and the CRM would repeat on the 28th for ever.
    [InlineData("29 February yearly from 2025", "not on its pattern date")]
    public void Patterns_the_CRM_cannot_express_say_why(string series, string reason)
    {
        var pattern = series switch
        {
            "last weekday of the month" => RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Weekdays, WeekIndex.Last),
            "fourth Monday of the month" => RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Monday, WeekIndex.Fourth),
            "last Monday of May" => RecurrencePattern.RelativeYearly(1, 5, DaysOfWeek.Monday, WeekIndex.Last),
            _ => RecurrencePattern.AbsoluteYearly(1, 2, 29),
        };
        var rule = new RecurrenceRule(pattern, RecurrenceRange.Numbered(new DateOnly(2025, 1, 1), 2), "Europe/Rome");

        var conversion = CrmRepeatRule.From(rule, new DateOnly(2027, 1, 1));

        Assert.Null(conversion.Rule);
        Assert.Contains(reason, conversion.UnsupportedReason);
    }

    [Fact]
    public void A_yearly_series_starting_on_its_date_is_the_CRMs_yearly_rule()
    {
        var rule = new RecurrenceRule(RecurrencePattern.AbsoluteYearly(1, 5, 20), RecurrenceRange.Numbered(new DateOnly(2026, 1, 1), 2), "Europe/Rome");
        Assert.Equal(new CrmRepeatRule("Yearly", 1, "Yearly", new DateOnly(2027, 5, 20)), CrmRepeatRule.From(rule, new DateOnly(2028, 1, 1)).Rule);
    }

    [Theory]
    [InlineData("Hourly", "Hourly", "repeat type 'Hourly'")]
    [InlineData("Weekly", "Weekly::1::9", "week day '9'")]
    [InlineData("Monthly", "Monthly::date::32", "day of month '32'")]
    [InlineData("Monthly", "Monthly::day::fifth::1", "week index 'fifth'")]
    public void Unreadable_rules_are_reported_with_the_part_named(string type, string info, string named)
    {
        var error = Assert.Throws<FormatException>(() => new CrmRepeatRule(type, 1, info, Until).ToPattern(FirstMonday));
        Assert.Contains(named, error.Message);
    }
}
