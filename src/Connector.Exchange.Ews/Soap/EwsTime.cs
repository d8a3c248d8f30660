using System.Globalization;

namespace Connector.Exchange.Ews.Soap;

/// <summary>Times go on the wire in UTC (with <c>Z</c>); the request's TimeZoneContext is UTC too.</summary>
public static class EwsTime
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Reads xs:dateTime; a value without offset is taken as UTC (our TimeZoneContext is UTC).</summary>
    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Reads xs:date, tolerating a trailing offset (<c>2026-01-05Z</c>, <c>2026-01-05-08:00</c>).</summary>
    public static DateOnly ParseDate(string value) =>
        DateOnly.ParseExact(value.Length > 10 ? value[..10] : value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
