using System.Text.Json;
using Connector.Api.Features.GraphNotifications;
using Connector.Api.Features.OAuth;
using Connector.Api.Workers;
using Connector.Core.Settings;
using Connector.Exchange.Graph.Sync;
using Connector.Storage.Jobs;
using Connector.Storage.Settings;
using Connector.Sync.Engine;
using Connector.Sync.Ports;

namespace Connector.Api.Features.Sync;

/// <summary>
/// The Exchange port for the configured kind of Exchange: Graph for Microsoft 365, EWS on premises (when an EWS adapter
/// is registered as the keyed service "ews").
/// </summary>
public sealed class ExchangeGatewaySelector(SettingsStore settings, GraphConnections graph, IServiceProvider services) : IExchangeGateway
{
    public const string EwsKey = "ews";

    private readonly GraphExchangeGateway _graph = new((userId, ct) => graph.MailboxAsync(userId, ct));

    public async Task<IExchangeMailbox> OpenAsync(MailboxAccount account, CancellationToken ct)
    {
        var kind = (await settings.GetAsync(ct)).Settings.ExchangeKind;
        if (kind == ExchangeKind.Microsoft365) return await _graph.OpenAsync(account, ct);
        var ews = services.GetKeyedService<IExchangeGateway>(EwsKey)
            ?? throw new PermanentSyncException("Exchange on premises (EWS) is configured, but this build has no EWS sync adapter.");
        return await ews.OpenAsync(account, ct);
    }
}

/// <summary>
/// <c>graph.catchUp</c> (a Graph change notification or lifecycle event): read the feed of the folder the subscription
/// watches now (its events: the calendar; the task feed is not notified, polling reads it), or every feed for a
/// resource it does not know. The benchmark: reading both feeds per notification doubled the delta reads.
/// </summary>
public sealed class GraphCatchUpHandler(JobQueue queue, JobSignal signal) : IJobHandler
{
    public string Kind => GraphNotificationEndpoints.CatchUpKind;

    public async Task HandleAsync(Job job, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Deserialize<GraphCatchUpPayload>(job.Payload)!;
        foreach (var folder in FoldersOf(payload.Resource))
            await queue.EnqueueAsync(SyncJobs.Feed(new SyncJobs.FeedPayload(payload.CrmUserId, payload.Mailbox, folder)), cancellationToken);
        signal.Notify();
    }

    public static IReadOnlyList<SyncFolder> FoldersOf(string resource) =>
        resource.EndsWith("/events", StringComparison.OrdinalIgnoreCase) ? [SyncFolder.Calendar] : ChannelSupervisor.WatchedFolders;
}
