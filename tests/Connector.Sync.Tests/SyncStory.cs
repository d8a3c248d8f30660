using System.Text.Json;
using Xunit.Abstractions;

namespace Connector.Sync.Tests;

/// <summary>
/// For a test that compares both sides at the end: each pair that differs, record without link or item linked twice is
/// written to the test's output with its story (jobs, feed cursors, the connector's writes, the CRM notices), so a
/// failure seen once under load can be understood without running it again.
/// </summary>
public static class SyncStory
{
    public static async Task WriteDifferencesAsync(SyncWorld w, ITestOutputHelper output,
        IReadOnlyDictionary<long, (string Subject, string Location)> crm, IReadOnlyDictionary<string, (string Subject, string Location)> exchange,
        IReadOnlyList<(long CrmId, string ItemId)> links)
    {
        foreach (var (crmId, itemId) in links)
            if (!crm.TryGetValue(crmId, out var record) || !exchange.TryGetValue(itemId, out var item) || record != item)
            {
                output.WriteLine($"CRM event {crmId} {crm.GetValueOrDefault(crmId)} differs from its Exchange item {exchange.GetValueOrDefault(itemId)}:");
                await WriteAsync(w, output, crmId, itemId);
            }
        foreach (var id in crm.Keys.Except(links.Select(l => l.CrmId)))
        {
            output.WriteLine($"CRM event {id} {crm[id]} has no link:");
            await WriteAsync(w, output, id, null);
        }
        foreach (var id in exchange.Keys.Except(links.Select(l => l.ItemId))) output.WriteLine($"Exchange item {id} {exchange[id]} has no link.");
        foreach (var shared in links.GroupBy(l => l.ItemId).Where(g => g.Count() > 1))
            foreach (var (crmId, itemId) in shared)
            {
                output.WriteLine($"CRM event {crmId} {crm.GetValueOrDefault(crmId)} shares Exchange item {exchange.GetValueOrDefault(itemId)}:");
                await WriteAsync(w, output, crmId, itemId);
            }
    }

    private static async Task WriteAsync(SyncWorld w, ITestOutputHelper output, long crmId, string? itemId)
    {
        // Job payloads are JSON: an EWS id's '+' is stored escaped.
        var item = itemId is null ? "-none-" : JsonSerializer.Serialize(itemId)[1..^1];
        var rows = await w.ConnectorQueryAsync<string>("""
            SELECT CONCAT(DATE_FORMAT(created_at, '%H:%i:%s.%f'), ' job ', kind, ' ', state, ' ', DATE_FORMAT(updated_at, '%H:%i:%s.%f'), ' ',
                   attempts, ' ', COALESCE(last_error, ''), ' ', LEFT(payload, 60)) FROM exc_jobs
            WHERE ordering_key IN (CONCAT('crm:', @crmId), CONCAT('crm:Event:', @crmId)) OR payload LIKE CONCAT('%', @item, '%')
            UNION ALL
            SELECT CONCAT(DATE_FORMAT(updated_at, '%H:%i:%s.%f'), ' cursor ', mailbox, ' ', folder) FROM exc_sync_cursors
            UNION ALL
            SELECT CONCAT(DATE_FORMAT(at, '%H:%i:%s.%f'), ' ', action, ' ', side, ' ', reason, ' ', COALESCE(detail, '')) FROM exc_sync_log
            WHERE crm_id = @crmId
            UNION ALL
            SELECT CONCAT(DATE_FORMAT(received_at, '%H:%i:%s.%f'), ' notice ', operation, ' ', modifiedtime, ' processed ',
                   COALESCE(DATE_FORMAT(processed_at, '%H:%i:%s.%f'), '-')) FROM exc_crm_changes WHERE crmid = @crmId
            ORDER BY 1
            """, new { crmId, item });
        foreach (var row in rows) output.WriteLine("  " + row);
    }
}
