using System.Text.Json;
using Connector.Storage.Database;
using Connector.Storage.Jobs;
using Dapper;
using MySql.Data.MySqlClient;

namespace Connector.Storage.CrmChanges;

/// <summary>Where a change notice came from.</summary>
public static class CrmChangeSource
{
    public const string Api = "api";
    public const string Outbox = "outbox";
    public const string Reconcile = "reconcile";
}

/// <param name="ModifiedTime">as the notice said it (ISO 8601 with offset)</param>
/// <param name="ModifiedUtc">the same instant in UTC, part of the notice's identity</param>
public sealed record CrmChange(string Module, int CrmId, string Operation, string ModifiedTime, DateTime ModifiedUtc,
    int? ActingUser, string Source, int? OutboxId = null);

public sealed record StoredCrmChange
{
    public long Id { get; init; }
    public string Module { get; init; } = "";
    public int CrmId { get; init; }
    public string Operation { get; init; } = "";
    public string ModifiedTime { get; init; } = "";
    public DateTime ModifiedUtc { get; init; }
    public int? ActingUser { get; init; }
    public string Source { get; init; } = "";
    public int? OutboxId { get; init; }
    public DateTime ReceivedAt { get; init; }
    public DateTime? ProcessedAt { get; init; }
}

/// <summary>What a <see cref="CrmChangeStore.JobKind"/> job carries: the latest change of one CRM record.</summary>
public sealed record CrmChangeJob(long ChangeId, string Module, int CrmId, string Operation, DateTime ModifiedUtc)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToPayload() => JsonSerializer.Serialize(this, Json);

    public static CrmChangeJob FromPayload(string payload) =>
        JsonSerializer.Deserialize<CrmChangeJob>(payload, Json) ?? throw new FormatException("Empty crm.change job payload.");
}

/// <summary>
/// The durable intake of CRM change notices (<c>exc_crm_changes</c>). Recording is idempotent, and every notice
/// enqueues a <see cref="JobKind"/> job in the same transaction: one waiting job per CRM record (ordered and folded by
/// the record's crmid), carrying its latest change.
/// </summary>
public sealed class CrmChangeStore(DbConnectionFactory db)
{
    public const string JobKind = "crm.change";

    /// <summary>Stores the notice and its job (committed when this returns) and gives its id; an identical notice
    /// already stored is not stored twice and its id is returned with <c>Duplicate</c>.</summary>
    public Task<(long Id, bool Duplicate)> RecordAsync(CrmChange change, CancellationToken ct = default) =>
        // The job's upsert on its dedupe key can deadlock with a worker claiming the waiting job (InnoDB rolls the
        // whole transaction back): storing the notice again is safe, and answering 500 would only send it to the outbox.
        Deadlocks.RetryAsync(async () =>
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var result = await RecordAsync(connection, tx, change, ct);
            await tx.CommitAsync(ct);
            return result;
        }, ct);

    public static async Task<(long Id, bool Duplicate)> RecordAsync(MySqlConnection connection, MySqlTransaction? tx, CrmChange change, CancellationToken ct)
    {
        // A plain INSERT and the duplicate-key error, not INSERT IGNORE: MySql.Data 8.0.16 cannot read MariaDB's
        // SHOW WARNINGS answer, and the unique key settles concurrent identical notices.
        var inserted = 0;
        long insertedId = 0;
        try
        {
            // The new row's id comes back in the INSERT's OK packet (no SELECT LAST_INSERT_ID() round trip: the hook waits).
            await using var command = new MySqlCommand("""
            INSERT INTO exc_crm_changes (module, crmid, operation, modifiedtime, modified_utc, acting_user, source, outbox_id, received_at)
            VALUES (@module, @crmId, @operation, @modifiedTime, @modifiedUtc, @actingUser, @source, @outboxId, UTC_TIMESTAMP(6))
            """, connection, tx);
            command.Parameters.AddWithValue("@module", change.Module);
            command.Parameters.AddWithValue("@crmId", change.CrmId);
            command.Parameters.AddWithValue("@operation", change.Operation);
            command.Parameters.AddWithValue("@modifiedTime", change.ModifiedTime);
            command.Parameters.AddWithValue("@modifiedUtc", change.ModifiedUtc);
            command.Parameters.AddWithValue("@actingUser", (object?)change.ActingUser ?? DBNull.Value);
            command.Parameters.AddWithValue("@source", change.Source);
            command.Parameters.AddWithValue("@outboxId", (object?)change.OutboxId ?? DBNull.Value);
            inserted = await command.ExecuteNonQueryAsync(ct);
            insertedId = command.LastInsertedId;
        }
        catch (MySqlException e) when (e.Number == 1062)
        {
        }
        var id = inserted == 1
            ? insertedId
            : await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                SELECT id FROM exc_crm_changes WHERE module = @Module AND crmid = @CrmId AND operation = @Operation AND modified_utc = @ModifiedUtc
                """, change, tx, cancellationToken: ct));
        // A job even for a notice already stored: vtenext keeps modifiedtime to the second, so an "identical" notice may
        // be a second save within the same second, after the first one's sync already read the record. Syncing again is
        // idempotent (fingerprints), and a job still waiting absorbs it (crmids are unique across modules).
        var key = $"crm:{change.CrmId}";
        var payload = new CrmChangeJob(id, change.Module, change.CrmId, change.Operation, change.ModifiedUtc).ToPayload();
        await JobQueue.EnqueueAsync(connection, tx, new NewJob(JobKind, payload, OrderingKey: key, DedupeKey: key), ct);
        return (id, inserted == 0);
    }

    /// <summary>Stores several notices in one transaction; returns how many were new.</summary>
    public async Task<int> RecordAllAsync(IEnumerable<CrmChange> changes, CancellationToken ct = default)
    {
        var all = changes.ToList();
        return await Deadlocks.RetryAsync(async () =>
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var added = 0;
            foreach (var change in all)
                if (!(await RecordAsync(connection, tx, change, ct)).Duplicate) added++;
            await tx.CommitAsync(ct);
            return added;
        }, ct);
    }

    public async Task<IReadOnlyList<StoredCrmChange>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<StoredCrmChange>(new CommandDefinition("""
            SELECT id, module, crmid AS CrmId, operation, modifiedtime AS ModifiedTime, modified_utc AS ModifiedUtc, acting_user AS ActingUser,
                   source, outbox_id AS OutboxId, received_at AS ReceivedAt, processed_at AS ProcessedAt
            FROM exc_crm_changes ORDER BY id
            """, cancellationToken: ct))).ToList();
    }
}
