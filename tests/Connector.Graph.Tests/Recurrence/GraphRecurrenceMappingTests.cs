using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Exchange.Graph.Models;
using Connector.Exchange.Graph.Sync;
using ModelPattern = Connector.Core.Recurrence.RecurrencePattern;
using ModelRange = Connector.Core.Recurrence.RecurrenceRange;

namespace Connector.Graph.Tests;

/// <summary>
/// Graph <c>patternedRecurrence</c> ⇄ the core model, for every pattern and range type, both ways: the JSON Graph
/// sends reads as the expected rule, and the rule writes the JSON Graph expects (and reads back unchanged).
/// </summary>
public sealed class GraphRecurrenceMappingTests
{
    private static readonly DateOnly Start = new(2026, 3, 2); // a Monday

    public static TheoryData<string, string, ModelPattern> Patterns => new()
    {
        { "daily every 2 days", """{"type":"daily","interval":2}""", ModelPattern.Daily(2) },
        { "weekly Mon+Wed, week starts Monday", """{"type":"weekly","interval":1,"daysOfWeek":["monday","wednesday"],"firstDayOfWeek":"monday"}""",
            ModelPattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Wednesday, DayOfWeek.Monday) },
        { "every 3 weeks on Friday", """{"type":"weekly","interval":3,"daysOfWeek":["friday"],"firstDayOfWeek":"sunday"}""",
            ModelPattern.Weekly(3, DaysOfWeek.Friday) },
        { "monthly on the 31st", """{"type":"absoluteMonthly","interval":1,"dayOfMonth":31}""", ModelPattern.AbsoluteMonthly(1, 31) },
        { "every 2 months, last Friday", """{"type":"relativeMonthly","interval":2,"daysOfWeek":["friday"],"index":"last"}""",
            ModelPattern.RelativeMonthly(2, DaysOfWeek.Friday, WeekIndex.Last) },
        { "monthly, second weekday", """{"type":"relativeMonthly","interval":1,"daysOfWeek":["monday","tuesday","wednesday","thursday","friday"],"index":"second"}""",
            ModelPattern.RelativeMonthly(1, DaysOfWeek.Weekdays, WeekIndex.Second) },
        { "yearly on 29 February", """{"type":"absoluteYearly","interval":1,"month":2,"dayOfMonth":29}""", ModelPattern.AbsoluteYearly(1, 2, 29) },
        { "every 2 years, fourth Thursday of November", """{"type":"relativeYearly","interval":2,"month":11,"daysOfWeek":["thursday"],"index":"fourth"}""",
            ModelPattern.RelativeYearly(2, 11, DaysOfWeek.Thursday, WeekIndex.Fourth) },
    };

    public static TheoryData<string, string, ModelRange> Ranges => new()
    {
        { "end date", """{"type":"endDate","startDate":"2026-03-02","endDate":"2026-12-31","recurrenceTimeZone":"W. Europe Standard Time"}""",
            ModelRange.Until(Start, new DateOnly(2026, 12, 31)) },
        { "numbered", """{"type":"numbered","startDate":"2026-03-02","numberOfOccurrences":10,"recurrenceTimeZone":"W. Europe Standard Time"}""",
            ModelRange.Numbered(Start, 10) },
        { "no end", """{"type":"noEnd","startDate":"2026-03-02","recurrenceTimeZone":"W. Europe Standard Time"}""", ModelRange.NoEnd(Start) },
    };

    public static IEnumerable<object[]> PatternsTimesRanges() =>
        from p in Patterns from r in Ranges select new[] { p[0], p[1], p[2], r[0], r[1], r[2] };

    [Theory]
    [MemberData(nameof(PatternsTimesRanges))]
    public void Graph_json_reads_as_the_rule_and_the_rule_writes_the_same_json(
        string pattern, string patternJson, ModelPattern expectedPattern, string range, string rangeJson, ModelRange expectedRange)
    {
        var json = $$"""{"pattern":{{patternJson}},"range":{{rangeJson}}}""";
        var graph = JsonSerializer.Deserialize<PatternedRecurrence>(json, GraphJson.Options)!;

        var rule = GraphRecurrenceMapping.ToRule(graph, eventZone: "UTC");

        Assert.NotNull(rule);
        Assert.Equal(expectedPattern, rule!.Pattern);
        Assert.Equal(expectedRange, rule.Range);
        Assert.Equal("Europe/Berlin", rule.TimeZone); // recurrenceTimeZone wins over the event's zone

        var written = JsonNode.Parse(JsonSerializer.Serialize(GraphRecurrenceMapping.FromRule(rule), GraphJson.Options))!;
        AssertJsonContains(JsonNode.Parse(patternJson)!, written["pattern"], $"{pattern}: pattern");
        AssertJsonContains(JsonNode.Parse(rangeJson)!, written["range"], $"{range}: range");
        Assert.Equal(rule, GraphRecurrenceMapping.ToRule(
            JsonSerializer.Deserialize<PatternedRecurrence>(written.ToJsonString(), GraphJson.Options), "UTC"));
    }

    [Theory]
    [InlineData("""{"pattern":{"type":"hourly","interval":1},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", "recurrence.pattern.type")]
    [InlineData("""{"pattern":{"type":"weekly","interval":1,"daysOfWeek":[]},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", "recurrence.pattern.daysOfWeek")]
    [InlineData("""{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["someday"]},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", "recurrence.pattern.daysOfWeek")]
    [InlineData("""{"pattern":{"type":"absoluteMonthly","interval":1,"dayOfMonth":32},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", "recurrence.pattern.dayOfMonth")]
    [InlineData("""{"pattern":{"type":"absoluteYearly","interval":1,"dayOfMonth":1,"month":13},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", "recurrence.pattern.month")]
    [InlineData("""{"pattern":{"type":"relativeMonthly","interval":1,"daysOfWeek":["monday"],"index":"fifth"},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", "recurrence.pattern.index")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"endDate","startDate":"2026-03-02","endDate":"soon"}}""", "recurrence.range.endDate")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"numbered","startDate":"2026-03-02","numberOfOccurrences":0}}""", "recurrence.range.numberOfOccurrences")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"forever","startDate":"2026-03-02"}}""", "recurrence.range.type")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd"}}""", "recurrence.range.startDate")]
    public void Unreadable_recurrence_names_the_field(string json, string field)
    {
        var graph = JsonSerializer.Deserialize<PatternedRecurrence>(json, GraphJson.Options)!;
        var error = Assert.Throws<FormatException>(() => GraphRecurrenceMapping.ToRule(graph, "UTC"));
        Assert.StartsWith(field, error.Message);
    }

    [Fact]
    public void Without_recurrenceTimeZone_the_series_keeps_the_events_zone_and_a_single_event_has_no_rule()
    {
        var graph = JsonSerializer.Deserialize<PatternedRecurrence>(
            """{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2026-03-02"}}""", GraphJson.Options);
        Assert.Equal("Asia/Kolkata", GraphRecurrenceMapping.ToRule(graph, "Asia/Kolkata")!.TimeZone);
        Assert.Null(GraphRecurrenceMapping.ToRule(null, "Asia/Kolkata"));
        Assert.Equal("India Standard Time", GraphRecurrenceMapping.FromRule(GraphRecurrenceMapping.ToRule(graph, "Asia/Kolkata")!).Range!.RecurrenceTimeZone);
    }

    [Fact]
    public void Instances_give_the_exceptions_and_deleted_occurrences_of_a_series()
    {
        // Weekly on Monday 09:00 in Rome; in March: 2 (plain), 9 (moved to Tuesday 10 with a new subject),
        // 16 (deleted: no instance), 23 (plain), 30 (plain, after the DST change on 29 March).
        var rule = new RecurrenceRule(ModelPattern.Weekly(1, DaysOfWeek.Monday), ModelRange.NoEnd(Start), "Europe/Rome");
        var master = new CalendarEvent
        {
            Subject = "Standup", Span = EventSpan.Timed(At("2026-03-02T08:00:00Z"), At("2026-03-02T08:15:00Z"), "Europe/Rome"),
        };
        Event Instance(string type, string originalUtc, string startUtc, string endUtc, string subject = "Standup") => new()
        {
            Id = "i" + originalUtc, Type = type, Subject = subject, OriginalStart = At(originalUtc), OriginalStartTimeZone = "W. Europe Standard Time",
            Start = new DateTimeTimeZone { DateTime = startUtc, TimeZone = "UTC" }, End = new DateTimeTimeZone { DateTime = endUtc, TimeZone = "UTC" },
        };
        var instances = new[]
        {
            Instance("occurrence", "2026-03-02T08:00:00Z", "2026-03-02T08:00:00", "2026-03-02T08:15:00"),
            Instance("exception", "2026-03-09T08:00:00Z", "2026-03-10T09:00:00", "2026-03-10T09:30:00", "Standup (moved)"),
            Instance("occurrence", "2026-03-23T08:00:00Z", "2026-03-23T08:00:00", "2026-03-23T08:15:00"),
            Instance("occurrence", "2026-03-30T07:00:00Z", "2026-03-30T07:00:00", "2026-03-30T07:15:00"),
        };

        var withInstances = GraphRecurrenceMapping.WithInstances(rule, master, instances, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), "me@contoso.com");

        var moved = Assert.Single(withInstances.Modified);
        Assert.Equal(new DateOnly(2026, 3, 9), moved.OriginalDate);
        Assert.Equal(EventSpan.Timed(At("2026-03-10T09:00:00Z"), At("2026-03-10T09:30:00Z"), "Europe/Rome").ContentText, moved.Span.ContentText);
        Assert.Equal("Standup (moved)", moved.Subject);
        Assert.Null(moved.Location); // unchanged details stay "as the series"
        Assert.Equal([new DateOnly(2026, 3, 16)], withInstances.Deleted);
        // The series beyond the listed window is not judged: April's occurrences are not deleted.
        Assert.DoesNotContain(withInstances.Deleted, d => d.Month == 4);
    }

    // ---- Microsoft's documented examples (../shared/reference/extracted/graph-2021) ----

    [Theory]
    [InlineData("api-reference_v1.0_api_user-post-events__06.http")] // the request: no recurrenceTimeZone, zone from start
    [InlineData("api-reference_v1.0_api_user-post-events__07.http")] // the response: recurrenceTimeZone given
    public void The_documented_weekly_lunch_series_parses_to_the_expected_rule(string file)
    {
        var e = JsonSerializer.Deserialize<Event>(Body(file), DocsJson)!;
        var zone = Connector.Core.Time.Zones.WindowsToIana(e.Start!.TimeZone!)!;

        var rule = GraphRecurrenceMapping.ToRule(e.Recurrence, zone)!;

        Assert.Equal(ModelPattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Sunday), rule.Pattern);
        Assert.Equal(ModelRange.Until(new DateOnly(2017, 9, 4), new DateOnly(2017, 12, 31)), rule.Range);
        Assert.Equal("America/Los_Angeles", rule.TimeZone);
        // 4 Sep to 31 Dec 2017: 17 Mondays, each at noon Pacific time, before and after the 5 November DST change.
        var master = EventSpan.Timed(new DateTimeOffset(2017, 9, 4, 19, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 9, 4, 21, 0, 0, TimeSpan.Zero), zone);
        var occurrences = RecurrenceExpander.Expand(rule, master, new DateOnly(2018, 1, 31));
        Assert.Equal(17, occurrences.Count);
        Assert.Equal(new DateTimeOffset(2017, 12, 25, 20, 0, 0, TimeSpan.Zero), ((TimedSpan)occurrences[^1].Span).Start);
    }

    [Fact]
    public void The_documented_patternedRecurrence_resource_and_a_null_recurrence_read_as_no_series()
    {
        var single = JsonSerializer.Deserialize<Event>(Body("api-reference_v1.0_api_user-post-events__05.http"), DocsJson)!;
        Assert.Null(single.Recurrence);
        Assert.Null(GraphRecurrenceMapping.ToRule(single.Recurrence, "America/Los_Angeles"));
        var domain = GraphDomainMapping.ToDomain(single, "danas@contoso.onmicrosoft.com");
        Assert.Equal("America/Los_Angeles", ((TimedSpan)domain.Span).TimeZone); // originalStartTimeZone, Windows → IANA
    }

    // The docs' samples are hand-written and sometimes end an object with a trailing comma.
    private static readonly JsonSerializerOptions DocsJson = new(GraphJson.Options) { AllowTrailingCommas = true };

    private static string Body(string file)
    {
        var text = File.ReadAllText(Path.Combine(ConformanceTests.ReferenceRoot(), "extracted", "graph-2021", file));
        return text[text.IndexOf('{')..];
    }

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every property of <paramref name="expected"/> is in <paramref name="actual"/> with the same value
    /// (day names compared case-insensitively: Graph accepts and returns both spellings).</summary>
    private static void AssertJsonContains(JsonNode expected, JsonNode? actual, string path)
    {
        Assert.NotNull(actual);
        foreach (var (key, value) in expected.AsObject())
        {
            var got = actual![key];
            Assert.True(got is not null, $"{path}.{key} missing in {actual.ToJsonString()}");
            Assert.Equal(value!.ToJsonString().ToLowerInvariant(), got!.ToJsonString().ToLowerInvariant());
        }
    }
}
