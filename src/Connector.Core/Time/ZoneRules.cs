namespace Connector.Core.Time;

/// <summary>
/// A yearly DST transition as Windows and Exchange describe it: month, the n-th week day of that month
/// (<see cref="Week"/> 1-4, 5 = last) and the local time of day.
/// </summary>
public sealed record ZoneTransition(int Month, int Week, DayOfWeek DayOfWeek, TimeOnly TimeOfDay)
{
    internal TimeZoneInfo.TransitionTime ToTransitionTime() =>
        TimeZoneInfo.TransitionTime.CreateFloatingDateRule(
            new DateTime(1, 1, 1, TimeOfDay.Hour, TimeOfDay.Minute, TimeOfDay.Second), Month, Week, DayOfWeek);
}

/// <summary>
/// A zone described by its rules instead of a known id (Exchange sends these for custom or unknown Windows zones).
/// Windows sign convention: UTC = local time + bias, so Central Europe has Bias = -60 minutes and
/// DaylightBias = -60. A zone without DST has no transitions.
/// </summary>
public sealed record ZoneRules(
    int BiasMinutes,
    ZoneTransition? ToStandard = null,
    ZoneTransition? ToDaylight = null,
    int StandardBiasMinutes = 0,
    int DaylightBiasMinutes = -60)
{
    /// <summary>The base offset from UTC (the opposite of the bias).</summary>
    public TimeSpan BaseOffset => TimeSpan.FromMinutes(-(BiasMinutes + StandardBiasMinutes));

    public bool HasDaylightTime => ToStandard is not null && ToDaylight is not null && DaylightBiasMinutes != StandardBiasMinutes;

    /// <summary>A .NET zone that follows these rules every year.</summary>
    public TimeZoneInfo ToTimeZone(string id, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var name = displayName ?? id;
        if (!HasDaylightTime) return TimeZoneInfo.CreateCustomTimeZone(id, BaseOffset, name, name);
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            DateTime.MinValue.Date, DateTime.MaxValue.Date,
            TimeSpan.FromMinutes(-(DaylightBiasMinutes - StandardBiasMinutes)),
            ToDaylight!.ToTransitionTime(), ToStandard!.ToTransitionTime());
        return TimeZoneInfo.CreateCustomTimeZone(id, BaseOffset, name, name, name + " (daylight)", [rule]);
    }
}
