using Connector.Core.Common;
using Connector.Storage.Database;
using Dapper;

namespace Connector.Sync.State;

public enum InitState { Planning, Running, Finished, Failed }

/// <summary>One user's initialisation as the status endpoint shows it.</summary>
public sealed record InitProgress(long RunId, InitState State, int Items, int Done, int Failed, DateTime StartedAt, DateTime? FinishedAt,
    string? LastError, IReadOnlyDictionary<RecordKind, int> ItemsByKind)
{
    /// <summary>Done or failed items out of all planned; 0 while still planning with nothing found yet.</summary>
    public int Percent => State == InitState.Finished ? 100 : Items == 0 ? 0 : Math.Min(99, (Done + Failed) * 100 / Items);
}

/// <summary>
/// User initialisation runs (<c>exc_init_runs</c>) and their items (<c>exc_init_items</c>): each item is registered in the
/// same transaction as its job, and marked done by the job itself, so progress survives crashes and never counts twice.
/// </summary>
public sealed class InitRunStore(DbConnectionFactory db)
{
    public async Task<long> StartAsync(int crmUserId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO exc_init_runs (crm_user_id, state, started_at) VALUES (@crmUserId, 'Planning', UTC_TIMESTAMP(6))",
            new { crmUserId }, cancellationToken: ct));
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT LAST_INSERT_ID()", cancellationToken: ct));
    }

    /// <summary>The run of this user still being planned (the initialise job re-running after a crash resumes it).</summary>
    public async Task<long?> OpenRunAsync(int crmUserId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM exc_init_runs WHERE crm_user_id = @crmUserId AND state = 'Planning' ORDER BY id DESC LIMIT 1",
            new { crmUserId }, cancellationToken: ct));
    }

    public async Task MarkPlannedAsync(long runId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_init_runs SET state = 'Running', planned_at = UTC_TIMESTAMP(6) WHERE id = @runId AND state = 'Planning'",
            new { runId }, cancellationToken: ct));
        await FinishIfCompleteAsync(c, runId, ct);
    }

    public async Task FailAsync(long runId, string error, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_init_runs SET last_error = @error WHERE id = @runId", new { runId, error }, cancellationToken: ct));
    }

    /// <summary>Marks an item done (or failed with its error); finishes the run when it was the last one.</summary>
    public async Task CompleteItemAsync(long runId, string itemKey, string? error, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_init_items SET done = @done, error = @error WHERE run_id = @runId AND item_key = @itemKey",
            new { runId, itemKey, done = error is null ? 1 : 2, error }, cancellationToken: ct));
        if (error is not null)
            await c.ExecuteAsync(new CommandDefinition("UPDATE exc_init_runs SET last_error = @error WHERE id = @runId",
                new { runId, error }, cancellationToken: ct));
        await FinishIfCompleteAsync(c, runId, ct);
    }

    private static async Task FinishIfCompleteAsync(MySql.Data.MySqlClient.MySqlConnection c, long runId, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_init_runs r SET state = 'Finished', finished_at = UTC_TIMESTAMP(6)
            WHERE r.id = @runId AND r.state = 'Running'
              AND NOT EXISTS (SELECT 1 FROM exc_init_items i WHERE i.run_id = r.id AND i.done = 0)
            """, new { runId }, cancellationToken: ct));

    public async Task<InitProgress?> LatestAsync(int crmUserId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var run = await c.QueryFirstOrDefaultAsync<(long Id, string State, DateTime StartedAt, DateTime? FinishedAt, string? LastError)>(
            new CommandDefinition("""
                SELECT id, state, started_at, finished_at, last_error FROM exc_init_runs WHERE crm_user_id = @crmUserId ORDER BY id DESC LIMIT 1
                """, new { crmUserId }, cancellationToken: ct));
        if (run.Id == 0) return null;
        var counts = (await c.QueryAsync<(string Kind, int Done, int Count)>(new CommandDefinition(
            "SELECT kind, done, COUNT(*) FROM exc_init_items WHERE run_id = @id GROUP BY kind, done", new { id = run.Id }, cancellationToken: ct))).ToList();
        return new InitProgress(run.Id, Enum.Parse<InitState>(run.State), counts.Sum(x => x.Count),
            counts.Where(x => x.Done == 1).Sum(x => x.Count), counts.Where(x => x.Done == 2).Sum(x => x.Count),
            run.StartedAt, run.FinishedAt, run.LastError,
            counts.GroupBy(x => Enum.Parse<RecordKind>(x.Kind)).ToDictionary(g => g.Key, g => g.Sum(x => x.Count)));
    }
}
