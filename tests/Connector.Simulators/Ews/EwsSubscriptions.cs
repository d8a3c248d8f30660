using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>
/// A streaming subscription: it listens to its mailbox from Subscribe on and queues events for its folders, so
/// changes made between two GetStreamingEvents connections are delivered on the next one (as Exchange does).
/// </summary>
internal sealed class StreamingSubscription : IDisposable
{
    private readonly IDisposable _hook;

    public StreamingSubscription(Mailbox mailbox, IReadOnlySet<string> folderIds, IReadOnlySet<string> eventTypes)
    {
        Id = "Sim" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Mailbox = mailbox;
        _hook = mailbox.Subscribe(change =>
        {
            var entry = change.Entry;
            if (!folderIds.Contains(entry.FolderId)) return;
            var type = entry.Kind switch { ChangeKind.Created => "CreatedEvent", ChangeKind.Updated => "ModifiedEvent", _ => "DeletedEvent" };
            if (!eventTypes.Contains(type)) return;
            Events.Writer.TryWrite(Tx(type,
                Tx("TimeStamp", Time(entry.At)),
                EwsItemMapper.ItemIdXml(entry.ItemId, entry.Snapshot.ChangeKey),
                Tx("ParentFolderId", new XAttribute("Id", entry.FolderId), new XAttribute("ChangeKey", "AQAAAA"))));
        });
    }

    public string Id { get; }
    public Mailbox Mailbox { get; }
    public Channel<XElement> Events { get; } = Channel.CreateUnbounded<XElement>();

    /// <summary>Throws the queued events away (they were "lost": missed notifications, a dropped connection).</summary>
    public void Discard()
    {
        while (Events.Reader.TryRead(out _)) { }
    }

    public void Dispose()
    {
        _hook.Dispose();
        Events.Writer.TryComplete();
    }
}

/// <summary>All live streaming subscriptions of the simulator.</summary>
public sealed class EwsSubscriptions
{
    private readonly ConcurrentDictionary<string, StreamingSubscription> _all = new();

    internal StreamingSubscription Add(Mailbox mailbox, IReadOnlySet<string> folderIds, IReadOnlySet<string> eventTypes)
    {
        var subscription = new StreamingSubscription(mailbox, folderIds, eventTypes);
        _all[subscription.Id] = subscription;
        return subscription;
    }

    internal StreamingSubscription? Find(string id) => _all.GetValueOrDefault(id);

    internal bool Remove(string id)
    {
        if (!_all.TryRemove(id, out var subscription)) return false;
        subscription.Dispose();
        return true;
    }

    public int Count => _all.Count;

    /// <summary>Forgets every subscription, as a restarted mailbox server does.</summary>
    public void RemoveAll()
    {
        foreach (var id in _all.Keys) Remove(id);
    }
}
