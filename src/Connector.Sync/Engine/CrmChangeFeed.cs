using Connector.Core.Common;
using Connector.Storage.Database;
using Dapper;

namespace Connector.Sync.Engine;

/// <summary>
/// The CRM side of the intake: the intake stores each notice in <c>exc_crm_changes</c> and, in the same transaction,
/// queues one <c>crm.change</c> job per record (latest change). Once that job has synced the record, the notices it
/// covered are marked processed.
/// </summary>
public sealed class CrmChangeFeed(DbConnectionFactory db)
{
    /// <summary>The record kind of a notice's module (Events, Calendar = tasks, Contacts); null for modules not synced.</summary>
    public static RecordKind? KindOf(string module) => module switch
    {
        "Events" => RecordKind.Event,
        "Calendar" => RecordKind.Task,
        "Contacts" => RecordKind.Contact,
        _ => null,
    };

    /// <summary>Marks the record's notices up to <paramref name="changeId"/> processed (later ones have their own job).</summary>
    public async Task MarkProcessedAsync(string module, int crmId, long changeId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_crm_changes SET processed_at = UTC_TIMESTAMP(6)
            WHERE module = @module AND crmid = @crmId AND id <= @changeId AND processed_at IS NULL
            """, new { module, crmId, changeId }, cancellationToken: ct));
    }
}
