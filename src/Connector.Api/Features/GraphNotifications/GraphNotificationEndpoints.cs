using System.Text.Json;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Models;
using Connector.Storage.Graph;
using Connector.Storage.Jobs;

namespace Connector.Api.Features.GraphNotifications;

/// <summary>What a verified notification asks for, as a durable job (handled by the sync engine / subscription handler).</summary>
public sealed record GraphCatchUpPayload(int CrmUserId, string Mailbox, string Resource, string SubscriptionId, string Trigger);

public sealed record GraphSubscriptionPayload(int CrmUserId, string? Replace = null);

/// <summary>
/// <c>POST /graph/notifications</c>: where Graph delivers change and lifecycle notifications (the public
/// <c>notificationUrl</c> setting points here through the admin's reverse proxy). No connector key — Graph cannot
/// send one — so every notification is checked against the subscription's clientState (stored as a hash), and a
/// notification only ever causes a delta catch-up, never a change by itself. Valid ones become jobs before the 202.
/// </summary>
public static class GraphNotificationEndpoints
{
    public const string Path = "/graph/notifications";
    public const string CatchUpKind = "graph.catchUp";
    public const string SubscriptionKind = "graph.subscription.ensure";

    public static void MapGraphNotifications(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync).AllowAnonymous().WithTags("Graph").WithName("GraphNotifications")
            .WithSummary("Graph change/lifecycle notifications and the validationToken handshake (called by Microsoft Graph).")
            .ExcludeFromDescription();
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, GraphSubscriptionStore subscriptions, JobQueue jobs,
        Workers.JobSignal signal, ILogger<GraphCatchUpPayload> logger, CancellationToken ct)
    {
        // Handshake: echo the (URL-decoded) token as text/plain within 10 seconds.
        if (ChangeNotifications.ValidationResponse(request.Query["validationToken"]) is { } token)
            return Results.Text(token, "text/plain");

        ChangeNotificationCollection? body;
        try { body = await JsonSerializer.DeserializeAsync<ChangeNotificationCollection>(request.Body, GraphJson.Options, ct); }
        catch (JsonException) { return Results.BadRequest(); }

        var accepted = 0;
        foreach (var n in body?.Value ?? [])
        {
            var subscription = n.SubscriptionId is null ? null : await subscriptions.FindVerifiedAsync(n.SubscriptionId, n.ClientState, ct);
            if (subscription is null)
            {
                logger.LogWarning("Ignored a Graph notification for unknown subscription or with a wrong clientState");
                continue;
            }
            var action = ChangeNotifications.Decide(n, _ => n.ClientState); // clientState already verified against the stored hash
            switch (action)
            {
                case NotificationAction.CatchUpDelta:
                    await jobs.EnqueueAsync(new NewJob(CatchUpKind,
                        JsonSerializer.Serialize(new GraphCatchUpPayload(subscription.CrmUserId, subscription.Mailbox, subscription.Resource,
                            subscription.SubscriptionId, n.LifecycleEvent ?? n.ChangeType ?? "changed")),
                        OrderingKey: $"graph:{subscription.Mailbox}", DedupeKey: $"{CatchUpKind}:{subscription.SubscriptionId}"), ct);
                    break;
                case NotificationAction.Renew:
                case NotificationAction.Recreate:
                    await jobs.EnqueueAsync(new NewJob(SubscriptionKind,
                        JsonSerializer.Serialize(new GraphSubscriptionPayload(subscription.CrmUserId,
                            action == NotificationAction.Recreate ? subscription.SubscriptionId : null)),
                        OrderingKey: $"graph-subscriptions:{subscription.CrmUserId}"), ct);
                    break;
            }
            accepted++;
        }
        if (accepted > 0) signal.Notify();
        return Results.Accepted();
    }
}
