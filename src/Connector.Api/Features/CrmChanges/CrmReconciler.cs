using System.Globalization;
using Connector.Api.Workers;
using Connector.Storage.CrmChanges;
using Connector.Vtenext.Database;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.CrmChanges;

/// <summary>
/// Finds CRM changes that neither the hook nor the outbox reported (hooks disabled, code paths that bypass them,
/// raw-SQL deletes) by comparing vtenext's crmentity (read-only) with what it saw last time. The incremental pass reads
/// rows modified since the watermark; the full pass reads every calendar/contact row, which also finds rows flagged
/// deleted without a new modifiedtime and rows removed outright. The first run only records a baseline.
/// Each run drains the bridge's outbox first, so a change the bridge did report is recorded as the bridge reported it
/// (with its acting user) and reconciliation adds only what no notice carried.
/// </summary>
public sealed class CrmReconciler(VtenextTables crm, CrmReconcileStore store, OutboxDrainer outbox, JobSignal jobs, IOptions<CrmIntakeOptions> options,
    ILogger<CrmReconciler> logger, TimeProvider? clock = null)
{
    private const int Page = 1000;
    // Rows committed late with a modifiedtime just behind the watermark are re-read; the snapshot makes that free.
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);
    private readonly TimeZoneInfo _serverZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.VtenextServerTimeZone);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Returns the number of new changes recorded.</summary>
    public async Task<int> RunIncrementalAsync(CancellationToken ct = default)
    {
        await _running.WaitAsync(ct);
        try
        {
            await outbox.DrainAsync(ct);
            var watermark = await store.GetWatermarkAsync(ct);
            if (!watermark.BaselineDone) return await FullAsync(watermark, baseline: true, ct);
            var since = (watermark.ModifiedTime ?? DateTime.MinValue) > DateTime.MinValue + Overlap ? watermark.ModifiedTime!.Value - Overlap : DateTime.MinValue;
            var afterId = 0;
            var added = 0;
            while (true)
            {
                var rows = await crm.ReadModifiedSinceAsync(since, afterId, Page, ct);
                var last = rows.Count > 0 ? rows[^1] : null;
                var newest = last is not null && (watermark.ModifiedTime is null || last.ModifiedTime >= watermark.ModifiedTime)
                    ? watermark with { ModifiedTime = last.ModifiedTime, CrmId = last.CrmId } : watermark;
                watermark = newest with { LastIncrementalAt = _clock.GetUtcNow().UtcDateTime };
                added += await CompareAsync(rows, [], watermark, ct);
                if (rows.Count < Page) return added;
                (since, afterId) = (last!.ModifiedTime, last.CrmId);
            }
        }
        finally
        {
            _running.Release();
        }
    }

    public async Task<int> RunFullAsync(CancellationToken ct = default)
    {
        await _running.WaitAsync(ct);
        try
        {
            await outbox.DrainAsync(ct);
            var watermark = await store.GetWatermarkAsync(ct);
            return await FullAsync(watermark, baseline: !watermark.BaselineDone, ct);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<int> FullAsync(CrmReconcileWatermark watermark, bool baseline, CancellationToken ct)
    {
        var afterId = 0;
        var added = 0;
        var newest = watermark.ModifiedTime;
        while (true)
        {
            var rows = await crm.ReadAllAsync(afterId, Page, ct);
            // Snapshot rows in the same id range that crmentity no longer has were removed outright.
            var upTo = rows.Count < Page ? (int?)null : rows[^1].CrmId;
            var present = rows.Select(r => r.CrmId).ToHashSet();
            var vanished = (await store.GetStatesInRangeAsync(afterId, upTo, ct)).Where(s => !present.Contains(s.CrmId)).ToList();
            foreach (var row in rows) if (newest is null || row.ModifiedTime > newest) newest = row.ModifiedTime;
            var done = rows.Count < Page;
            var mark = done
                ? watermark with { ModifiedTime = newest, CrmId = 0, BaselineDone = true, LastFullAt = _clock.GetUtcNow().UtcDateTime }
                : watermark;
            added += await CompareAsync(rows, vanished, mark, ct, recordChanges: !baseline);
            if (done)
            {
                if (baseline) logger.LogInformation("CRM reconciliation baseline taken");
                return added;
            }
            afterId = rows[^1].CrmId;
        }
    }

    private async Task<int> CompareAsync(IReadOnlyList<EntityRow> rows, IReadOnlyList<CrmEntityState> vanished,
        CrmReconcileWatermark watermark, CancellationToken ct, bool recordChanges = true)
    {
        var known = await store.GetStatesAsync(rows.Select(r => r.CrmId).ToList(), ct);
        var changes = new List<CrmChange>();
        var states = new List<CrmEntityState>();
        foreach (var row in rows)
        {
            var seen = known.GetValueOrDefault(row.CrmId);
            if (seen is not null && seen.ModifiedTime == row.ModifiedTime && seen.Deleted == row.Deleted && seen.Module == row.Module) continue;
            states.Add(new CrmEntityState { CrmId = row.CrmId, Module = row.Module, ModifiedTime = row.ModifiedTime, Deleted = row.Deleted });
            // A row first seen already deleted may still have been reported as saved by the hook: report the delete
            // (a delete of a record the connector never synced is a no-op downstream).
            changes.Add(Change(row.Module, row.CrmId, row.Deleted ? "delete" : "save", row.ModifiedTime));
        }
        foreach (var gone in vanished.Where(v => !v.Deleted))
            changes.Add(Change(gone.Module, gone.CrmId, "delete", gone.ModifiedTime));
        if (!recordChanges) changes.Clear();
        var added = await store.ApplyAsync(changes, states, vanished.Select(v => v.CrmId).ToList(), watermark, ct);
        if (added > 0)
        {
            logger.LogInformation("CRM reconciliation found {Count} change(s) no notice reported", added);
            jobs.Notify();
        }
        return added;
    }

    private CrmChange Change(string module, int crmId, string operation, DateTime serverLocal)
    {
        var local = DateTime.SpecifyKind(serverLocal, DateTimeKind.Unspecified);
        var offset = _serverZone.IsAmbiguousTime(local) ? _serverZone.GetAmbiguousTimeOffsets(local).Max() : _serverZone.GetUtcOffset(local);
        var instant = new DateTimeOffset(local, offset);
        return new CrmChange(module, crmId, operation, instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            instant.UtcDateTime, null, CrmChangeSource.Reconcile);
    }
}
