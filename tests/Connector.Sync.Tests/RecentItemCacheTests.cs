using Connector.Core.Common;
using Connector.Core.Sync;
using Connector.Sync.Engine;
using Connector.Sync.Ports;

namespace Connector.Sync.Tests;

/// <summary>
/// The read-ahead in front of item reads (the benchmark's request economy): ids a feed reported are read 20 per request,
/// and an answer is never used once the item was seen changed or written after that read began.
/// </summary>
public sealed class RecentItemCacheTests
{
    private static readonly MailboxAccount Account = new(7, "alice@example.test");

    [Fact]
    public async Task Items_a_feed_reported_are_read_twenty_per_request_and_each_answer_serves_its_own_job()
    {
        var server = new CountingMailbox(Enumerable.Range(1, 45).Select(i => $"id{i}"));
        var mailbox = await new RecentItemsExchangeGateway(new Gateway(server), new RecentItemCache(TimeProvider.System)).OpenAsync(Account, default);

        await mailbox.ReadChangesAsync(SyncFolder.Calendar, null, default, default, default);
        var read = new List<string>();
        for (var i = 1; i <= 45; i++) read.Add((await mailbox.ReadAsync(RecordKind.Event, $"id{i}", default))!.Key.ItemId);

        Assert.Equal(Enumerable.Range(1, 45).Select(i => $"id{i}"), read);
        Assert.Equal([20, 20, 5], server.BatchSizes);
        Assert.Equal(0, server.SingleReads);
    }

    [Fact]
    public async Task Jobs_whose_items_a_batch_is_reading_wait_for_it_instead_of_reading_them_again()
    {
        var server = new CountingMailbox(Enumerable.Range(1, 40).Select(i => $"id{i}")) { Gate = new TaskCompletionSource() };
        var mailbox = await new RecentItemsExchangeGateway(new Gateway(server), new RecentItemCache(TimeProvider.System)).OpenAsync(Account, default);
        await mailbox.ReadChangesAsync(SyncFolder.Calendar, null, default, default, default);

        // Jobs run side by side: the first one's batch (id1..id20) is still on the wire when the next ones start.
        var first = mailbox.ReadAsync(RecordKind.Event, "id1", default);
        var others = Enumerable.Range(2, 39).Select(i => mailbox.ReadAsync(RecordKind.Event, $"id{i}", default)).ToList();
        server.Gate.SetResult();
        var read = await Task.WhenAll([first, .. others]);

        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"id{i}"), read.Select(i => i!.Key.ItemId));
        Assert.Equal([20, 20], server.BatchSizes);
        Assert.Equal(0, server.SingleReads);
    }

    [Fact]
    public void An_answer_read_before_the_item_changed_again_is_not_used()
    {
        var cache = new RecentItemCache(TimeProvider.System);
        var item = CountingMailbox.Item("id1", "v1");
        var readStarted = cache.Now();
        cache.Sighted(Account.Address, RecordKind.Event, ["id1"]); // a newer change seen while the batch was in flight
        cache.Remember(Account.Address, RecordKind.Event, "id1", item, readStarted);
        Assert.False(cache.TryTake(Account.Address, RecordKind.Event, "id1", out _));

        var afterwards = cache.Now();
        cache.Remember(Account.Address, RecordKind.Event, "id1", item, afterwards);
        Assert.True(cache.TryTake(Account.Address, RecordKind.Event, "id1", out var taken));
        Assert.Same(item, taken);
        Assert.False(cache.TryTake(Account.Address, RecordKind.Event, "id1", out _)); // taken once
    }

    [Fact]
    public async Task A_write_by_the_connector_drops_what_was_read_ahead()
    {
        var server = new CountingMailbox(["id1", "id2"]);
        var mailbox = await new RecentItemsExchangeGateway(new Gateway(server), new RecentItemCache(TimeProvider.System)).OpenAsync(Account, default);
        await mailbox.ReadChangesAsync(SyncFolder.Calendar, null, default, default, default);
        await mailbox.ReadAsync(RecordKind.Event, "id1", default); // reads id2 ahead
        await mailbox.UpdateAsync(new ExchangeKey("id2"), new Entity(), false, default);

        await mailbox.ReadAsync(RecordKind.Event, "id2", default);
        Assert.Equal(1, server.SingleReads); // read again, not the answer from before the write
    }

    private sealed class Gateway(IExchangeMailbox mailbox) : IExchangeGateway
    {
        public Task<IExchangeMailbox> OpenAsync(MailboxAccount account, CancellationToken ct) => Task.FromResult(mailbox);
    }

    private sealed record Entity : ISyncEntity
    {
        public RecordKind Kind => RecordKind.Event;
        public void WriteContent(FingerprintWriter writer) { }
    }

    private sealed class CountingMailbox(IEnumerable<string> changed) : IExchangeMailbox, IExchangeBatchReader
    {
        public List<int> BatchSizes { get; } = [];
        public int SingleReads { get; private set; }
        public MailboxAccount Account => RecentItemCacheTests.Account;
        public int MaxBatch => 20;

        public static ExchangeItem Item(string id, string changeKey = "ck") => new(new ExchangeKey(id, changeKey), new Entity());

        /// <summary>While set, batch reads wait for it (a slow server: jobs run meanwhile).</summary>
        public TaskCompletionSource? Gate { get; set; }

        public async Task<IReadOnlyDictionary<string, ExchangeItem?>> ReadManyAsync(RecordKind kind, IReadOnlyList<string> itemIds, CancellationToken ct)
        {
            lock (BatchSizes) BatchSizes.Add(itemIds.Count);
            if (Gate is { } gate) await gate.Task;
            return itemIds.ToDictionary(id => id, id => (ExchangeItem?)Item(id));
        }

        public Task<ExchangeItem?> ReadAsync(RecordKind kind, string itemId, CancellationToken ct)
        {
            SingleReads++;
            return Task.FromResult<ExchangeItem?>(Item(itemId));
        }

        public Task<ChangeBatch> ReadChangesAsync(SyncFolder folder, string? cursor, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
            Task.FromResult(new ChangeBatch(changed.Select(id => Item(id)).ToList(), [], "cursor"));

        public Task<ExchangeItem> UpdateAsync(ExchangeKey key, ISyncEntity entity, bool sendInvitations, CancellationToken ct) => Task.FromResult(Item(key.ItemId, "ck2"));
        public Task<ExchangeItem> CreateAsync(CrmKey crm, ISyncEntity entity, bool sendInvitations, CancellationToken ct) => throw new NotSupportedException();
        public Task DeleteAsync(RecordKind kind, ExchangeKey key, bool sendCancellations, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<ExchangeItem>> FindByStampAsync(CrmKey crm, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<ExchangeItem>> FindByICalUIdAsync(string iCalUId, CancellationToken ct) => throw new NotSupportedException();
        public IAsyncEnumerable<ExchangeItem> ListAsync(SyncFolder folder, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) => throw new NotSupportedException();
    }
}
