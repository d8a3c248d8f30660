using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;

namespace Connector.Bench;

/// <summary>
/// Initial sync of one mailbox holding <c>events</c> events in the sync window: wall time from
/// <c>POST /users/{id}/initialize</c> until the run is finished and no job is left, every Graph and vtenext request the
/// simulators received meanwhile, and the number of CRM records created (every event must arrive).
/// </summary>
public static class InitialSyncPhase
{
    public sealed record Result(int Events, TimeSpan Wall, Dictionary<string, long> Requests, long CrmEvents, long Links, string? InitState,
        string Protocol = "Graph", string Load = "");

    public static async Task<Result> RunAsync(string root, int events, int latencyMs)
    {
        await using var stack = await Stack.StartAsync(root, latencyMs, pollSeconds: 30, "initial");
        var user = await stack.AddUserAsync(1, enabled: false);
        await SeedAsync(stack, user.Mailbox, events);
        Console.WriteLine($"initial: {events} events seeded in {user.Mailbox}");

        await stack.EnableAsync(user);
        await stack.ResetSimRequestsAsync();
        var ewsBefore = Stack.Ews ? await stack.EwsRequestsAsync() : [];
        var loadBefore = Report.LoadAverage();
        var watch = Stopwatch.StartNew();
        await Stack.Ok(stack.Api.PostAsync($"/api/v1/users/{user.CrmId}/initialize", null));
        string? state = null;
        await Stack.WaitUntilAsync(async () =>
        {
            await using var c = await stack.ConnectorDb.OpenAsync();
            state = await c.ExecuteScalarAsync<string?>("SELECT state FROM exc_init_runs ORDER BY id DESC LIMIT 1");
            var open = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_jobs WHERE state IN ('Pending', 'Running')");
            return state is "Finished" or "Failed" && open == 0;
        }, TimeSpan.FromMinutes(30), "the initial sync");
        watch.Stop();
        var requests = (await stack.SimRequestsAsync()).Counts;
        if (Stack.Ews)
            foreach (var (operation, count) in await stack.EwsRequestsAsync())
                if (count - ewsBefore.GetValueOrDefault(operation) is > 0 and var sent) requests[$"ews.{operation}"] = sent;
        long crmEvents, links;
        await using (var c = await stack.CrmDb.OpenAsync())
            crmEvents = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM vte_crmentity WHERE setype = 'Calendar' AND deleted = 0");
        await using (var c = await stack.ConnectorDb.OpenAsync())
            links = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_links");
        Console.WriteLine($"initial: {state} in {watch.Elapsed.TotalSeconds:0.0} s, {crmEvents} CRM events, {links} links");
        return new Result(events, watch.Elapsed, requests, crmEvents, links, state, Stack.ProtocolName, $"{loadBefore} at start, {Report.LoadAverage()} at end");
    }

    /// <summary>The user's own Outlook creating events through Graph (4 at a time: the mailbox's concurrency limit).</summary>
    private static async Task SeedAsync(Stack stack, string mailbox, int events)
    {
        var token = await stack.GraphTokenAsync();
        var day0 = DateTime.UtcNow.Date.AddDays(1);
        await Parallel.ForEachAsync(Enumerable.Range(0, events), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var start = day0.AddDays(i % 300).AddHours(6 + i % 12).AddMinutes(i / 3600 % 4 * 15);
            for (var attempt = 0; ; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1.0/users/{mailbox}/events")
                {
                    Content = JsonContent.Create(new
                    {
                        subject = $"Seeded event {i}",
                        start = new { dateTime = start.ToString("yyyy-MM-ddTHH:mm:ss"), timeZone = "UTC" },
                        end = new { dateTime = start.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ss"), timeZone = "UTC" },
                    }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await stack.Sim.SendAsync(request, ct);
                if (response.IsSuccessStatusCode) return;
                if ((int)response.StatusCode != 429 || attempt > 20)
                    throw new InvalidOperationException($"Seeding answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                await Task.Delay(50, ct);
            }
        });
    }

    /// <summary>
    /// Graph's fewest requests (issue 8): calendar delta pages of <paramref name="pageSize"/> (the last carries the delta
    /// link), plus one <c>$batch</c> of 20 per 20 items read with their CRM-id stamp (a delta page cannot expand it).
    /// </summary>
    public static long GraphMinimum(int events, int pageSize) => Math.Max(1, (events + pageSize - 1) / pageSize) + (events + 19) / 20;

    /// <summary>EWS's fewest requests: SyncFolderItems pages of 512 ids, plus GetItem batches of <see cref="EwsGetItemBatch"/> to read them.</summary>
    public static long EwsMinimum(int events) => Math.Max(1, (events + 511) / 512) + (events + EwsGetItemBatch - 1) / EwsGetItemBatch;

    /// <summary>Ids per GetItem the connector sends (EwsClient's batch; EWS itself accepts more).</summary>
    public const int EwsGetItemBatch = 50;
}
