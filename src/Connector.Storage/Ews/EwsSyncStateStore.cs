using Connector.Storage.Database;
using Dapper;

namespace Connector.Storage.Ews;

/// <summary>
/// The SyncState of each synced EWS folder (<c>exc_ews_sync_state</c>), keyed by mailbox and folder key (a
/// well-known name such as "calendar" or a folder id). Opaque to us; only Exchange reads it.
/// </summary>
public sealed class EwsSyncStateStore(DbConnectionFactory db)
{
    public async Task<string?> GetAsync(string mailbox, string folderKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT sync_state FROM exc_ews_sync_state WHERE mailbox = @mailbox AND folder_key = @folderKey",
            new { mailbox, folderKey }, cancellationToken: cancellationToken));
    }

    public async Task SaveAsync(string mailbox, string folderKey, string syncState, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_ews_sync_state (mailbox, folder_key, sync_state, updated_at)
            VALUES (@mailbox, @folderKey, @syncState, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE sync_state = VALUES(sync_state), updated_at = VALUES(updated_at)
            """, new { mailbox, folderKey, syncState }, cancellationToken: cancellationToken));
    }

    /// <summary>Forgets a folder's state (the mailbox was removed, or the folder is to be synced from scratch).</summary>
    public async Task DeleteAsync(string mailbox, string folderKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM exc_ews_sync_state WHERE mailbox = @mailbox AND folder_key = @folderKey",
            new { mailbox, folderKey }, cancellationToken: cancellationToken));
    }
}
