using System.Text.Json;

namespace Connector.Exchange.Graph.Models;

/// <summary>JSON batching: up to 20 requests in one POST /$batch.</summary>
public sealed class BatchRequest : GraphObject
{
    public const int MaxRequests = 20;
    public List<BatchRequestItem> Requests { get; set; } = [];
}

public sealed class BatchRequestItem : GraphObject
{
    public string Id { get; set; } = "";
    public string Method { get; set; } = "GET";
    /// <summary>Relative to the version root, e.g. "/me/events/{id}".</summary>
    public string Url { get; set; } = "";
    public Dictionary<string, string>? Headers { get; set; }
    public JsonElement? Body { get; set; }
    public List<string>? DependsOn { get; set; }
}

public sealed class BatchResponse : GraphObject
{
    public List<BatchResponseItem> Responses { get; set; } = [];
}

public sealed class BatchResponseItem : GraphObject
{
    public string Id { get; set; } = "";
    public int Status { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public JsonElement? Body { get; set; }
}
