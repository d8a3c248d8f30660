using Connector.Api.Workers;
using Connector.Storage.CrmChanges;
using Connector.Vtenext.Database;

namespace Connector.Api.Features.CrmChanges;

/// <summary>
/// Moves the bridge's outbox rows (notices written while the connector was unreachable) into exc_crm_changes. Rows
/// are stored first and deleted from the outbox after; a crash in between copies them again, which the notice
/// identity turns into a no-op.
/// </summary>
public sealed class OutboxDrainer(VtenextTables crm, CrmChangeStore changes, JobSignal jobs, ILogger<OutboxDrainer> logger)
{
    private const int Batch = 500;
    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Drains until the outbox is empty; returns how many rows were taken. Callers take turns.</summary>
    public async Task<int> DrainAsync(CancellationToken ct = default)
    {
        await _running.WaitAsync(ct);
        try
        {
            return await DrainAllAsync(ct);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<int> DrainAllAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var rows = await crm.ReadOutboxAsync(Batch, ct);
            if (rows.Count == 0) return total;
            var valid = new List<CrmChange>();
            foreach (var row in rows)
            {
                if (ToChange(row) is { } change) valid.Add(change);
                else
                    logger.LogWarning("Outbox row {Id} is not a valid notice and is dropped: module={Module} crmid={CrmId} operation={Operation} modifiedtime={ModifiedTime}",
                        row.Id, row.Module, row.CrmId, row.Operation, row.ModifiedTime);
            }
            var added = await changes.RecordAllAsync(valid, ct);
            if (added > 0) jobs.Notify();
            await crm.DeleteOutboxAsync(rows.Select(r => r.Id).ToList(), ct);
            logger.LogInformation("Took {Count} notice(s) from the vtenext outbox ({Added} new)", rows.Count, added);
            total += rows.Count;
            if (rows.Count < Batch) return total;
        }
    }

    private static CrmChange? ToChange(OutboxRow row) =>
        CrmChangeRequestValidator.ModuleNames.Contains(row.Module) && CrmChangeRequestValidator.Operations.Contains(row.Operation)
            && row.CrmId > 0 && CrmChangeRequestValidator.TryParseInstant(row.ModifiedTime, out var modified)
            ? new CrmChange(row.Module, row.CrmId, row.Operation, row.ModifiedTime, modified.UtcDateTime,
                row.ActingUser > 0 ? row.ActingUser : null, CrmChangeSource.Outbox, row.Id)
            : null;
}
