using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;

namespace Connector.Exchange.Graph.Client;

/// <summary>Graph change-notification subscriptions: create, renew before expiry, reauthorize, delete.</summary>
public sealed class GraphSubscriptionsClient(GraphTransport transport, IAccessTokenSource tokens)
{
    /// <summary>Events and contacts live at most 10,080 minutes; To Do tasks 4,230. Ask a little less.</summary>
    public static TimeSpan MaxLifetime(string resource) =>
        resource.Contains("/todo/", StringComparison.OrdinalIgnoreCase) ? TimeSpan.FromMinutes(4230 - 30) : TimeSpan.FromMinutes(10080 - 60);

    /// <summary>Renew when less than this share of the lifetime is left.</summary>
    public static bool NeedsRenewal(Subscription s, DateTimeOffset now) =>
        s.ExpirationDateTime is not { } expiry || expiry - now < MaxLifetime(s.Resource ?? "") / 4;

    public Task<Subscription> CreateAsync(string resource, string notificationUrl, string? lifecycleNotificationUrl, string clientState,
        DateTimeOffset now, string changeType = "created,updated,deleted", CancellationToken ct = default) =>
        transport.SendJsonAsync<Subscription>("subscriptions", tokens, HttpMethod.Post, "subscriptions", new Subscription
        {
            Resource = resource, ChangeType = changeType, NotificationUrl = notificationUrl, LifecycleNotificationUrl = lifecycleNotificationUrl,
            ClientState = clientState, ExpirationDateTime = now + MaxLifetime(resource),
        }, ct);

    public Task<Subscription> RenewAsync(Subscription subscription, DateTimeOffset now, CancellationToken ct = default) =>
        transport.SendJsonAsync<Subscription>("subscriptions", tokens, HttpMethod.Patch, $"subscriptions/{Uri.EscapeDataString(subscription.Id!)}",
            new Subscription { ExpirationDateTime = now + MaxLifetime(subscription.Resource ?? "") }, ct);

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) =>
        transport.SendNoContentAsync("subscriptions", tokens, HttpMethod.Delete, $"subscriptions/{Uri.EscapeDataString(id)}", null, ct, notFoundIsFalse: true);
}

/// <summary>What to do about one incoming notification.</summary>
public enum NotificationAction { Ignore, Reject, CatchUpDelta, Renew, Recreate }

/// <summary>
/// The receiving side of change notifications: the validation handshake, the clientState check, and what each
/// lifecycle event means. A notification only ever triggers a delta catch-up; the delta query is the truth.
/// </summary>
public static class ChangeNotifications
{
    /// <summary>The answer to Graph's validation POST: the URL-decoded validationToken as text/plain (null if not a validation).</summary>
    public static string? ValidationResponse(string? validationToken) => string.IsNullOrEmpty(validationToken) ? null : validationToken;

    public static NotificationAction Decide(ChangeNotification n, Func<string, string?> expectedClientState)
    {
        var expected = n.SubscriptionId is null ? null : expectedClientState(n.SubscriptionId);
        if (expected is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(n.ClientState ?? "")))
            return NotificationAction.Reject; // unknown subscription or forged clientState
        return n.LifecycleEvent switch
        {
            null => NotificationAction.CatchUpDelta,
            "missed" => NotificationAction.CatchUpDelta,
            "reauthorizationRequired" => NotificationAction.Renew,
            "subscriptionRemoved" => NotificationAction.Recreate,
            _ => NotificationAction.Ignore,
        };
    }
}
