using Dapper;

namespace Connector.Bench;

/// <summary>
/// Memory per user: one connector, users enabled in steps (0, 500, 1,000, 2,000); at each step, once every enabled
/// user's change channel is live (its lease row held) and the start-up catch-up jobs are done, the connector's RSS.
/// </summary>
public static class MemoryPhase
{
    public sealed record Step(int Users, long RssBytes, TimeSpan StartUp, long QueuedJobs, long PendingJobs);

    public static async Task<List<Step>> RunAsync(string root, int[] sizes, double pollSeconds, TimeSpan settle, int samples)
    {
        await using var stack = await Stack.StartAsync(root, latencyMs: 0, pollSeconds, "memory");
        var steps = new List<Step>();
        var created = 0;
        foreach (var size in sizes.Order())
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            // Users are created a few at a time, as an admin enabling a department would.
            var next = Enumerable.Range(created + 1, size - created).ToList();
            await Parallel.ForEachAsync(next, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await stack.AddUserAsync(i, enabled: true));
            created = size;
            // Live = the lease held and the user's first sync done; the polling reads go on (RSS includes that work).
            await Stack.WaitUntilAsync(async () => await LiveChannelsAsync(stack) >= size && await FinishedInitsAsync(stack) >= size,
                TimeSpan.FromMinutes(15), $"{size} live channels");
            watch.Stop();
            await Task.Delay(settle);
            var rss = new List<long>();
            for (var k = 0; k < samples; k++) { rss.Add(stack.ConnectorRss()); await Task.Delay(1000); }
            rss.Sort();
            var (jobs, pending) = await JobsAsync(stack);
            steps.Add(new Step(size, rss[rss.Count / 2], watch.Elapsed, jobs, pending));
            Console.WriteLine($"memory: {size} users, RSS {rss[rss.Count / 2] / 1048576.0:0.0} MiB (started in {watch.Elapsed.TotalSeconds:0.0} s)");
        }
        return steps;
    }

    private static async Task<long> LiveChannelsAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_channel_leases WHERE expires_at > UTC_TIMESTAMP(6)");
    }

    private static async Task<long> FinishedInitsAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT crm_user_id) FROM exc_init_runs WHERE state = 'Finished'");
    }

    private static async Task<(long Total, long Pending)> JobsAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_jobs"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_jobs WHERE state IN ('Pending', 'Running')"));
    }
}
