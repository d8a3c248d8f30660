using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Connector.Bench;

/// <summary>
/// End-to-end latency under a steady load: <c>rate</c> changes per second for <c>seconds</c>, alternating between an
/// event created in a user's Exchange calendar (Graph, as the user's Outlook would) and an event saved in vtenext
/// (webservice create, then the bridge's notice to <c>POST /api/v1/crm/changes</c>). A change has arrived when the
/// connector has written it to the other side and stored the link (<c>exc_links.synced_at</c>, first sighting); its
/// latency is that moment minus the moment the change existed on its own side.
/// </summary>
public static class LatencyPhase
{
    public sealed record Result(int Users, int Rate, int Seconds, int LatencyMs, double PollSeconds, List<double> ExchangeToCrm, List<double> CrmToExchange,
        int Lost, Dictionary<string, long> Requests, List<LatencyBreakdown.Stage> Stages, Dictionary<string, double> CpuSeconds, double WallSeconds,
        string Load, long Statements, Dictionary<string, long> Jobs, int WarmupSeconds, bool GraphNotifications,
        Dictionary<string, Stack.ServedTime> SimulatorServed);

    public static async Task<Result> RunAsync(string root, int users, int rate, int seconds, int latencyMs, double pollSeconds, int warmupSeconds, bool graphNotifications)
    {
        await using var stack = await Stack.StartAsync(root, latencyMs, pollSeconds, "latency", graphNotifications);
        var all = new List<Stack.BenchUser>();
        for (var i = 1; i <= users; i++) all.Add(await stack.AddUserAsync(i, enabled: true));
        foreach (var u in all) await Stack.Ok(stack.Api.PostAsync($"/api/v1/users/{u.CrmId}/initialize", null));
        await Stack.WaitUntilAsync(async () =>
        {
            await using var c = await stack.ConnectorDb.OpenAsync();
            return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_init_runs WHERE state = 'Finished'") >= users
                && await NoJobDueAsync(stack);
        }, TimeSpan.FromMinutes(5), "the users' initialisation");
        if (graphNotifications && !Stack.Ews)
            await Stack.WaitUntilAsync(async () =>
            {
                await using var c = await stack.ConnectorDb.OpenAsync();
                return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_graph_subscriptions") >= users;
            }, TimeSpan.FromMinutes(2), "a Graph subscription per user");

        var token = await stack.GraphTokenAsync();
        var session = await CrmSessionAsync(stack);

        // Warm-up at the same rate, not measured: a fresh process spends its first seconds compiling (tiered JIT, on its own
        // threads) while the load is already queueing; a connector in production has been running for days.
        if (warmupSeconds > 0)
        {
            var warm = new Load(stack, token, session, all);
            await warm.SendAsync(rate, rate * warmupSeconds, offset: 1_000_000);
            if (!await warm.WaitArrivedAsync(TimeSpan.FromSeconds(60)))
                Console.WriteLine("latency: warm-up changes still missing after 60 s");
            await warm.DisposeAsync();
            await Stack.WaitUntilAsync(() => NoJobDueAsync(stack), TimeSpan.FromMinutes(2), "the warm-up's jobs");
        }

        await stack.ResetSimRequestsAsync();
        var processes = LatencyBreakdown.Processes(stack, root);
        var cpuBefore = LatencyBreakdown.Cpu(processes);
        var machineBefore = LatencyBreakdown.TotalMachineCpuSeconds();
        var loadBefore = Report.LoadAverage();
        var statementsBefore = await LatencyBreakdown.StatementsAsync(stack);
        var since = DateTime.UtcNow;
        var wall = Stopwatch.StartNew();

        var load = new Load(stack, token, session, all);
        var total = rate * seconds;
        Console.WriteLine($"latency: sending {total} changes at {rate}/s"); // a mark for profilers started from outside
        var clock = Stopwatch.StartNew();
        await load.SendAsync(rate, total, offset: 0);
        Console.WriteLine($"latency: {total} changes sent in {clock.Elapsed.TotalSeconds:0.0} s");
        await load.WaitArrivedAsync(TimeSpan.FromSeconds(60));
        await load.DisposeAsync();
        var (fromExchange, fromCrm, arrivedExchange, arrivedCrm) = (load.FromExchange, load.FromCrm, load.ArrivedExchange, load.ArrivedCrm);
        wall.Stop();
        var cpuAfter = LatencyBreakdown.Cpu(processes);
        var cpu = cpuAfter.ToDictionary(kv => kv.Key, kv => kv.Value - cpuBefore[kv.Key]);
        cpu["whole machine"] = LatencyBreakdown.TotalMachineCpuSeconds() - machineBefore;
        var loadAverage = $"{loadBefore} at start, {Report.LoadAverage()} at end";
        var statements = await LatencyBreakdown.StatementsAsync(stack) - statementsBefore;
        var jobs = await LatencyBreakdown.JobsByKindAsync(stack, since);
        var (requests, served) = await stack.SimRequestsAsync();
        var stages = await LatencyBreakdown.MeasureAsync(stack, fromExchange, fromCrm);
        var lost = fromExchange.Count - arrivedExchange.Count + fromCrm.Count - arrivedCrm.Count;
        Console.WriteLine($"latency: {arrivedExchange.Count}/{fromExchange.Count} Exchange->CRM, {arrivedCrm.Count}/{fromCrm.Count} CRM->Exchange arrived");
        return new Result(users, rate, seconds, latencyMs, pollSeconds, [.. arrivedExchange.Values.Order()], [.. arrivedCrm.Values.Order()], lost, requests,
            stages, cpu, wall.Elapsed.TotalSeconds, loadAverage, statements, jobs, warmupSeconds, graphNotifications && !Stack.Ews, served);
    }

