using Connector.Storage.Database;
using Dapper;
using MySql.Data.MySqlClient;

namespace Connector.Storage.Jobs;

/// <summary>
/// The MySQL job queue: enqueue is durable when it returns; claims use FOR UPDATE SKIP LOCKED and a lease, so a crashed
/// worker's jobs are taken over when the lease lapses; failures back off exponentially (or as the remote asked) until
/// <see cref="Job.MaxAttempts"/>, then the job waits as a failed item for an admin or the error-check schedule.
/// </summary>
public sealed class JobQueue(DbConnectionFactory db)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(5);

    public Task<long> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default) =>
        Deadlocks.RetryAsync(async () =>
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            return await EnqueueAsync(connection, null, job, cancellationToken);
        }, cancellationToken);

    /// <summary>Enqueues inside the caller's transaction (e.g. together with the change record that caused it).</summary>
    public static async Task<long> EnqueueAsync(MySqlConnection connection, MySqlTransaction? transaction, NewJob job,
        CancellationToken cancellationToken = default)
    {
        // An identical waiting job absorbs the new one: a burst of notifications for one item is one sync. Its id (new, or
        // the waiting job's through LAST_INSERT_ID(id)) comes back in the statement's OK packet: no second round trip.
        await using var command = new MySqlCommand("""
            INSERT INTO exc_jobs (kind, payload, ordering_key, dedupe_key, state, attempts, max_attempts, next_attempt_at, created_at, updated_at)
            VALUES (@kind, @payload, @orderingKey, @dedupeKey, 'Pending', 0, @maxAttempts,
                    DATE_ADD(UTC_TIMESTAMP(6), INTERVAL @delayMs * 1000 MICROSECOND), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE payload = VALUES(payload), updated_at = VALUES(updated_at), id = LAST_INSERT_ID(id)
            """, connection, transaction);
        command.Parameters.AddWithValue("@kind", job.Kind);
        command.Parameters.AddWithValue("@payload", job.Payload);
        command.Parameters.AddWithValue("@orderingKey", (object?)job.OrderingKey ?? DBNull.Value);
        command.Parameters.AddWithValue("@dedupeKey", (object?)job.DedupeKey ?? DBNull.Value);
        command.Parameters.AddWithValue("@maxAttempts", job.MaxAttempts);
        command.Parameters.AddWithValue("@delayMs", (long)(job.Delay?.TotalMilliseconds ?? 0));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return command.LastInsertedId;
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> due jobs for <paramref name="worker"/>: pending ones whose time has come and
    /// running ones whose lease lapsed (their worker died), skipping rows other instances hold and ordering keys already
    /// being worked on.
    /// </summary>
    public Task<IReadOnlyList<Job>> ClaimAsync(string worker, int max, TimeSpan? lease = null, IReadOnlyCollection<string>? kinds = null,
        CancellationToken cancellationToken = default) =>
        Deadlocks.RetryAsync(() => TryClaimAsync(worker, max, lease ?? DefaultLease, kinds, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<Job>> TryClaimAsync(string worker, int max, TimeSpan lease, IReadOnlyCollection<string>? kinds,
        CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var kindFilter = kinds is { Count: > 0 } ? "AND j.kind IN @kinds" : "";
        // Step 1, a plain (non-locking) read: due jobs whose ordering key has no earlier job waiting or running.
        // Keeping the ordering subquery out of the locking read keeps claimers from locking each other's rows.
        var candidates = (await connection.QueryAsync<long>(new CommandDefinition($"""
            SELECT j.id FROM exc_jobs j
            WHERE ((j.state = 'Pending' AND j.next_attempt_at <= UTC_TIMESTAMP(6))
                OR (j.state = 'Running' AND j.locked_until < UTC_TIMESTAMP(6)))
              {kindFilter}
              AND (j.ordering_key IS NULL OR NOT EXISTS (
                    SELECT 1 FROM exc_jobs r WHERE r.ordering_key = j.ordering_key AND r.id < j.id
                      AND (r.state = 'Pending' OR (r.state = 'Running' AND r.locked_until >= UTC_TIMESTAMP(6)))))
            ORDER BY j.next_attempt_at, j.id
            LIMIT @max
            """, new { max, kinds }, transaction, cancellationToken: cancellationToken))).ToList();
        if (candidates.Count == 0) return [];
        // Step 2: lock those still due (locking reads see the latest commit), skipping rows another instance holds.
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM exc_jobs
            WHERE id IN @candidates
              AND ((state = 'Pending' AND next_attempt_at <= UTC_TIMESTAMP(6)) OR (state = 'Running' AND locked_until < UTC_TIMESTAMP(6)))
            FOR UPDATE SKIP LOCKED
            """, new { candidates }, transaction, cancellationToken: cancellationToken))).ToList();
        if (ids.Count == 0) return [];
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_jobs SET state = 'Running', dedupe_key = NULL, locked_by = @worker,
              locked_until = DATE_ADD(UTC_TIMESTAMP(6), INTERVAL @leaseMs * 1000 MICROSECOND), claimed_at = UTC_TIMESTAMP(6),
              updated_at = UTC_TIMESTAMP(6)
            WHERE id IN @ids
            """, new { ids, worker, leaseMs = (long)lease.TotalMilliseconds }, transaction, cancellationToken: cancellationToken));
        var jobs = await connection.QueryAsync<JobRow>(new CommandDefinition(
            "SELECT * FROM exc_jobs WHERE id IN @ids ORDER BY next_attempt_at, id", new { ids }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return jobs.Select(r => r.ToJob()).ToList();
    }

    /// <summary>Extends the lease of jobs this worker is still running (a heartbeat), so a short lease only lapses when the worker died.</summary>
    public async Task RenewAsync(IReadOnlyCollection<long> ids, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0) return;
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_jobs SET locked_until = DATE_ADD(UTC_TIMESTAMP(6), INTERVAL @leaseMs * 1000 MICROSECOND)
            WHERE id IN @ids AND state = 'Running' AND locked_by = @worker
            """, new { ids, worker, leaseMs = (long)lease.TotalMilliseconds }, cancellationToken: cancellationToken));
    }

    public async Task CompleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_jobs SET state = 'Done', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = UTC_TIMESTAMP(6) WHERE id = @id",
            new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a failed attempt. The job is retried after <paramref name="retryAfter"/> (what the remote asked for) or an
    /// exponential backoff; when it has used its attempts, or the error is <paramref name="permanent"/>, it becomes a failed item.
    /// </summary>
    public async Task FailAsync(long id, string error, TimeSpan? retryAfter = null, bool permanent = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var attempts = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT attempts FROM exc_jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken)) + 1;
        var delay = retryAfter ?? Backoff(attempts);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_jobs SET attempts = @attempts, last_error = @error, locked_by = NULL, locked_until = NULL,
              state = IF(@permanent OR @attempts >= max_attempts, 'Failed', 'Pending'),
              next_attempt_at = DATE_ADD(UTC_TIMESTAMP(6), INTERVAL @delayMs * 1000 MICROSECOND), updated_at = UTC_TIMESTAMP(6)
            WHERE id = @id
            """, new { id, attempts, error = Truncate(error, 4000), permanent, delayMs = (long)delay.TotalMilliseconds },
            cancellationToken: cancellationToken));
    }

    /// <summary>Failed items, newest first, for the admin's error list.</summary>
    public async Task<IReadOnlyList<Job>> ListFailedAsync(int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
            "SELECT * FROM exc_jobs WHERE state = 'Failed' ORDER BY updated_at DESC, id DESC LIMIT @limit", new { limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<Job?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            "SELECT * FROM exc_jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken)))?.ToJob();
    }

    /// <summary>Gives a failed item a fresh set of attempts, due now. False when there is no such failed item.</summary>
    public async Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_jobs SET state = 'Pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6)
            WHERE id = @id AND state = 'Failed'
            """, new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The error-check schedule: every failed item gets another round. Returns how many.</summary>
    public async Task<int> RetryAllFailedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_jobs SET state = 'Pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6)
            WHERE state = 'Failed'
            """, cancellationToken: cancellationToken));
    }

    /// <summary>Counts per state, for status pages and tests.</summary>
    public async Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, int Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM exc_jobs GROUP BY state", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => Enum.Parse<JobState>(r.State), r => r.Count);
    }

    /// <summary>Exponential backoff with jitter: about 2 s, 4 s, 8 s … capped at 30 minutes.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(1800, Math.Pow(2, Math.Min(attempts, 20)));
        return TimeSpan.FromSeconds(seconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

#pragma warning disable IDE1006 // column names
    private sealed record JobRow
    {
        public long id { get; init; }
        public string kind { get; init; } = "";
        public string payload { get; init; } = "";
        public string? ordering_key { get; init; }
        public string state { get; init; } = "";
        public int attempts { get; init; }
        public int max_attempts { get; init; }
        public DateTime next_attempt_at { get; init; }
        public string? last_error { get; init; }
        public DateTime created_at { get; init; }
        public DateTime updated_at { get; init; }

        public Job ToJob() => new(id, kind, payload, ordering_key, Enum.Parse<JobState>(state), attempts, max_attempts,
            next_attempt_at, last_error, created_at, updated_at);
    }
#pragma warning restore IDE1006
}
