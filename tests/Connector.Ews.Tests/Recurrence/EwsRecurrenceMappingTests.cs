using System.Xml.Linq;
using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Time;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Sync;

namespace Connector.Ews.Tests;

/// <summary>
/// EWS <c>t:Recurrence</c> ⇄ the core model for every pattern and range type, both ways; what we write validates
/// against Microsoft's schema; the documented examples parse to the expected rule.
/// </summary>
public sealed class EwsRecurrenceMappingTests
{
    private const string T = "http://schemas.microsoft.com/exchange/services/2006/types";
    private static readonly DateOnly Start = new(2026, 3, 2); // a Monday

    public static TheoryData<string, string, RecurrencePattern> Patterns => new()
    {
        { "daily every 2 days", "<DailyRecurrence><Interval>2</Interval></DailyRecurrence>", RecurrencePattern.Daily(2) },
        { "weekly Mon+Wed, week starts Monday",
            "<WeeklyRecurrence><Interval>1</Interval><DaysOfWeek>Monday Wednesday</DaysOfWeek><FirstDayOfWeek>Monday</FirstDayOfWeek></WeeklyRecurrence>",
            RecurrencePattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Wednesday, DayOfWeek.Monday) },
        { "monthly on the 31st", "<AbsoluteMonthlyRecurrence><Interval>1</Interval><DayOfMonth>31</DayOfMonth></AbsoluteMonthlyRecurrence>",
            RecurrencePattern.AbsoluteMonthly(1, 31) },
        { "every 2 months, last Friday",
            "<RelativeMonthlyRecurrence><Interval>2</Interval><DaysOfWeek>Friday</DaysOfWeek><DayOfWeekIndex>Last</DayOfWeekIndex></RelativeMonthlyRecurrence>",
            RecurrencePattern.RelativeMonthly(2, DaysOfWeek.Friday, WeekIndex.Last) },
        { "monthly, second weekday",
            "<RelativeMonthlyRecurrence><Interval>1</Interval><DaysOfWeek>Weekday</DaysOfWeek><DayOfWeekIndex>Second</DayOfWeekIndex></RelativeMonthlyRecurrence>",
            RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Weekdays, WeekIndex.Second) },
        { "yearly on 29 February", "<AbsoluteYearlyRecurrence><DayOfMonth>29</DayOfMonth><Month>February</Month></AbsoluteYearlyRecurrence>",
            RecurrencePattern.AbsoluteYearly(1, 2, 29) },
        { "yearly, fourth Thursday of November",
            "<RelativeYearlyRecurrence><DaysOfWeek>Thursday</DaysOfWeek><DayOfWeekIndex>Fourth</DayOfWeekIndex><Month>November</Month></RelativeYearlyRecurrence>",
            RecurrencePattern.RelativeYearly(1, 11, DaysOfWeek.Thursday, WeekIndex.Fourth) },
        // EWS yearly patterns have no interval: every 2 years is every 24 months (first occurrence in March).
        { "every 2 years on 15 March", "<AbsoluteMonthlyRecurrence><Interval>24</Interval><DayOfMonth>15</DayOfMonth></AbsoluteMonthlyRecurrence>",
            RecurrencePattern.AbsoluteYearly(2, 3, 15) },
        { "every 3 years, first Monday of March",
            "<RelativeMonthlyRecurrence><Interval>36</Interval><DaysOfWeek>Monday</DaysOfWeek><DayOfWeekIndex>First</DayOfWeekIndex></RelativeMonthlyRecurrence>",
            RecurrencePattern.RelativeYearly(3, 3, DaysOfWeek.Monday, WeekIndex.First) },
    };

    public static TheoryData<string, string, RecurrenceRange> Ranges => new()
    {
        { "end date", "<EndDateRecurrence><StartDate>2026-03-02</StartDate><EndDate>2026-12-31</EndDate></EndDateRecurrence>",
            RecurrenceRange.Until(Start, new DateOnly(2026, 12, 31)) },
        { "numbered", "<NumberedRecurrence><StartDate>2026-03-02</StartDate><NumberOfOccurrences>10</NumberOfOccurrences></NumberedRecurrence>",
            RecurrenceRange.Numbered(Start, 10) },
        { "no end", "<NoEndRecurrence><StartDate>2026-03-02</StartDate></NoEndRecurrence>", RecurrenceRange.NoEnd(Start) },
    };

    public static IEnumerable<object[]> PatternsTimesRanges() =>
        from p in Patterns from r in Ranges select new[] { p[0], p[1], p[2], r[0], r[1], r[2] };

    [Theory]
    [MemberData(nameof(PatternsTimesRanges))]
    public void Ews_xml_reads_as_the_rule_and_the_rule_writes_the_same_xml(
        string pattern, string patternXml, RecurrencePattern expectedPattern, string range, string rangeXml, RecurrenceRange expectedRange)
    {
        var xml = Types($"<Recurrence>{patternXml}{rangeXml}</Recurrence>");

        var rule = EwsRecurrenceMapping.ToRule(xml, "Europe/Rome");

        Assert.Equal(expectedPattern, rule!.Pattern);
        Assert.Equal(expectedRange, rule.Range);
        var written = EwsRecurrenceMapping.FromRule(rule);
        Assert.True(XNode.DeepEquals(xml, written), $"{pattern}, {range}: wrote {written}\nexpected {xml}");
        EwsSchema.Validate(CreateItemRequest(written)); // Microsoft's types.xsd accepts what we write
    }

    [Fact]
    public void A_weekly_pattern_without_FirstDayOfWeek_starts_weeks_on_Sunday()
    {
        var rule = EwsRecurrenceMapping.ToRule(Types(
            "<Recurrence><WeeklyRecurrence><Interval>1</Interval><DaysOfWeek>Saturday</DaysOfWeek></WeeklyRecurrence>"
            + "<NoEndRecurrence><StartDate>2026-03-07</StartDate></NoEndRecurrence></Recurrence>"), "UTC")!;
        Assert.Equal(RecurrencePattern.Weekly(1, DaysOfWeek.Saturday, DayOfWeek.Sunday), rule.Pattern);
    }

    [Theory]
    [InlineData("<HourlyRecurrence><Interval>1</Interval></HourlyRecurrence>", "Recurrence: 'HourlyRecurrence'")]
    [InlineData("<WeeklyRecurrence><Interval>1</Interval><DaysOfWeek>Someday</DaysOfWeek></WeeklyRecurrence>", "WeeklyRecurrence/DaysOfWeek")]
    [InlineData("<WeeklyRecurrence><Interval>1</Interval><DaysOfWeek></DaysOfWeek></WeeklyRecurrence>", "WeeklyRecurrence/DaysOfWeek")]
    [InlineData("<AbsoluteMonthlyRecurrence><Interval>1</Interval><DayOfMonth>32</DayOfMonth></AbsoluteMonthlyRecurrence>", "AbsoluteMonthlyRecurrence/DayOfMonth")]
    [InlineData("<AbsoluteYearlyRecurrence><DayOfMonth>1</DayOfMonth><Month>Smarch</Month></AbsoluteYearlyRecurrence>", "AbsoluteYearlyRecurrence/Month")]
    [InlineData("<RelativeMonthlyRecurrence><Interval>1</Interval><DaysOfWeek>Monday</DaysOfWeek><DayOfWeekIndex>Fifth</DayOfWeekIndex></RelativeMonthlyRecurrence>", "RelativeMonthlyRecurrence/DayOfWeekIndex")]
    [InlineData("<DailyRecurrence><Interval>often</Interval></DailyRecurrence>", "DailyRecurrence/Interval")]
    public void Unreadable_recurrence_names_the_element(string patternXml, string named)
    {
        var xml = Types($"<Recurrence>{patternXml}<NoEndRecurrence><StartDate>2026-03-02</StartDate></NoEndRecurrence></Recurrence>");
        var error = Assert.Throws<FormatException>(() => EwsRecurrenceMapping.ToRule(xml, "UTC"));
        Assert.StartsWith(named, error.Message);
    }

    [Fact]
    public void Modified_and_deleted_occurrences_of_a_master_become_the_rules_exceptions()
    {
        // Weekly Monday 09:00 New York (EST until 8 March, EDT after): 9 March moved to Tuesday 10 March 11:00 EDT,
        // 16 March deleted.
        var item = Types("""
            <CalendarItem>
              <Recurrence><WeeklyRecurrence><Interval>1</Interval><DaysOfWeek>Monday</DaysOfWeek></WeeklyRecurrence>
                <NoEndRecurrence><StartDate>2026-03-02</StartDate></NoEndRecurrence></Recurrence>
              <ModifiedOccurrences><Occurrence><ItemId Id="occ1" ChangeKey="ck"/><Start>2026-03-10T15:00:00Z</Start>
                <End>2026-03-10T16:00:00Z</End><OriginalStart>2026-03-09T13:00:00Z</OriginalStart></Occurrence></ModifiedOccurrences>
              <DeletedOccurrences><DeletedOccurrence><Start>2026-03-16T13:00:00Z</Start></DeletedOccurrence></DeletedOccurrences>
              <StartTimeZone Id="Eastern Standard Time" Name="(UTC-05:00) Eastern Time (US &amp; Canada)"/>
            </CalendarItem>
            """);
        var zone = EwsRecurrenceMapping.SeriesZone(item);
        Assert.Equal("America/New_York", zone);

        var rule = EwsRecurrenceMapping.WithOccurrences(EwsRecurrenceMapping.ToRule(item.Element(Ns.T + "Recurrence"), zone)!, item);

        var moved = Assert.Single(rule.Modified);
        Assert.Equal(new DateOnly(2026, 3, 9), moved.OriginalDate);
        Assert.Equal(new DateTime(2026, 3, 10, 11, 0, 0), Zones.ToLocal(((TimedSpan)moved.Span).Start, Zones.Get(zone)));
        Assert.Equal([new DateOnly(2026, 3, 16)], rule.Deleted);
    }

    // ---- Microsoft's documented examples (../shared/reference/extracted/ews) ----

    [Fact]
    public void The_documented_weekly_series_reads_as_ten_Saturdays_keeping_their_Pacific_time_across_DST()
    {
        // GetItem response of "How to: Create a recurring series": weekly on Saturday, 10 occurrences from 8 March 2014;
        // its FirstOccurrence/LastOccurrence give 21:21Z (13:21 PST) and, after the 9 March DST change, 20:21Z (13:21 PDT).
        var response = XDocument.Load(Reference.Path("extracted", "ews", "how-to-create-a-recurring-series-by-using-ews-in-exchange__04.xml"));
        var item = response.Descendants(Ns.T + "CalendarItem").Single();

        var rule = EwsRecurrenceMapping.ToRule(item.Element(Ns.T + "Recurrence"), "America/Los_Angeles")!;

        Assert.Equal(RecurrencePattern.Weekly(1, DaysOfWeek.Saturday), rule.Pattern);
        Assert.Equal(RecurrenceRange.Numbered(new DateOnly(2014, 3, 8), 10), rule.Range);
        var first = EwsTime.Parse(item.Element(Ns.T + "FirstOccurrence")!.Element(Ns.T + "Start")!.Value);
        var occurrences = RecurrenceExpander.Expand(rule, EventSpan.Timed(first, first.AddHours(1), "America/Los_Angeles"), new DateOnly(2015, 1, 1));
        Assert.Equal(10, occurrences.Count);
        Assert.Equal(EwsTime.Parse(item.Element(Ns.T + "LastOccurrence")!.Element(Ns.T + "Start")!.Value), ((TimedSpan)occurrences[^1].Span).Start);
    }

    [Theory]
    [InlineData("how-to-create-a-recurring-series-by-using-ews-in-exchange__01.xml", "Pacific Standard Time", "America/Los_Angeles")]
    [InlineData("how-to-update-a-recurring-series-by-using-ews-in-exchange__01.xml", "Eastern Standard Time", "America/New_York")]
    public void The_documented_requests_recurrences_parse(string file, string windowsZone, string iana)
    {
        var request = XDocument.Load(Reference.Path("extracted", "ews", file));
        var recurrence = request.Descendants(Ns.T + "Recurrence").Single();
        var contextZone = request.Descendants(Ns.T + "TimeZoneDefinition").Single().Attribute("Id")!.Value;
        Assert.Equal(windowsZone, contextZone);

        var rule = EwsRecurrenceMapping.ToRule(recurrence, Zones.WindowsToIana(contextZone)!)!;

        Assert.Equal(iana, rule.TimeZone);
        Assert.Equal(PatternType.Weekly, rule.Pattern.Type);
        // Dates on the wire may carry an offset ("2014-06-22-04:00"): the date is kept as written.
        if (rule.Range.Type == RangeType.EndDate) Assert.Equal(new DateOnly(2014, 6, 22), rule.Range.EndDate);
        else Assert.Equal((new DateOnly(2014, 3, 8), 10), (rule.Range.StartDate, rule.Range.NumberOfOccurrences!.Value));
    }

    [Fact]
    public void Every_documented_pattern_and_range_combination_is_one_we_read_and_write()
    {
        var files = Directory.GetFiles(Reference.Path("extracted", "ews"), "recurrence-recurrencetype__*.xml");
        Assert.NotEmpty(files);
        var ours = PatternsTimesRanges().Select(row => (Pattern: Types((string)row[1]).Name.LocalName, Range: Types((string)row[4]).Name.LocalName)).ToHashSet();
        foreach (var file in files)
        {
            var parts = XElement.Load(file).Elements().Select(e => e.Name.LocalName).ToArray();
            Assert.True(ours.Contains((parts[0], parts[1])), $"{Path.GetFileName(file)}: {parts[0]} + {parts[1]} is not in the conversion table");
        }
    }

    private static XElement Types(string xml) => SetNamespace(XElement.Parse(xml.Replace(" xmlns=\"\"", "")));

    private static XElement SetNamespace(XElement e)
    {
        foreach (var x in e.DescendantsAndSelf()) x.Name = XName.Get(x.Name.LocalName, T);
        return e;
    }

    private static string CreateItemRequest(XElement recurrence) => new XDocument(
        new XElement(Ns.Soap + "Envelope",
            new XElement(Ns.Soap + "Body",
                new XElement(Ns.M + "CreateItem", new XAttribute("SendMeetingInvitations", "SendToNone"),
                    new XElement(Ns.M + "Items",
                        new XElement(Ns.T + "CalendarItem",
                            new XElement(Ns.T + "Subject", "Series"),
                            new XElement(Ns.T + "Start", "2026-03-02T08:00:00Z"),
                            new XElement(Ns.T + "End", "2026-03-02T09:00:00Z"),
                            recurrence)))))).ToString();
}
