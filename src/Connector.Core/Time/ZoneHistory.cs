namespace Connector.Core.Time;

/// <summary>
/// A zone whose rules changed over the years, as EWS describes it (a TimeZoneDefinition with transition groups,
/// e.g. Eastern time before and after 2007): each entry applies from its year until the next entry's year.
/// </summary>
public static class ZoneHistory
{
    public static TimeZoneInfo ToTimeZone(string id, IReadOnlyList<(int FromYear, ZoneRules Rules)> periods, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (periods.Count == 0) throw new ArgumentException("At least one period of rules is needed.", nameof(periods));
        var ordered = periods.OrderBy(p => p.FromYear).ToList();
        var name = displayName ?? id;
        // The zone's base offset is that of the latest rules; older rules with another base carry the difference.
        var baseOffset = ordered[^1].Rules.BaseOffset;
        var adjustments = new List<TimeZoneInfo.AdjustmentRule>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var (fromYear, rules) = ordered[i];
            var start = i == 0 ? DateTime.MinValue.Date : new DateTime(fromYear, 1, 1);
            var end = i == ordered.Count - 1 ? DateTime.MaxValue.Date : new DateTime(ordered[i + 1].FromYear - 1, 12, 31);
            if (!rules.HasDaylightTime)
            {
                if (rules.BaseOffset != baseOffset)
                    throw new NotSupportedException($"Zone '{id}': a period without daylight time and another base offset ({rules.BaseOffset}) is not supported.");
                continue;
            }
            adjustments.Add(TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(start, end,
                TimeSpan.FromMinutes(-(rules.DaylightBiasMinutes - rules.StandardBiasMinutes)),
                rules.ToDaylight!.ToTransitionTime(), rules.ToStandard!.ToTransitionTime(), rules.BaseOffset - baseOffset));
        }
        return TimeZoneInfo.CreateCustomTimeZone(id, baseOffset, name, name, name + " (daylight)", adjustments.ToArray());
    }
}
