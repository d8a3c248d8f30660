using System.Globalization;

namespace Connector.Simulators.Vtenext;

/// <summary>Moves a wall-clock date and time from one zone to another the way PHP's DateTime does (vtenext's
/// adjustTimezone): a time in the spring-forward gap moves forward, an ambiguous autumn time is read as summer time.</summary>
public static class ZoneMath
{
    public static (string Date, string Time) Convert(string date, string time, TimeZoneInfo from, TimeZoneInfo to)
    {
        var local = DateTime.ParseExact($"{date} {NormalizeTime(time)}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var converted = TimeZoneInfo.ConvertTimeFromUtc(ToUtc(local, from), to);
        return (converted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), converted.ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>"9:05", "09:05" or "09:05:00" → "09:05:00"; anything else is refused.</summary>
    public static string NormalizeTime(string time)
    {
        if (TimeOnly.TryParseExact(time, ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            return t.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        throw new FormatException($"'{time}' is not a time (HH:mm)");
    }
}
