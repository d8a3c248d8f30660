using MySql.Data.MySqlClient;

namespace Connector.Storage.Database;

/// <summary>
/// InnoDB resolves a lock cycle by rolling one transaction back (error 1213; 1205 when a lock wait times out); the
/// documented answer is to run it again. Concurrent inserts into one unique index (a job's dedupe key, a change notice)
/// meet this under load (the benchmark at 50 changes/s).
/// </summary>
public static class Deadlocks
{
    public static bool IsRetryable(Exception e) => e is MySqlException { Number: 1213 or 1205 };

    /// <summary>Runs <paramref name="attempt"/> (a whole transaction) again after a short random pause when InnoDB chose it as the victim.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, CancellationToken ct, int attempts = 5)
    {
        for (var i = 1; ; i++)
        {
            try { return await attempt(); }
            catch (MySqlException e) when (IsRetryable(e) && i < attempts)
            {
                await Task.Delay(Random.Shared.Next(5, 25 * i), ct);
            }
        }
    }
}
