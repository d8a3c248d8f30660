using System.Security.Cryptography;
using System.Text.Json;
using Connector.Api.Features.OAuth;
using Connector.Api.Workers;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;
using Connector.Storage.Graph;
using Connector.Storage.Jobs;
using Connector.Storage.Settings;
using Dapper;

namespace Connector.Api.Features.GraphNotifications;

/// <summary>
/// Keeps a user's Graph subscription (their calendar's events) alive while settings carry a <c>notificationUrl</c>:
/// creates it (handshake done by Graph against our endpoint), renews it when a quarter of its lifetime is left,
/// recreates it after <c>subscriptionRemoved</c>, and deletes it when the URL is removed (delta polling then). Each
/// run schedules the next check, so renewals happen before expiry without a separate timer.
/// </summary>
public sealed class GraphSubscriptionHandler(Connector.Storage.Database.DbConnectionFactory db, SettingsStore settings, GraphConnections graph, GraphSubscriptionStore store, JobQueue jobs,
    TimeProvider clock, ILogger<GraphSubscriptionHandler> logger) : IJobHandler
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromHours(6);

    public string Kind => GraphNotificationEndpoints.SubscriptionKind;

    /// <summary>Check the user's subscription now (after sign-in, a settings change, a lifecycle event).</summary>
    public static NewJob Ensure(int crmUserId) => new(GraphNotificationEndpoints.SubscriptionKind,
        JsonSerializer.Serialize(new GraphSubscriptionPayload(crmUserId)), OrderingKey: $"graph-subscriptions:{crmUserId}",
        DedupeKey: $"{GraphNotificationEndpoints.SubscriptionKind}:{crmUserId}");

    // The periodic check has its own dedupe key and no ordering key, so a waiting periodic job neither absorbs nor
    // blocks an immediate one; runs for one user are serialised by a MySQL named lock instead (see HandleAsync).
    private static NewJob Periodic(int crmUserId) => new(GraphNotificationEndpoints.SubscriptionKind,
        JsonSerializer.Serialize(new GraphSubscriptionPayload(crmUserId)), OrderingKey: null,
        DedupeKey: $"{GraphNotificationEndpoints.SubscriptionKind}:periodic:{crmUserId}", Delay: CheckInterval);

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<GraphSubscriptionPayload>(job.Payload)!;
        await using var connection = await db.OpenAsync(ct);
        var lockName = $"{db.DatabaseName}.graph-subscriptions.{payload.CrmUserId}";
        if (await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT GET_LOCK(@lockName, 30)", new { lockName }, cancellationToken: ct)) != 1)
            throw new JobRetryException($"Another subscription check for CRM user {payload.CrmUserId} is running.", TimeSpan.FromSeconds(30));
        try { await EnsureAsync(payload, ct); }
        finally { await connection.ExecuteAsync(new CommandDefinition("SELECT RELEASE_LOCK(@lockName)", new { lockName }, cancellationToken: CancellationToken.None)); }
    }

    private async Task EnsureAsync(GraphSubscriptionPayload payload, CancellationToken ct)
    {
        var notificationUrl = (await settings.GetAsync(ct)).Settings.NotificationUrl;
        var existing = await store.ListForUserAsync(payload.CrmUserId, ct);
        if (string.IsNullOrEmpty(notificationUrl) && existing.Count == 0) return; // polling only, nothing to remove: no Graph call
        try
        {
            var client = await graph.SubscriptionsAsync(payload.CrmUserId, ct);
            if (string.IsNullOrEmpty(notificationUrl))
            {
                foreach (var s in existing)
                {
                    await client.DeleteAsync(s.SubscriptionId, ct);
                    await store.DeleteAsync(s.SubscriptionId, ct);
                }
                return;
            }
            var mailbox = await graph.MailboxAsync(payload.CrmUserId, ct);
            var resource = $"/users/{mailbox.Mailbox}/events";
            var now = clock.GetUtcNow();
            foreach (var stale in existing.Where(s => s.SubscriptionId == payload.Replace || s.Resource != resource))
            {
                await client.DeleteAsync(stale.SubscriptionId, ct);
                await store.DeleteAsync(stale.SubscriptionId, ct);
            }
            var current = existing.FirstOrDefault(s => s.SubscriptionId != payload.Replace && s.Resource == resource);
            if (current is not null)
            {
                var view = new Subscription { Id = current.SubscriptionId, Resource = current.Resource, ExpirationDateTime = current.ExpiresAt };
                if (GraphSubscriptionsClient.NeedsRenewal(view, now))
                {
                    try
                    {
                        var renewed = await client.RenewAsync(view, now, ct);
                        await store.RenewedAsync(current.SubscriptionId, renewed.ExpirationDateTime!.Value.UtcDateTime, ct);
                    }
                    catch (GraphException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
                    {
                        await store.DeleteAsync(current.SubscriptionId, ct);
                        current = null; // gone on Graph's side: create anew below
                    }
                }
            }
            if (current is null)
            {
                var clientState = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
                var created = await client.CreateAsync(resource, notificationUrl, notificationUrl, clientState, now, ct: ct);
                await store.SaveAsync(new StoredGraphSubscription(created.Id!, payload.CrmUserId, mailbox.Mailbox, resource,
                    created.ExpirationDateTime!.Value.UtcDateTime), clientState, ct);
                // Changes between the last delta and now were not notified: catch up once.
                await jobs.EnqueueAsync(new NewJob(GraphNotificationEndpoints.CatchUpKind,
                    JsonSerializer.Serialize(new GraphCatchUpPayload(payload.CrmUserId, mailbox.Mailbox, resource, created.Id!, "subscribed")),
                    OrderingKey: $"graph:{mailbox.Mailbox}", DedupeKey: $"{GraphNotificationEndpoints.CatchUpKind}:{created.Id}"), ct);
            }
        }
        catch (GraphException e) when (GraphTransport.IsTransient(e.Status))
        {
            throw new JobRetryException(e.Message, e.RetryAfter, e);
        }
        catch (SignInRequiredException e)
        {
            throw new JobPermanentException(e.Message, e);
        }
        finally
        {
            if (!string.IsNullOrEmpty(notificationUrl))
                await jobs.EnqueueAsync(Periodic(payload.CrmUserId), CancellationToken.None);
        }
        logger.LogInformation("Graph subscription checked for CRM user {CrmUserId}", payload.CrmUserId);
    }
}
