using System.Text.Json.Serialization;

namespace Connector.Exchange.Graph.Models;

public sealed class Subscription : GraphEntity
{
    public string? Id { get; set; }
    public string? Resource { get; set; }
    public string? ChangeType { get; set; }
    public string? NotificationUrl { get; set; }
    public string? LifecycleNotificationUrl { get; set; }
    public DateTimeOffset? ExpirationDateTime { get; set; }
    public string? ClientState { get; set; }
    public string? ApplicationId { get; set; }
    public string? CreatorId { get; set; }
    public string? LatestSupportedTlsVersion { get; set; }
}

/// <summary>The body Graph POSTs to a notification URL.</summary>
public sealed class ChangeNotificationCollection : GraphObject
{
    public List<ChangeNotification> Value { get; set; } = [];
}

public sealed class ChangeNotification : GraphEntity
{
    public string? Id { get; set; }
    public string? SubscriptionId { get; set; }
    public DateTimeOffset? SubscriptionExpirationDateTime { get; set; }
    public string? ClientState { get; set; }
    /// <summary>created, updated, deleted (change notifications).</summary>
    public string? ChangeType { get; set; }
    public string? Resource { get; set; }
    public ResourceData? ResourceData { get; set; }
    public string? TenantId { get; set; }
    /// <summary>reauthorizationRequired, subscriptionRemoved, missed (lifecycle notifications).</summary>
    public string? LifecycleEvent { get; set; }
}

public sealed class ResourceData : GraphObject
{
    [JsonPropertyName("@odata.type")] public string? ODataType { get; set; }
    [JsonPropertyName("@odata.id")] public string? ODataId { get; set; }
    [JsonPropertyName("@odata.etag")] public string? ODataEtag { get; set; }
    public string? Id { get; set; }
}