    /// <summary>No job is waiting for a worker or running (jobs parked for later do not count).</summary>
    private static async Task<bool> NoJobDueAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM exc_jobs WHERE state IN ('Pending', 'Running') AND next_attempt_at <= UTC_TIMESTAMP(6)") == 0;
    }

    /// <summary>One stream of changes: sends them at a steady rate and watches for their links (first sighting).</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly Stack _stack;
        private readonly string _token, _session;
        private readonly List<Stack.BenchUser> _users;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _watcher;

        public ConcurrentDictionary<string, DateTime> FromExchange { get; } = new(); // Graph item id -> when it existed
        public ConcurrentDictionary<long, DateTime> FromCrm { get; } = new();         // CRM id -> when the hook fired
        public ConcurrentDictionary<string, double> ArrivedExchange { get; } = new();
        public ConcurrentDictionary<long, double> ArrivedCrm { get; } = new();

        public Load(Stack stack, string token, string session, List<Stack.BenchUser> users)
        {
            (_stack, _token, _session, _users) = (stack, token, session, users);
            _watcher = Task.Run(() => WatchAsync(stack, FromExchange, FromCrm, ArrivedExchange, ArrivedCrm, _stop.Token));
        }

        /// <summary>Alternates an Exchange create and a vtenext save, <paramref name="rate"/> per second; <paramref name="offset"/> keeps subjects apart.</summary>
        public async Task SendAsync(int rate, int total, int offset)
        {
            var clock = Stopwatch.StartNew();
            var inFlight = new List<Task>();
            for (var k = 0; k < total; k++)
            {
                var due = TimeSpan.FromSeconds((double)k / rate);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                var user = _users[k / 2 % _users.Count];
                var n = offset + k;
                inFlight.Add(k % 2 == 0
                    ? Task.Run(async () => { var (id, at) = await CreateInExchangeAsync(_stack, _token, user, n); FromExchange[id] = at; })
                    : Task.Run(async () => { var (id, at) = await SaveInCrmAsync(_stack, _session, user, n); FromCrm[id] = at; }));
            }
            await Task.WhenAll(inFlight);
        }

        public async Task<bool> WaitArrivedAsync(TimeSpan limit)
        {
            var deadline = Stopwatch.StartNew();
            while (ArrivedExchange.Count < FromExchange.Count || ArrivedCrm.Count < FromCrm.Count)
            {
                if (deadline.Elapsed > limit) return false;
                await Task.Delay(200);
            }
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _watcher; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }
    }

    private static async Task WatchAsync(Stack stack, ConcurrentDictionary<string, DateTime> fromExchange, ConcurrentDictionary<long, DateTime> fromCrm,
        ConcurrentDictionary<string, double> arrivedExchange, ConcurrentDictionary<long, double> arrivedCrm, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await using (var c = await stack.ConnectorDb.OpenAsync())
            {
                var waitingItems = fromExchange.Keys.Where(id => !arrivedExchange.ContainsKey(id)).ToList();
                if (waitingItems.Count > 0)
                    foreach (var (itemId, syncedAt) in await c.QueryAsync<(string, DateTime)>(
                        "SELECT item_id, synced_at FROM exc_links WHERE item_id IN @waitingItems", new { waitingItems }))
                        arrivedExchange.TryAdd(itemId, (DateTime.SpecifyKind(syncedAt, DateTimeKind.Utc) - fromExchange[itemId]).TotalMilliseconds);
                var waitingRecords = fromCrm.Keys.Where(id => !arrivedCrm.ContainsKey(id)).ToList();
                if (waitingRecords.Count > 0)
                    foreach (var (crmId, syncedAt) in await c.QueryAsync<(long, DateTime)>(
                        "SELECT crm_id, synced_at FROM exc_links WHERE crm_id IN @waitingRecords", new { waitingRecords }))
                        arrivedCrm.TryAdd(crmId, (DateTime.SpecifyKind(syncedAt, DateTimeKind.Utc) - fromCrm[crmId]).TotalMilliseconds);
            }
            await Task.Delay(100, ct);
        }
    }

    private static async Task<(string Id, DateTime At)> CreateInExchangeAsync(Stack stack, string token, Stack.BenchUser user, int n)
    {
        var start = DateTime.UtcNow.Date.AddDays(2 + n % 20).AddHours(8 + n % 8);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1.0/users/{user.Mailbox}/events")
        {
            Content = JsonContent.Create(new
            {
                subject = $"From Exchange {n}",
                start = new { dateTime = start.ToString("yyyy-MM-ddTHH:mm:ss"), timeZone = "UTC" },
                end = new { dateTime = start.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ss"), timeZone = "UTC" },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Stack.Ok(stack.Sim.SendAsync(request));
        var at = DateTime.UtcNow;
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (id, at);
    }

    private static async Task<(long Id, DateTime At)> SaveInCrmAsync(Stack stack, string session, Stack.BenchUser user, int n)
    {
        var day = DateTime.UtcNow.Date.AddDays(2 + n % 20).ToString("yyyy-MM-dd");
        var element = JsonSerializer.Serialize(new
        {
            subject = $"From vtenext {n}", activitytype = "Meeting", eventstatus = "Planned", date_start = day, time_start = "14:00",
            due_date = day, time_end = "15:00", assigned_user_id = user.WsId,
        });
        using var created = await Stack.Ok(stack.Crm.PostAsync("/webservice.php", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["operation"] = "create", ["sessionName"] = session, ["elementType"] = "Events", ["element"] = element,
        })));
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        if (!body.GetProperty("success").GetBoolean()) throw new InvalidOperationException($"vtenext create failed: {body}");
        var wsId = body.GetProperty("result").GetProperty("id").GetString()!;
        var crmId = long.Parse(wsId[(wsId.IndexOf('x') + 1)..]);
        var at = DateTime.UtcNow;
        // What the php-bridge's save hook sends, as the saving user.
        using var notice = new HttpRequestMessage(HttpMethod.Post, "/api/v1/crm/changes")
        {
            Content = JsonContent.Create(new { module = "Events", crmid = crmId, operation = "save", modifiedtime = DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:sszzz"), actingUser = user.CrmId }),
        };
        notice.Headers.Add("X-Crm-User", user.CrmId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        notice.Headers.Add("X-Crm-Admin", "false");
        using var answered = await Stack.Ok(stack.Bridge.SendAsync(notice));
        return (crmId, at);
    }

    private static async Task<string> CrmSessionAsync(Stack stack)
    {
        var challenge = await stack.Crm.GetFromJsonAsync<JsonElement>("/webservice.php?operation=getchallenge&username=exchange");
        var token = challenge.GetProperty("result").GetProperty("token").GetString()!;
        var key = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(token + "AKexchangeBench1")));
        using var login = await Stack.Ok(stack.Crm.PostAsync("/webservice.php", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["operation"] = "login", ["username"] = "exchange", ["accessKey"] = key,
        })));
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetProperty("sessionName").GetString()!;
    }

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
