using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connector.Exchange.Graph.Models;

/// <summary>
/// The JSON rules of Graph's wire format. Enum-like values (showAs, response, status…) stay strings: Graph adds
/// values over time and a client must not fail on one it does not know. Properties the models do not name are
/// kept in <see cref="GraphEntity.Additional"/>, so a read-modify-write never drops data.
/// </summary>
public static class GraphJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Every Graph JSON object: properties the model does not name are kept and written back unchanged.</summary>
public abstract class GraphObject
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Additional { get; set; }
}

/// <summary>Base of every Graph resource: OData annotations plus the delta <c>@removed</c> marker.</summary>
public abstract class GraphEntity : GraphObject
{
    [JsonPropertyName("@odata.type")] public string? ODataType { get; set; }
    [JsonPropertyName("@odata.etag")] public string? ODataEtag { get; set; }
    /// <summary>Set on delta entries for deleted items: <c>{"reason":"deleted"}</c>.</summary>
    [JsonPropertyName("@removed")] public RemovedInfo? Removed { get; set; }
}

public sealed class RemovedInfo : GraphObject
{
    public string? Reason { get; set; }
}

/// <summary>A page of a collection; delta queries end with <see cref="DeltaLink"/>, other pages carry <see cref="NextLink"/>.</summary>
public sealed class GraphPage<T>
{
    [JsonPropertyName("@odata.context")] public string? Context { get; set; }
    [JsonPropertyName("@odata.nextLink")] public string? NextLink { get; set; }
    [JsonPropertyName("@odata.deltaLink")] public string? DeltaLink { get; set; }
    public List<T> Value { get; set; } = [];
    [JsonExtensionData] public Dictionary<string, JsonElement>? Additional { get; set; }
}

public sealed class GraphErrorBody : GraphObject
{
    public GraphError? Error { get; set; }
}

public sealed class GraphError : GraphObject
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public GraphError? InnerError { get; set; }
}

public sealed class EmailAddressValue : GraphObject
{
    public string? Name { get; set; }
    public string? Address { get; set; }
}

public sealed class Recipient : GraphObject
{
    public EmailAddressValue? EmailAddress { get; set; }
}

/// <summary>Graph's dateTimeTimeZone: a local date-time string ("2021-03-01T09:00:00.0000000") plus a zone name.</summary>
public sealed class DateTimeTimeZone : GraphObject
{
    public string? DateTime { get; set; }
    public string? TimeZone { get; set; }

    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff";

    public static DateTimeTimeZone FromUtc(DateTimeOffset instant) =>
        new() { DateTime = instant.UtcDateTime.ToString(Format, System.Globalization.CultureInfo.InvariantCulture), TimeZone = "UTC" };

    /// <summary>The instant, interpreting <see cref="DateTime"/> in <see cref="TimeZone"/> (Windows or IANA id; UTC when absent).</summary>
    public DateTimeOffset ToInstant()
    {
        var local = System.DateTime.Parse(DateTime ?? throw new FormatException("dateTimeTimeZone.dateTime is missing."),
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        if (local.Kind == DateTimeKind.Utc) return new DateTimeOffset(local);
        var zone = string.IsNullOrEmpty(TimeZone) || TimeZone.Equals("UTC", StringComparison.OrdinalIgnoreCase)
            ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(System.DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }
}

public sealed class ItemBody : GraphObject
{
    public string? ContentType { get; set; }
    public string? Content { get; set; }
}

public sealed class SingleValueExtendedProperty : GraphObject
{
    public string? Id { get; set; }
    public string? Value { get; set; }
}
