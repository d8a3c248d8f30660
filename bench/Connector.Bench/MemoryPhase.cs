using Dapper;

namespace Connector.Bench;

/// <summary>
/// Memory per user: one connector, users enabled in steps (0, 500, 1,000, 2,000); at each step, once every enabled
/// user's change channel is live (its lease row held) and the start-up catch-up jobs are done, the connector's RSS.
/// </summary>
public static class MemoryPhase
{
    public sealed record Step(int Users, long RssBytes, TimeSpan StartUp, long QueuedJobs);

    public static async Task<List<Step>> RunAsync(string root, int[] sizes, double pollSeconds, TimeSpan settle)
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
            await Stack.WaitUntilAsync(async () => await LiveChannelsAsync(stack) >= size && await OpenJobsAsync(stack) == 0,
                TimeSpan.FromMinutes(10), $"{size} live channels");
            watch.Stop();
            await Task.Delay(settle);
            var samples = new List<long>();
            for (var k = 0; k < 5; k++) { samples.Add(stack.ConnectorRss()); await Task.Delay(1000); }
            samples.Sort();
            var jobs = await TotalJobsAsync(stack);
            steps.Add(new Step(size, samples[samples.Count / 2], watch.Elapsed, jobs));
            Console.WriteLine($"memory: {size} users, RSS {samples[samples.Count / 2] / 1048576.0:0.0} MiB (started in {watch.Elapsed.TotalSeconds:0.0} s)");
        }
        return steps;
    }

    private static async Task<long> LiveChannelsAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_channel_leases WHERE expires_at > UTC_TIMESTAMP(6)");
    }

    private static async Task<long> OpenJobsAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_jobs WHERE state IN ('Pending', 'Running') AND next_attempt_at <= UTC_TIMESTAMP(6)");
    }

    private static async Task<long> TotalJobsAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_jobs");
    }
}
