using System.Xml.Linq;
using Connector.Core.Time;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Sync;

namespace Connector.Ews.Tests.Series;

/// <summary>
/// A series whose StartTimeZone has an id .NET does not know (customised or localised) is understood from the
/// definition's periods and transitions, so it still keeps its wall clock across DST.
/// </summary>
public sealed class EwsTimeZoneRulesTests
{
    [Fact]
    public void The_documented_Eastern_definition_reads_as_the_current_US_rules()
    {
        var rules = EwsTimeZoneRules.Read(DocumentedEastern());

        Assert.Equal(new ZoneRules(300, new ZoneTransition(11, 1, DayOfWeek.Sunday, new TimeOnly(2, 0)),
            new ZoneTransition(3, 2, DayOfWeek.Sunday, new TimeOnly(2, 0)), 0, -60), rules);
    }

    [Fact]
    public void A_customised_zone_with_the_Eastern_rules_resolves_to_a_zone_that_follows_New_York()
    {
        var definition = DocumentedEastern();
        definition.SetAttributeValue("Id", "Customized Time Zone");

        var zone = Zones.Get(EwsSeriesMapping.SeriesZone("Customized Time Zone", definition));

        AssertSameOffsets(Zones.Get("America/New_York"), zone, 2030);
    }

    [Fact]
    public void A_customised_central_European_zone_follows_Rome_and_one_without_DST_follows_Kolkata()
    {
        var europe = Definition("My Rome", [("-PT1H", "Standard", "s"), ("-PT2H", "Daylight", "d")],
            ("d", 3, "Sunday", -1, "PT2H"), ("s", 10, "Sunday", -1, "PT3H"));
        var india = Definition("My Kolkata", [("-PT5H30M", "Standard", "s")]);

        AssertSameOffsets(Zones.Get("Europe/Rome"), Zones.Get(EwsSeriesMapping.SeriesZone("My Rome", europe)), 2030);
        AssertSameOffsets(Zones.Get("Asia/Kolkata"), Zones.Get(EwsSeriesMapping.SeriesZone("My Kolkata", india)), 2030);
    }

    [Fact]
    public void A_known_id_wins_over_the_rules_and_nothing_known_is_UTC()
    {
        Assert.Equal("America/New_York", EwsSeriesMapping.SeriesZone("Eastern Standard Time", DocumentedEastern()));
        Assert.Equal("Asia/Kolkata", EwsSeriesMapping.SeriesZone("India Standard Time"));
        Assert.Equal("UTC", EwsSeriesMapping.SeriesZone("Nowhere Standard Time"));
    }

    // The documented response is not well-formed as a whole (a mismatched m:ResponseCode tag); the definition is.
    private static XElement DocumentedEastern()
    {
        var text = File.ReadAllText(Reference.Path("extracted", "ews", "getservertimezones-operation__04.xml"));
        var start = text.IndexOf("<t:TimeZoneDefinition ", StringComparison.Ordinal);
        const string close = "</t:TimeZoneDefinition>";
        var end = text.IndexOf(close, start, StringComparison.Ordinal) + close.Length;
        var wrapped = $"<w xmlns:t=\"{Ns.T.NamespaceName}\">{text[start..end]}</w>";
        return XElement.Parse(wrapped).Element(Ns.T + "TimeZoneDefinition")!;
    }

    private static XElement Definition(string id, (string Bias, string Name, string Id)[] periods,
        params (string To, int Month, string Day, int Occurrence, string At)[] transitions) =>
        new(Ns.T + "StartTimeZone", new XAttribute("Id", id),
            new XElement(Ns.T + "Periods", periods.Select(p => new XElement(Ns.T + "Period",
                new XAttribute("Bias", p.Bias), new XAttribute("Name", p.Name), new XAttribute("Id", p.Id)))),
            new XElement(Ns.T + "TransitionsGroups", new XElement(Ns.T + "TransitionsGroup", new XAttribute("Id", "0"),
                transitions.Length == 0
                    ? [new XElement(Ns.T + "Transition", new XElement(Ns.T + "To", new XAttribute("Kind", "Period"), periods[0].Id))]
                    : transitions.Select(t => new XElement(Ns.T + "RecurringDayTransition",
                        new XElement(Ns.T + "To", new XAttribute("Kind", "Period"), t.To),
                        new XElement(Ns.T + "TimeOffset", t.At), new XElement(Ns.T + "Month", t.Month),
                        new XElement(Ns.T + "DayOfWeek", t.Day), new XElement(Ns.T + "Occurrence", t.Occurrence))))),
            new XElement(Ns.T + "Transitions", new XElement(Ns.T + "Transition", new XElement(Ns.T + "To", new XAttribute("Kind", "Group"), "0"))));

    private static void AssertSameOffsets(TimeZoneInfo expected, TimeZoneInfo actual, int year)
    {
        for (var t = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero); t.Year == year; t = t.AddHours(1))
            Assert.True(expected.GetUtcOffset(t) == actual.GetUtcOffset(t), $"{actual.Id} differs from {expected.Id} at {t:u}");
    }
}
