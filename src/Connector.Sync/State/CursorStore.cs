using Connector.Storage.Database;
using Connector.Sync.Ports;
using Dapper;

namespace Connector.Sync.State;

/// <summary>Per mailbox folder: the change feed's cursor (Graph delta link, EWS SyncState), advanced only after the
/// changes it covers are queued.</summary>
public sealed class CursorStore(DbConnectionFactory db)
{
    public async Task<string?> GetAsync(string mailbox, SyncFolder folder, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT cursor_value FROM exc_sync_cursors WHERE mailbox = @mailbox AND folder = @folder",
            new { mailbox = mailbox.ToLowerInvariant(), folder = folder.ToString() }, cancellationToken: ct));
    }

    public async Task SetAsync(string mailbox, SyncFolder folder, string cursor, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_sync_cursors (mailbox, folder, cursor_value, updated_at) VALUES (@mailbox, @folder, @cursor, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE cursor_value = VALUES(cursor_value), updated_at = VALUES(updated_at)
            """, new { mailbox = mailbox.ToLowerInvariant(), folder = folder.ToString(), cursor }, cancellationToken: ct));
    }
}
