using Connector.Core.Common;
using Connector.Storage.Database;
using Connector.Storage.Jobs;
using Dapper;

namespace Connector.Sync.Engine;

/// <summary>
/// Turns stored CRM change notices (<c>exc_crm_changes</c>, written by the intake before it acknowledged the bridge)
/// into record jobs. A notice is marked processed in the same transaction that enqueues its job: nothing is lost and
/// nothing is queued twice.
/// </summary>
public sealed class CrmChangeFeed(DbConnectionFactory db)
{
    private const int Batch = 500;

    public static RecordKind? KindOf(string module) => module switch
    {
        "Events" => RecordKind.Event,
        "Calendar" => RecordKind.Task,
        "Contacts" => RecordKind.Contact,
        _ => null,
    };

    public async Task<bool> HasPendingAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT 1 FROM exc_crm_changes WHERE processed_at IS NULL LIMIT 1) x", cancellationToken: ct)) > 0;
    }

    /// <summary>Queues a record job per pending notice, oldest first; returns how many notices were consumed.</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var c = await db.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var rows = (await c.QueryAsync<(long Id, string Module, int CrmId)>(new CommandDefinition("""
                SELECT id, module, crmid FROM exc_crm_changes WHERE processed_at IS NULL ORDER BY id LIMIT @Batch FOR UPDATE SKIP LOCKED
                """, new { Batch }, tx, cancellationToken: ct))).ToList();
            if (rows.Count == 0) return total;
            foreach (var row in rows)
                if (KindOf(row.Module) is { } kind)
                    await JobQueue.EnqueueAsync(c, tx, SyncJobs.Record(new SyncJobs.RecordPayload(kind, row.CrmId)), ct);
            await c.ExecuteAsync(new CommandDefinition("UPDATE exc_crm_changes SET processed_at = UTC_TIMESTAMP(6) WHERE id IN @ids",
                new { ids = rows.Select(r => r.Id).ToList() }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            total += rows.Count;
        }
    }
}
