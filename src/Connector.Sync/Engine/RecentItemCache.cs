using System.Collections.Concurrent;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Sync;
using Connector.Sync.Ports;

namespace Connector.Sync.Engine;

/// <summary>
/// Read-ahead for <c>item.sync</c> jobs. A change feed reports ids; each id becomes a job that reads the item before it
/// syncs it (a delta page does not carry everything a read does, e.g. Graph's CRM-id stamp). The benchmark showed one
/// GET per item (10,000 events = 10,000 requests). Here the feed's ids are remembered as <i>pending</i>; when a job reads
/// one that is not in hand, the mailbox reads it together with up to <see cref="IExchangeBatchReader.MaxBatch"/> − 1
/// other pending ids in one request, and keeps those answers for their own jobs (taken once, at most <see cref="MaxAge"/>
/// old, dropped when the connector writes the item). A job so gets the item as read moments before it ran. A job whose
/// item is in a batch being read right now (jobs run side by side) waits for that batch instead of reading the item
/// again, so every reported item is read once: an initial sync costs its SyncFolderItems pages plus one GetItem per 50.
/// </summary>
public sealed class RecentItemCache(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an id the feed reported stays eligible for a batched read. The read happens when a job needs it, so
    /// the answer is fresh however old the sighting; an initial sync's jobs may run long after planning (10,000 events
    /// under load: the items of the last ten minutes were read one GET each with the earlier 10-minute limit).
    /// </summary>
    public static readonly TimeSpan PendingFor = TimeSpan.FromHours(2);

    /// <summary>Bounds what is held (ids awaiting a read, answers awaiting their job); past it, jobs read alone.</summary>
    public const int Capacity = 50_000;

    private readonly ConcurrentDictionary<(string Mailbox, RecordKind Kind, string ItemId), (ExchangeItem? Item, DateTimeOffset At)> _read = new();
    private readonly ConcurrentDictionary<(string Mailbox, RecordKind Kind), PendingIds> _pending = new();

    // When an item was last seen changed or written: an answer read before that moment is not kept.
    private readonly ConcurrentDictionary<(string Mailbox, RecordKind Kind, string ItemId), long> _touched = new();

    /// <summary>A monotonic stamp to take before a read whose answers will be remembered.</summary>
    public long Now() => clock.GetTimestamp();

    public int Count => _read.Count;

    public void Sighted(string mailbox, RecordKind kind, IEnumerable<string> itemIds)
    {
        var pending = _pending.GetOrAdd((mailbox.ToLowerInvariant(), kind), _ => new PendingIds());
        var ids = itemIds.ToList();
        foreach (var id in ids) Touch(mailbox, kind, id);
        pending.Add(ids, clock.GetUtcNow(), Capacity);
    }

    /// <summary>
    /// For a job about to read <paramref name="itemId"/>: the batch reading it right now to wait for (then
    /// <see cref="TryTake"/>), or up to <paramref name="count"/> other pending ids, now taken and marked as read by
    /// <paramref name="batch"/> (a task that completes after their answers are remembered) until <see cref="DoneReading"/>.
    /// One lock decides both, so no id goes into two batches.
    /// </summary>
    public (Task? ReadingNow, IReadOnlyList<string> Ids) TakePending(string mailbox, RecordKind kind, string itemId, int count, Task batch)
    {
        var key = (mailbox.ToLowerInvariant(), kind);
        var pending = _pending.GetOrAdd(key, _ => new PendingIds());
        return pending.Take(itemId, count, clock.GetUtcNow() - PendingFor, batch, id => _read.ContainsKey((key.Item1, kind, id)));
    }

    /// <summary>The batch <paramref name="batch"/> has read <paramref name="ids"/> (answers remembered, or failed).</summary>
    public void DoneReading(string mailbox, RecordKind kind, IReadOnlyList<string> ids, Task batch)
    {
        if (_pending.TryGetValue((mailbox.ToLowerInvariant(), kind), out var pending)) pending.DoneReading(ids, batch);
    }

    /// <summary>Keeps an answer read from <paramref name="readStarted"/> (<see cref="Now"/>) unless the item changed since.</summary>
    public void Remember(string mailbox, RecordKind kind, string itemId, ExchangeItem? item, long readStarted)
    {
        var key = (mailbox.ToLowerInvariant(), kind, itemId);
        if (_read.Count >= Capacity) Prune();
        if (_read.Count >= Capacity) return;
        _read[key] = (item, clock.GetUtcNow());
        // Checked after storing, so a change racing with this read either is seen here or forgets the answer itself.
        if (_touched.TryGetValue(key, out var touched) && touched >= readStarted) _read.TryRemove(key, out _);
    }

    private void Touch(string mailbox, RecordKind kind, string itemId)
    {
        if (_touched.Count >= Capacity)
        {
            var old = clock.GetTimestamp() - (long)(MaxAge.TotalSeconds * clock.TimestampFrequency);
            foreach (var (k, t) in _touched) if (t < old) _touched.TryRemove(k, out _);
        }
        _touched[(mailbox.ToLowerInvariant(), kind, itemId)] = clock.GetTimestamp();
    }

    /// <summary>The answer read ahead for this item (null item = the server said it is gone), taken once.</summary>
    public bool TryTake(string mailbox, RecordKind kind, string itemId, out ExchangeItem? item)
    {
        item = null;
        if (!_read.TryRemove((mailbox.ToLowerInvariant(), kind, itemId), out var entry) || clock.GetUtcNow() - entry.At > MaxAge) return false;
        item = entry.Item;
        return true;
    }

    public void Forget(string mailbox, RecordKind kind, string itemId)
    {
        Touch(mailbox, kind, itemId);
        _read.TryRemove((mailbox.ToLowerInvariant(), kind, itemId), out _);
        if (_pending.TryGetValue((mailbox.ToLowerInvariant(), kind), out var pending)) pending.Remove(itemId);
    }

    private void Prune()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _read)
            if (now - entry.At > MaxAge) _read.TryRemove(key, out _);
    }

    /// <summary>Ids in the order the feed reported them (the order their jobs run), and the ids batches are reading now.</summary>
    private sealed class PendingIds
    {
        private readonly LinkedList<(string Id, DateTimeOffset At)> _order = new();
        private readonly Dictionary<string, LinkedListNode<(string Id, DateTimeOffset At)>> _nodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Task> _reading = new(StringComparer.Ordinal);

        public void Add(IEnumerable<string> ids, DateTimeOffset now, int capacity)
        {
            lock (_order)
                foreach (var id in ids)
                {
                    if (_nodes.Remove(id, out var old)) _order.Remove(old);
                    if (_nodes.Count >= capacity) continue;
                    _nodes[id] = _order.AddLast((id, now));
                }
        }

        public void Remove(string id)
        {
            lock (_order) if (_nodes.Remove(id, out var node)) _order.Remove(node);
        }

        public (Task? ReadingNow, IReadOnlyList<string> Ids) Take(string itemId, int count, DateTimeOffset staleBefore, Task batch, Func<string, bool> answered)
        {
            var taken = new List<string>(count);
            lock (_order)
            {
                if (_reading.TryGetValue(itemId, out var readingNow)) return (readingNow, []);
                // Read by a batch that finished since the job looked: the answer is in hand.
                if (answered(itemId)) return (Task.CompletedTask, []);
                Remove(itemId);
                while (taken.Count < count && _order.First is { } first)
                {
                    _order.RemoveFirst();
                    _nodes.Remove(first.Value.Id);
                    if (first.Value.At >= staleBefore) taken.Add(first.Value.Id); // long-forgotten sightings are dropped
                }
                foreach (var id in taken) _reading[id] = batch;
            }
            return (null, taken);
        }

        public void DoneReading(IReadOnlyList<string> ids, Task batch)
        {
            lock (_order)
                foreach (var id in ids)
                    if (_reading.TryGetValue(id, out var reading) && reading == batch) _reading.Remove(id);
        }
    }
}

