using System.Text.RegularExpressions;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph.Notifications;

/// <summary>
/// <c>/v1.0/subscriptions</c>: create (after the validationToken handshake with the notification URL and, when
/// given, the lifecycle URL), renew (PATCH), reauthorize, delete. Events and contacts live at most 10,080 minutes,
/// To Do tasks 4,230 minutes.
/// </summary>
public static partial class SubscriptionEndpoints
{
    public static void MapSubscriptions(this RouteGroupBuilder v1)
    {
        v1.MapPost("/subscriptions", async (HttpContext http, MailboxDirectory directory, SubscriptionStore store, IHttpClientFactory clients, TimeProvider clock) =>
        {
            var (body, error) = await http.ReadBody<Subscription>();
            if (error is not null) return error;
            var grant = http.Grant();
            if (string.IsNullOrWhiteSpace(body!.ChangeType) || body.ChangeType.Split(',').Any(c => c is not ("created" or "updated" or "deleted")))
                return GraphErrors.BadRequest("changeType must be a comma-separated list of created, updated, deleted.", "InvalidRequest");
            if (!Uri.TryCreate(body.NotificationUrl, UriKind.Absolute, out _)) return GraphErrors.BadRequest("notificationUrl is required.", "InvalidRequest");
            if (body.ClientState is { Length: > 128 }) return GraphErrors.BadRequest("clientState is limited to 128 characters.", "InvalidRequest");
            if (ParseResource(body.Resource, grant.User) is not { } target) return GraphErrors.BadRequest($"Resource '{body.Resource}' is not supported.", "ExtensionError");
            var mailbox = directory.Find(target.User);
            if (mailbox is null) return GraphErrors.Error(404, "ErrorInvalidUser", $"The requested user '{target.User}' is invalid.");
            if (grant.User is not null && !grant.User.Equals(mailbox.Address, StringComparison.OrdinalIgnoreCase))
                return GraphErrors.Error(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied.]");
            var max = target.Kind == FolderKind.Tasks ? TimeSpan.FromMinutes(4230) : TimeSpan.FromMinutes(10080);
            var now = clock.GetUtcNow();
            if (body.ExpirationDateTime is not { } expiry || expiry <= now || expiry > now + max)
                return GraphErrors.BadRequest($"Subscription expiration can only be {(int)max.TotalMinutes} minutes in the future.", "ExtensionError");

            var client = clients.CreateClient(NotificationSender.HttpClientName);
            foreach (var url in new[] { body.NotificationUrl, body.LifecycleNotificationUrl }.OfType<string>())
                if (!await Validate(client, url, http.RequestAborted))
                    return GraphErrors.BadRequest($"Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. ({url})", "ValidationError");

            var subscription = new Subscription
            {
                Id = Guid.NewGuid().ToString(), Resource = body.Resource, ChangeType = body.ChangeType, NotificationUrl = body.NotificationUrl,
                LifecycleNotificationUrl = body.LifecycleNotificationUrl, ExpirationDateTime = expiry, ClientState = body.ClientState,
                ApplicationId = grant.ClientId, CreatorId = grant.User ?? grant.ClientId, LatestSupportedTlsVersion = "v1_2",
            };
            store.Add(new SubscriptionEntry(subscription, mailbox.Address, target.Kind, target.FolderId, grant.TenantId));
            return GraphHttp.Json(subscription, 201);
        });
        v1.MapGet("/subscriptions/{id}", (string id, SubscriptionStore store) =>
            store.Find(id) is { } e ? GraphHttp.Json(e.Subscription) : GraphErrors.Error(404, "ResourceNotFound", "The object was not found."));
        v1.MapPatch("/subscriptions/{id}", async (HttpContext http, string id, SubscriptionStore store, TimeProvider clock) =>
        {
            var (body, error) = await http.ReadBody<Subscription>();
            if (error is not null) return error;
            if (store.Find(id) is not { } entry) return GraphErrors.Error(404, "ResourceNotFound", "The object was not found.");
            var max = entry.Kind == FolderKind.Tasks ? TimeSpan.FromMinutes(4230) : TimeSpan.FromMinutes(10080);
            var now = clock.GetUtcNow();
            if (body!.ExpirationDateTime is not { } expiry || expiry <= now || expiry > now + max)
                return GraphErrors.BadRequest($"Subscription expiration can only be {(int)max.TotalMinutes} minutes in the future.", "ExtensionError");
            return GraphHttp.Json(store.Renew(id, expiry)!.Subscription);
        });
        v1.MapPost("/subscriptions/{id}/reauthorize", (string id, SubscriptionStore store) =>
            store.Find(id) is not null ? Results.NoContent() : GraphErrors.Error(404, "ResourceNotFound", "The object was not found."));
        v1.MapDelete("/subscriptions/{id}", (string id, SubscriptionStore store) =>
            store.Remove(id) ? Results.NoContent() : GraphErrors.Error(404, "ResourceNotFound", "The object was not found."));
    }

    private static async Task<bool> Validate(HttpClient client, string url, CancellationToken cancellationToken)
    {
        var token = "Validation: Testing client application reachability for subscription Request-Id: " + Guid.NewGuid();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var separator = url.Contains('?') ? '&' : '?';
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}{separator}validationToken={Uri.EscapeDataString(token)}")
            {
                Content = new StringContent("", System.Text.Encoding.UTF8, "text/plain"),
            };
            using var response = await client.SendAsync(request, timeout.Token);
            return response.StatusCode == System.Net.HttpStatusCode.OK && await response.Content.ReadAsStringAsync(timeout.Token) == token;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { return false; }
    }

    private sealed record Target(string User, FolderKind Kind, string? FolderId);

    private static Target? ParseResource(string? resource, string? me)
    {
        if (resource is null) return null;
        var m = ResourcePattern().Match(resource.Trim('/'));
        if (!m.Success) return null;
        var user = m.Groups["user"].Success ? m.Groups["user"].Value : me;
        if (user is null) return null;
        if (m.Groups["events"].Success) return new(user, FolderKind.Calendar, null);
        if (m.Groups["list"].Success) return new(user, FolderKind.Tasks, m.Groups["list"].Value);
        return new(user, FolderKind.Contacts, m.Groups["folder"].Success ? m.Groups["folder"].Value : null);
    }

    [GeneratedRegex(@"^(?:me|users/(?<user>[^/]+))/(?:(?<events>(?:calendar/)?events)|todo/lists/(?<list>[^/]+)/tasks|(?:contactFolders/(?<folder>[^/]+)/)?contacts)$", RegexOptions.IgnoreCase)]
    private static partial Regex ResourcePattern();
}
