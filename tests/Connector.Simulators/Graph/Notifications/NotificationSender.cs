using System.Net.Http.Json;
using System.Threading.Channels;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Control;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph.Notifications;

/// <summary>
/// Pushes change notifications to subscribers' notification URLs, like Graph's webhooks: one POST per change with
/// the subscription's clientState; a pending <c>missedNotification</c> fault turns a change notification into a
/// <c>missed</c> lifecycle event instead. Delivery runs in the background so mailbox writers never wait on it.
/// </summary>
public sealed class NotificationSender(MailboxDirectory directory, SubscriptionStore subscriptions, FaultInjector faults,
    IHttpClientFactory httpClients, TimeProvider clock, ILogger<NotificationSender> logger) : BackgroundService
{
    public const string HttpClientName = "graph-notifications";
    private readonly Channel<(string Url, ChangeNotificationCollection Body)> _queue = Channel.CreateUnbounded<(string, ChangeNotificationCollection)>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var mailbox in directory.All) Watch(mailbox);
        directory.MailboxAdded += Watch;
        var client = httpClients.CreateClient(HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(10);
        await foreach (var (url, body) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                using var response = await client.PostAsJsonAsync(url, body, GraphJson.Options, stoppingToken);
                if (!response.IsSuccessStatusCode) logger.LogWarning("Notification to {Url} answered {Status}", url, (int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning("Notification to {Url} failed: {Message}", url, e.Message);
            }
        }
    }

    public Task SendLifecycleAsync(SubscriptionEntry entry, string lifecycleEvent)
    {
        var url = entry.Subscription.LifecycleNotificationUrl ?? entry.Subscription.NotificationUrl!;
        _queue.Writer.TryWrite((url, new ChangeNotificationCollection
        {
            Value = [new ChangeNotification
            {
                SubscriptionId = entry.Subscription.Id, SubscriptionExpirationDateTime = entry.Subscription.ExpirationDateTime,
                TenantId = entry.TenantId, ClientState = entry.Subscription.ClientState, LifecycleEvent = lifecycleEvent,
            }],
        }));
        return Task.CompletedTask;
    }

    private void Watch(Mailbox mailbox) => mailbox.Subscribe(change =>
    {
        var folder = mailbox.FindFolder(change.Entry.FolderId);
        if (folder is null) return;
        foreach (var entry in subscriptions.Matching(change, folder.Kind, clock.GetUtcNow()))
        {
            if (faults.TakeMissedNotification())
            {
                _ = SendLifecycleAsync(entry, "missed");
                continue;
            }
            var (type, segment) = folder.Kind switch
            {
                FolderKind.Calendar => ("#Microsoft.Graph.Event", "Events"),
                FolderKind.Tasks => ("#Microsoft.Graph.todoTask", "Tasks"),
                _ => ("#Microsoft.Graph.Contact", "Contacts"),
            };
            var resource = $"Users/{mailbox.Address}/{segment}/{change.Entry.ItemId}";
            _queue.Writer.TryWrite((entry.Subscription.NotificationUrl!, new ChangeNotificationCollection
            {
                Value = [new ChangeNotification
                {
                    Id = Guid.NewGuid().ToString("N"), SubscriptionId = entry.Subscription.Id,
                    SubscriptionExpirationDateTime = entry.Subscription.ExpirationDateTime, ClientState = entry.Subscription.ClientState,
                    ChangeType = change.Entry.Kind switch { ChangeKind.Created => "created", ChangeKind.Updated => "updated", _ => "deleted" },
                    Resource = resource, TenantId = entry.TenantId,
                    ResourceData = new ResourceData { ODataType = type, ODataId = resource, ODataEtag = $"W/\"{change.Entry.Snapshot.ChangeKey}\"", Id = change.Entry.ItemId },
                }],
            }));
        }
    });
}