/// <summary>The Exchange port with <see cref="RecentItemCache"/> read-ahead in front of item reads.</summary>
public sealed class RecentItemsExchangeGateway(IExchangeGateway inner, RecentItemCache cache) : IExchangeGateway
{
    public async Task<IExchangeMailbox> OpenAsync(MailboxAccount account, CancellationToken ct) =>
        new Mailbox(await inner.OpenAsync(account, ct), cache);

    private sealed class Mailbox(IExchangeMailbox inner, RecentItemCache cache) : IExchangeMailbox, IExchangeSeriesMailbox
    {
        // Series go straight to the adapter (no read-ahead); their occurrences' cached reads are dropped after a write.
        private IExchangeSeriesMailbox Series => inner as IExchangeSeriesMailbox
            ?? throw new PermanentSyncException($"The Exchange adapter of {inner.Account.Address} cannot sync recurring series.");

        public Task<ExchangeSeries?> ReadSeriesAsync(string masterId, DateOnly until, CancellationToken ct) => Series.ReadSeriesAsync(masterId, until, ct);

        public async Task<ExchangeSeries> CreateSeriesAsync(CrmKey crm, CalendarEvent series, DateOnly until, bool sendInvitations, CancellationToken ct) =>
            Forget(await Series.CreateSeriesAsync(crm, series, until, sendInvitations, ct));

