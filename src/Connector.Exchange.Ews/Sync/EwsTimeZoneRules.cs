using System.Xml;
using System.Xml.Linq;
using Connector.Core.Time;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Sync;

/// <summary>
/// Reads the rules of an EWS <c>TimeZoneDefinition</c> (<c>StartTimeZone</c> of a calendar item): the periods'
/// biases and the yearly transitions of the group in force last, as <see cref="ZoneRules"/>. Exchange sends these for
/// every zone; they matter when the Id is one .NET does not know (a customised or localised zone), so the series
/// still keeps its wall clock across DST.
/// </summary>
public static class EwsTimeZoneRules
{
    /// <summary>The current rules of a definition; null when it has no periods (an Id-only reference).</summary>
    public static ZoneRules? Read(XElement? definition)
    {
        var periods = definition?.Element(Ns.T + "Periods")?.Elements(Ns.T + "Period")
            .Select(p => (Id: (string?)p.Attribute("Id") ?? "", Name: (string?)p.Attribute("Name") ?? "", Bias: Bias(p)))
            .ToDictionary(p => p.Id);
        if (periods is null || periods.Count == 0) return null;

        var groups = definition!.Element(Ns.T + "TransitionsGroups")?.Elements(Ns.T + "TransitionsGroup")
            .ToDictionary(g => (string?)g.Attribute("Id") ?? "") ?? [];
        // The group in force now: the last transition (they are listed in time order) that points at a group.
        var current = definition.Element(Ns.T + "Transitions")?.Elements()
            .Select(t => t.Element(Ns.T + "To")).Where(to => (string?)to?.Attribute("Kind") == "Group")
            .Select(to => groups.GetValueOrDefault(to!.Value.Trim())).LastOrDefault(g => g is not null)
            ?? groups.Values.LastOrDefault();

        var recurring = current?.Elements(Ns.T + "RecurringDayTransition").ToList() ?? [];
        var toPeriods = current?.Elements().Select(t => t.Element(Ns.T + "To")?.Value.Trim()).OfType<string>()
            .Select(id => periods.GetValueOrDefault(id)).Where(p => p.Id is not null).ToList() ?? [];
        if (recurring.Count < 2)
        {
            // No DST: one period in force (the group's target, or the only period there is).
            var only = toPeriods.Count > 0 ? toPeriods[0] : periods.Values.First();
            return new ZoneRules(only.Bias);
        }
        var standard = Transition(recurring, periods, daylight: false);
        var daylight = Transition(recurring, periods, daylight: true);
        if (standard is null || daylight is null) return new ZoneRules(toPeriods.Select(p => p.Bias).DefaultIfEmpty(0).Max());
        return new ZoneRules(standard.Value.Bias, standard.Value.Rule, daylight.Value.Rule, 0, daylight.Value.Bias - standard.Value.Bias);
    }

    private static (int Bias, ZoneTransition Rule)? Transition(List<XElement> transitions,
        Dictionary<string, (string Id, string Name, int Bias)> periods, bool daylight)
    {
        foreach (var t in transitions)
        {
            if (!periods.TryGetValue(t.Element(Ns.T + "To")?.Value.Trim() ?? "", out var period)) continue;
            // Period names are "Standard" / "Daylight"; a larger bias (further behind UTC) is the standard one otherwise.
            var isDaylight = period.Name.Equals("Daylight", StringComparison.OrdinalIgnoreCase)
                             || (!period.Name.Equals("Standard", StringComparison.OrdinalIgnoreCase) && period.Bias == transitions
                                 .Select(x => periods.GetValueOrDefault(x.Element(Ns.T + "To")?.Value.Trim() ?? "").Bias).Min());
            if (isDaylight != daylight) continue;
            var occurrence = (int?)t.Element(Ns.T + "Occurrence") ?? 1;
            var at = XmlConvert.ToTimeSpan(t.Element(Ns.T + "TimeOffset")?.Value ?? "PT0S");
            return (period.Bias, new ZoneTransition((int?)t.Element(Ns.T + "Month") ?? 1, occurrence is < 1 or > 4 ? 5 : occurrence,
                Enum.Parse<DayOfWeek>(t.Element(Ns.T + "DayOfWeek")?.Value ?? "Sunday"), TimeOnly.FromTimeSpan(at)));
        }
        return null;
    }

    // Bias is an xs:duration: UTC = local + bias ("PT5H" for New York, "-PT1H" for Rome).
    private static int Bias(XElement period) => (int)XmlConvert.ToTimeSpan((string?)period.Attribute("Bias") ?? "PT0S").TotalMinutes;

    /// <summary>
    /// IANA zones whose offsets agree with <paramref name="zone"/> in January and July of <paramref name="year"/>:
    /// the candidates <see cref="ZoneResolver"/> compares hour by hour to name a rules-only zone.
    /// </summary>
    public static IEnumerable<string> Candidates(TimeZoneInfo zone, int year)
    {
        var probes = new[] { new DateTimeOffset(year, 1, 15, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(year, 7, 15, 12, 0, 0, TimeSpan.Zero) };
        return TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId && z.Id.Contains('/') && probes.All(p => z.GetUtcOffset(p) == zone.GetUtcOffset(p)))
            .Select(z => z.Id)
            .OrderBy(id => id.StartsWith("Etc/", StringComparison.Ordinal) ? 1 : 0).ThenBy(id => id, StringComparer.Ordinal);
    }
}
