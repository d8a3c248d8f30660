using Connector.Storage.Database;
using Dapper;

namespace Connector.Storage.CrmChanges;

/// <summary>What reconciliation last saw of one CRM row (server-local modifiedtime, as vtenext stores it).</summary>
public sealed record CrmEntityState
{
    public int CrmId { get; init; }
    public string Module { get; init; } = "";
    public DateTime ModifiedTime { get; init; }
    public bool Deleted { get; init; }
}

public sealed record CrmReconcileWatermark
{
    public DateTime? ModifiedTime { get; init; }
    public int CrmId { get; init; }
    public bool BaselineDone { get; init; }
    public DateTime? LastIncrementalAt { get; init; }
    public DateTime? LastFullAt { get; init; }
}

/// <summary>Reconciliation's memory: the per-row snapshot and the watermark. Changes found and the snapshot that
/// explains them are written in one transaction, so a crash can neither lose a change nor report it twice.</summary>
public sealed class CrmReconcileStore(DbConnectionFactory db)
{
    public async Task<CrmReconcileWatermark> GetWatermarkAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CrmReconcileWatermark>(new CommandDefinition("""
            SELECT modifiedtime AS ModifiedTime, crmid AS CrmId, baseline_done AS BaselineDone,
                   last_incremental_at AS LastIncrementalAt, last_full_at AS LastFullAt
            FROM exc_crm_reconcile_watermark WHERE id = 1
            """, cancellationToken: ct)) ?? new CrmReconcileWatermark();
    }

    public async Task<Dictionary<int, CrmEntityState>> GetStatesAsync(IReadOnlyCollection<int> crmIds, CancellationToken ct = default)
    {
        if (crmIds.Count == 0) return [];
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<CrmEntityState>(new CommandDefinition(
            "SELECT crmid AS CrmId, module, modifiedtime AS ModifiedTime, deleted FROM exc_crm_entity_state WHERE crmid IN @crmIds",
            new { crmIds }, cancellationToken: ct))).ToDictionary(s => s.CrmId);
    }

    /// <summary>Snapshot rows with crmid in (after, upTo] (upTo null: to the end), for the full pass's vanished-row check.</summary>
    public async Task<IReadOnlyList<CrmEntityState>> GetStatesInRangeAsync(int after, int? upTo, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<CrmEntityState>(new CommandDefinition("""
            SELECT crmid AS CrmId, module, modifiedtime AS ModifiedTime, deleted FROM exc_crm_entity_state
            WHERE crmid > @after AND (@upTo IS NULL OR crmid <= @upTo) ORDER BY crmid
            """, new { after, upTo }, cancellationToken: ct))).ToList();
    }

    /// <summary>Records the changes, updates the snapshot (removing <paramref name="vanished"/>) and the watermark, atomically.</summary>
    public async Task<int> ApplyAsync(IReadOnlyList<CrmChange> changes, IReadOnlyList<CrmEntityState> states, IReadOnlyList<int> vanished,
        CrmReconcileWatermark watermark, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var added = 0;
        foreach (var change in changes)
            if (!(await CrmChangeStore.RecordAsync(c, tx, change, ct)).Duplicate) added++;
        if (states.Count > 0)
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO exc_crm_entity_state (crmid, module, modifiedtime, deleted) VALUES (@CrmId, @Module, @ModifiedTime, @Deleted)
                ON DUPLICATE KEY UPDATE module = VALUES(module), modifiedtime = VALUES(modifiedtime), deleted = VALUES(deleted)
                """, states, tx, cancellationToken: ct));
        if (vanished.Count > 0)
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM exc_crm_entity_state WHERE crmid IN @vanished", new { vanished }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_crm_reconcile_watermark (id, modifiedtime, crmid, baseline_done, last_incremental_at, last_full_at)
            VALUES (1, @ModifiedTime, @CrmId, @BaselineDone, @LastIncrementalAt, @LastFullAt)
            ON DUPLICATE KEY UPDATE modifiedtime = VALUES(modifiedtime), crmid = VALUES(crmid), baseline_done = VALUES(baseline_done),
              last_incremental_at = VALUES(last_incremental_at), last_full_at = VALUES(last_full_at)
            """, watermark, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return added;
    }
}
