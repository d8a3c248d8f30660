using Connector.Storage.Database;
using Connector.Storage.Jobs;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Engine;

/// <summary>
/// Reads one mailbox folder's changes since its stored cursor and queues an item job per change (explicit deletes
/// included). The cursor moves only after the jobs of its page are committed, so a crash re-reads, never skips.
/// An item whose link holds its current ChangeKey is the connector's own write coming back: nothing changed since, so no
/// job (the benchmark: every sync otherwise cost a second, empty one for its echo). An item the connector created that a
/// complete read did not report at all was created and deleted in between (EWS reports nothing for that): it gets a job,
/// which finds it gone.
/// </summary>
public sealed class ExchangeFeed(IExchangeGateway exchange, CursorStore cursors, InitRunStore runs, JobQueue queue, DbConnectionFactory db, IOptions<SyncOptions> options,
    TimeProvider clock, LinkStore links)
{
    public async Task<int> CatchUpAsync(MailboxAccount account, SyncFolder folder, CancellationToken ct)
    {
        var cursor = await cursors.GetAsync(account.Address, folder, ct);
        // A folder never read yet is first read by user initialisation (window, matching, no invitations), which also
        // stores the cursor this feed continues from.
        if (cursor is null)
        {
            if (await runs.LatestAsync(account.CrmUserId, ct) is null) await queue.EnqueueAsync(SyncJobs.Initialize(account.CrmUserId), ct);
            return 0;
        }
        var mailbox = await exchange.OpenAsync(account, ct);
        var (from, to) = options.Value.Window(clock.GetUtcNow());
        var kind = SyncFolders.KindOf(folder);
        // Created by the connector before this read began, so the read reports each of them unless it was deleted again
        // meanwhile (a create and a delete between two reads come back as nothing).
        var awaiting = await links.AwaitingEchoAsync(account.Address, kind, ct);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var queued = 0;
        while (true)
        {
            var batch = await mailbox.ReadChangesAsync(folder, cursor, from, to, ct);
            var echoes = await links.UnchangedSinceLinkedAsync(account.Address, batch.Changed.Select(i => i.Key).ToList(), ct);
            reported.UnionWith(batch.Changed.Select(i => i.Key.ItemId).Concat(batch.DeletedIds));
            // The last page settles the items awaiting their echo: the unreported ones get a job that looks at them.
            var unseen = batch.More ? [] : awaiting.Where(id => !reported.Contains(id)).ToList();
            await using (var c = await db.OpenAsync(ct))
            await using (var tx = await c.BeginTransactionAsync(ct))
            {
                foreach (var item in batch.Changed.Where(i => !echoes.Contains(i.Key.ItemId)))
                    await JobQueue.EnqueueAsync(c, tx, SyncJobs.Item(new(account.CrmUserId, account.Address, kind, item.Key.ItemId)), ct);
                foreach (var id in batch.DeletedIds)
                    await JobQueue.EnqueueAsync(c, tx, SyncJobs.Item(new(account.CrmUserId, account.Address, kind, id, Deleted: true)), ct);
                foreach (var id in unseen)
                    await JobQueue.EnqueueAsync(c, tx, SyncJobs.Item(new(account.CrmUserId, account.Address, kind, id)), ct);
                if (!batch.More) await LinkStore.ClearAwaitingEchoAsync(c, tx, account.Address, awaiting, ct);
                await tx.CommitAsync(ct);
            }
            queued += batch.Changed.Count - echoes.Count + batch.DeletedIds.Count + unseen.Count;
            await cursors.SetAsync(account.Address, folder, batch.Cursor, ct);
            cursor = batch.Cursor;
            if (!batch.More) return queued;
        }
    }
}