        public async Task<ExchangeSeries> UpdateSeriesAsync(ExchangeKey master, CalendarEvent series, DateOnly until, bool sendInvitations, CancellationToken ct) =>
            Forget(await Series.UpdateSeriesAsync(master, series, until, sendInvitations, ct));

        private ExchangeSeries Forget(ExchangeSeries written)
        {
            cache.Forget(Address, RecordKind.Event, written.Master.Key.ItemId);
            foreach (var id in written.OccurrenceIds.Values) cache.Forget(Address, RecordKind.Event, id);
            return written;
        }

        private string Address => inner.Account.Address;

        public MailboxAccount Account => inner.Account;

        public async Task<ExchangeItem?> ReadAsync(RecordKind kind, string itemId, CancellationToken ct)
        {
            if (cache.TryTake(Address, kind, itemId, out var known)) return known;
            if (inner is not IExchangeBatchReader batch) return await inner.ReadAsync(kind, itemId, ct);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var (readingNow, ahead) = cache.TakePending(Address, kind, itemId, batch.MaxBatch - 1, done.Task);
            if (readingNow is not null)
            {
                // Another job's batch has this item: its answer serves this job (after a failed batch, or an answer
                // dropped because the item changed meanwhile, the item is read again like any other).
                await readingNow.WaitAsync(ct);
                return cache.TryTake(Address, kind, itemId, out known) ? known : await ReadAsync(kind, itemId, ct);
            }
            if (ahead.Count == 0) return await inner.ReadAsync(kind, itemId, ct);
            IReadOnlyDictionary<string, ExchangeItem?> answers;
            var started = cache.Now();
            try
            {
                try { answers = await batch.ReadManyAsync(kind, [itemId, .. ahead], ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    cache.Sighted(Address, kind, ahead); // their own jobs read them (or a later batch does)
                    throw;
                }
                foreach (var id in ahead)
                    if (answers.TryGetValue(id, out var item)) cache.Remember(Address, kind, id, item, started);
            }
            finally
            {
                // Remembered first, then released: a job that waited finds its answer.
                cache.DoneReading(Address, kind, ahead, done.Task);
                done.SetResult();
            }
            return answers.TryGetValue(itemId, out var mine) ? mine : await inner.ReadAsync(kind, itemId, ct);
        }

        public async Task<ExchangeItem> CreateAsync(CrmKey crm, ISyncEntity entity, bool sendInvitations, CancellationToken ct)
        {
            var created = await inner.CreateAsync(crm, entity, sendInvitations, ct);
            cache.Forget(Address, crm.Kind, created.Key.ItemId);
            return created;
        }

        public async Task<ExchangeItem> UpdateAsync(ExchangeKey key, ISyncEntity entity, bool sendInvitations, CancellationToken ct)
        {
            foreach (var kind in Enum.GetValues<RecordKind>()) cache.Forget(Address, kind, key.ItemId);
            var updated = await inner.UpdateAsync(key, entity, sendInvitations, ct);
            foreach (var kind in Enum.GetValues<RecordKind>()) cache.Forget(Address, kind, key.ItemId);
            return updated;
        }

        public async Task DeleteAsync(RecordKind kind, ExchangeKey key, bool sendCancellations, CancellationToken ct)
        {
            cache.Forget(Address, kind, key.ItemId);
            await inner.DeleteAsync(kind, key, sendCancellations, ct);
            cache.Forget(Address, kind, key.ItemId);
        }

        public Task<IReadOnlyList<ExchangeItem>> FindByStampAsync(CrmKey crm, CancellationToken ct) => inner.FindByStampAsync(crm, ct);

        public Task<IReadOnlyList<ExchangeItem>> FindByICalUIdAsync(string iCalUId, CancellationToken ct) => inner.FindByICalUIdAsync(iCalUId, ct);

        public IAsyncEnumerable<ExchangeItem> ListAsync(SyncFolder folder, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
            inner.ListAsync(folder, from, to, ct);

        public async Task<ChangeBatch> ReadChangesAsync(SyncFolder folder, string? cursor, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
        {
            var batch = await inner.ReadChangesAsync(folder, cursor, from, to, ct);
            var kind = SyncFolders.KindOf(folder);
            foreach (var id in batch.DeletedIds) cache.Forget(Address, kind, id);
            // A newer sighting makes any answer read before it stale.
            foreach (var item in batch.Changed) cache.Forget(Address, kind, item.Key.ItemId);
            cache.Sighted(Address, kind, batch.Changed.Select(i => i.Key.ItemId));
            return batch;
        }
    }
}
