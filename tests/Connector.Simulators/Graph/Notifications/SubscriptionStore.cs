using System.Collections.Concurrent;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph.Notifications;

/// <summary>A live subscription and which mailbox folder(s) it watches.</summary>
public sealed record SubscriptionEntry(Subscription Subscription, string Mailbox, FolderKind Kind, string? FolderId, string TenantId);

public sealed class SubscriptionStore
{
    private readonly ConcurrentDictionary<string, SubscriptionEntry> _subscriptions = new();

    public void Add(SubscriptionEntry entry) => _subscriptions[entry.Subscription.Id!] = entry;
    public SubscriptionEntry? Find(string id) => _subscriptions.GetValueOrDefault(id);
    public bool Remove(string id) => _subscriptions.TryRemove(id, out _);
    public IReadOnlyList<Subscription> All() => _subscriptions.Values.Select(e => e.Subscription).ToList();

    public SubscriptionEntry? Renew(string id, DateTimeOffset expiration) =>
        _subscriptions.TryGetValue(id, out var e) ? _subscriptions[id] = e with
        {
            Subscription = new Subscription
            {
                Id = e.Subscription.Id, Resource = e.Subscription.Resource, ChangeType = e.Subscription.ChangeType,
                NotificationUrl = e.Subscription.NotificationUrl, LifecycleNotificationUrl = e.Subscription.LifecycleNotificationUrl,
                ClientState = e.Subscription.ClientState, ApplicationId = e.Subscription.ApplicationId, CreatorId = e.Subscription.CreatorId,
                LatestSupportedTlsVersion = e.Subscription.LatestSupportedTlsVersion, ExpirationDateTime = expiration,
            },
        } : null;

    /// <summary>Unexpired subscriptions that watch the folder a change happened in.</summary>
    public IEnumerable<SubscriptionEntry> Matching(MailboxChange change, FolderKind kind, DateTimeOffset now) =>
        _subscriptions.Values.Where(e => e.Mailbox.Equals(change.Mailbox, StringComparison.OrdinalIgnoreCase) && e.Kind == kind
            && (e.FolderId is null || e.FolderId == change.Entry.FolderId) && e.Subscription.ExpirationDateTime > now
            && e.Subscription.ChangeType!.Split(',').Contains(change.Entry.Kind switch
            {
                ChangeKind.Created => "created", ChangeKind.Updated => "updated", _ => "deleted",
            }));
}
