using System.Globalization;

namespace Connector.Vtenext.Mapping;

/// <summary>Which vtenext read produced the values: they are in different zones.</summary>
public enum ValueSource
{
    /// <summary><c>retrieve</c> (and create/revise answers): calendar dates and times in the integration user's zone.</summary>
    Retrieve,

    /// <summary><c>query</c> and direct table reads: values as stored, in the server zone (<c>$default_timezone</c>).</summary>
    Query,
}

/// <summary>
/// vtenext's two clocks: the server zone the database keeps, and the integration user's zone that the webservice
/// speaks for calendar dates and times. Conversions follow PHP's rules (vtenext's adjustTimezone): a wall time in
/// the spring-forward gap moves forward by the gap, an ambiguous autumn wall time is read as summer time.
/// </summary>
public sealed record VtenextZones(TimeZoneInfo Server, TimeZoneInfo User)
{
    public static VtenextZones FromIds(string serverZone, string userZone) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(serverZone), TimeZoneInfo.FindSystemTimeZoneById(userZone));

    public TimeZoneInfo Of(ValueSource source) => source == ValueSource.Retrieve ? User : Server;

    public static DateTimeOffset ToInstant(string date, string time, TimeZoneInfo zone)
    {
        var local = DateTime.ParseExact($"{date} {NormalizeTime(time)}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (zone.IsInvalidTime(local)) local = local.Add(GapLength(zone, local));
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    public static (string Date, string Time) FromInstant(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return (local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), local.ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    /// <summary>vtenext's timestamps (createdtime, modifiedtime): "yyyy-MM-dd HH:mm:ss", stored in the server zone and
    /// shown by retrieve in the user's.</summary>
    public DateTimeOffset Timestamp(string value, ValueSource source) =>
        ToInstant(value[..10], value.Length > 11 ? value[11..] : "00:00:00", Of(source));

    /// <summary>"9:05", "09:05" and "09:05:00" all mean 09:05:00.</summary>
    public static string NormalizeTime(string time) =>
        TimeOnly.TryParseExact(time.Trim(), ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : throw new FormatException($"'{time}' is not a vtenext time (HH:mm).");

    private static TimeSpan GapLength(TimeZoneInfo zone, DateTime local)
    {
        var before = zone.GetUtcOffset(local.AddHours(-3));
        var after = zone.GetUtcOffset(local.AddHours(3));
        return after > before ? after - before : TimeSpan.FromHours(1);
    }
}
