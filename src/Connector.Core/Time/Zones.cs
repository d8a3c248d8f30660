namespace Connector.Core.Time;

/// <summary>
/// Time-zone lookups and wall-clock conversions. Zones are IANA ids inside the connector; Exchange speaks Windows
/// ids, converted here with the ICU data .NET ships (CLDR windowsZones). Local times that do not exist (the
/// spring-forward gap) move forward by the gap, as Exchange and Outlook do; ambiguous ones (the repeated autumn
/// hour) take the first, daylight, instant.
/// </summary>
public static class Zones
{
    public static TimeZoneInfo Utc => TimeZoneInfo.Utc;

    /// <summary>Finds an IANA (or Windows) zone; null if unknown.</summary>
    public static TimeZoneInfo? Find(string id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id.Trim()); }
        catch (TimeZoneNotFoundException) { return null; }
        catch (InvalidTimeZoneException) { return null; }
    }

    /// <summary>Finds a zone or throws an <see cref="ArgumentException"/> naming it.</summary>
    public static TimeZoneInfo Get(string id) =>
        Find(id) ?? throw new ArgumentException($"Unknown time zone '{id}'.", nameof(id));

    /// <summary>
    /// The IANA id for a Windows zone id, for a region when given (CLDR territory, e.g. "CA" maps
    /// "Central Standard Time" to America/Winnipeg instead of America/Chicago); null if the id is not a Windows id.
    /// </summary>
    public static string? WindowsToIana(string windowsId, string? region = null)
    {
        if (string.IsNullOrWhiteSpace(windowsId)) return null;
        if (region is not null && TimeZoneInfo.TryConvertWindowsIdToIanaId(windowsId.Trim(), region, out var regional)) return Canonical(regional);
        return TimeZoneInfo.TryConvertWindowsIdToIanaId(windowsId.Trim(), out var iana) ? Canonical(iana) : null;
    }

    // CLDR (and so ICU) still names some zones by their old IANA links; store the current names.
    private static readonly Dictionary<string, string> CurrentNames = new(StringComparer.Ordinal)
    {
        ["Asia/Calcutta"] = "Asia/Kolkata",
        ["Asia/Katmandu"] = "Asia/Kathmandu",
        ["Asia/Saigon"] = "Asia/Ho_Chi_Minh",
        ["Asia/Rangoon"] = "Asia/Yangon",
        ["Europe/Kiev"] = "Europe/Kyiv",
        ["America/Godthab"] = "America/Nuuk",
        ["Atlantic/Faeroe"] = "Atlantic/Faroe",
        ["Pacific/Enderbury"] = "Pacific/Kanton",
        ["Etc/UTC"] = "UTC",
        ["Etc/GMT"] = "UTC",
    };

    /// <summary>The current IANA name for an old alias (Asia/Calcutta → Asia/Kolkata), when this system knows it.</summary>
    public static string Canonical(string ianaId) =>
        CurrentNames.TryGetValue(ianaId, out var current) && Find(current) is not null ? current : ianaId;

    /// <summary>The Windows id for an IANA id (or the id itself if it is already a Windows id); null if none.</summary>
    public static string? IanaToWindows(string ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId)) return null;
        var id = ianaId.Trim();
        if (TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out var windows)) return windows;
        if (id is "UTC" or "Etc/UTC" or "Etc/GMT") return "UTC";
        return TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out _) ? id : null;
    }

    /// <summary>The instant a wall-clock time happens in a zone (gap: moved forward; overlap: the earlier instant).</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            // Inside the spring-forward gap: use the offset before the gap, which lands the same distance past it.
            var before = zone.GetUtcOffset(wall.AddHours(-12));
            return new DateTimeOffset(wall, before).ToUniversalTime();
        }
        if (zone.IsAmbiguousTime(wall))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(wall);
            return new DateTimeOffset(wall, offsets.Max()).ToUniversalTime();
        }
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall)).ToUniversalTime();
    }

    /// <summary>The wall-clock time of an instant in a zone.</summary>
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, zone).DateTime, DateTimeKind.Unspecified);

    /// <summary>The date of an instant in a zone.</summary>
    public static DateOnly DateIn(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(ToLocal(instant, zone));

    /// <summary>Midnight at the start of a date in a zone (as an instant).</summary>
    public static DateTimeOffset MidnightIn(DateOnly date, TimeZoneInfo zone) =>
        ToInstant(date.ToDateTime(TimeOnly.MinValue), zone);
}
