using Connector.Core.Sync;
using Connector.Storage.Database;
using Dapper;

namespace Connector.Sync.State;

/// <summary>One executed write, conflict or refusal, as stored in <c>exc_sync_log</c>.</summary>
public sealed record SyncLogEntry(long Id, DateTime At, string Kind, long? CrmId, string? Mailbox, string Action, string Side, string Reason, string? Detail);

/// <summary>What the engine did: every write, conflict and refusal (admins read it; tests count writes per edit from it).</summary>
public sealed class SyncLog(DbConnectionFactory db)
{
    public async Task AddAsync(SyncAction action, string? detail = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_sync_log (at, kind, crm_id, mailbox, action, side, reason, detail)
            VALUES (UTC_TIMESTAMP(6), @kind, @crmId, @mailbox, @action, @side, @reason, @detail)
            """, new
        {
            kind = (action.Crm?.Kind ?? action.Content?.Kind)?.ToString() ?? "",
            crmId = action.Crm?.CrmId, mailbox = action.Mailbox, action = action.Kind.ToString(), side = action.Side.ToString(),
            reason = action.Reason.ToString(), detail = detail ?? action.Detail,
        }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<SyncLogEntry>> ListAsync(long afterId = 0, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<SyncLogEntry>(new CommandDefinition("""
            SELECT id, at, kind, crm_id AS CrmId, mailbox, action, side, reason, detail FROM exc_sync_log WHERE id > @afterId ORDER BY id
            """, new { afterId }, cancellationToken: ct))).ToList();
    }
}
