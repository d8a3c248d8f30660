// CRM change intake benchmark: the real connector (Kestrel on loopback) and the private MariaDB.
//   dotnet run -c Release --project bench/Connector.Vtenext.Bench [N]
// 1. POST /api/v1/crm/changes, N sequential notices: latency p50/p99/max (the time a bridge hook waits for the 202).
// 2. Outbox drain: N rows in vte_exchange_outbox moved into exc_crm_changes: rows/s.
// 3. Reconciliation: full pass over N crmentity rows (baseline, then a pass finding N/10 changed rows): ms.
// Every phase checks its result in the database, so a shortcut cannot look fast.
using System.Diagnostics;
using System.Net.Http.Json;
using Connector.Api.Features.CrmChanges;
using Connector.Simulators.Vtenext;
using Connector.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

var n = args.Length > 0 ? int.Parse(args[0]) : 1000;
await using var connectorDb = await TestDatabase.CreateAsync("bench");
await using var crmDb = await TestDatabase.CreateAsync("benchcrm");
await using (var c = await crmDb.OpenAsync()) await c.ExecuteAsync(VtenextDatabase.SchemaSql());
await using var host = await ConnectorTestHost.StartAsync(connectorDb, new Dictionary<string, string?>
{
    ["ConnectionStrings:Vtenext"] = crmDb.ConnectionString,
    ["Connector:OutboxDrainIntervalSeconds"] = "0",
    ["Connector:CrmReconcileIntervalSeconds"] = "0",
});
using var client = host.Client();

// 1. Intake latency.
async Task<double> PostAsync(int crmid)
{
    var watch = Stopwatch.StartNew();
    var response = await client.PostAsJsonAsync("/api/v1/crm/changes",
        new { module = "Events", crmid, operation = "save", modifiedtime = "2026-05-04T10:00:00+02:00", actingUser = 5 });
    watch.Stop();
    if ((int)response.StatusCode != 202) throw new InvalidOperationException($"POST answered {(int)response.StatusCode}");
    return watch.Elapsed.TotalMilliseconds;
}
for (var i = 0; i < 50; i++) await PostAsync(1_000_000 + i);
var latencies = new List<double>();
for (var i = 0; i < n; i++) latencies.Add(await PostAsync(i + 1));
latencies.Sort();
await using (var c = await connectorDb.OpenAsync())
{
    var stored = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM exc_crm_changes");
    if (stored != n + 50) throw new InvalidOperationException($"{stored} notices stored, expected {n + 50}");
}
Console.WriteLine($"intake  N={n}: p50 {Pct(0.50):F2} ms, p99 {Pct(0.99):F2} ms, max {latencies[^1]:F2} ms");
double Pct(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];

// 2. Outbox drain.
await using (var c = await crmDb.OpenAsync())
    foreach (var chunk in Enumerable.Range(1, n).Chunk(500))
        await c.ExecuteAsync("INSERT INTO vte_exchange_outbox (module, crmid, operation, modifiedtime, acting_user, created_at) VALUES " +
            string.Join(",", chunk.Select(i => $"('Contacts', {i}, 'delete', '2026-05-04T10:00:00+02:00', 5, NOW())")));
var drainWatch = Stopwatch.StartNew();
var drained = await host.App.Services.GetRequiredService<OutboxDrainer>().DrainAsync();
drainWatch.Stop();
await using (var c = await crmDb.OpenAsync())
    if (drained != n || await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vte_exchange_outbox") != 0)
        throw new InvalidOperationException("the outbox was not drained completely");
Console.WriteLine($"drain   N={n}: {drainWatch.Elapsed.TotalMilliseconds:F0} ms, {n / drainWatch.Elapsed.TotalSeconds:F0} rows/s");

// 3. Reconciliation over N crmentity rows.
await using (var c = await crmDb.OpenAsync())
    foreach (var chunk in Enumerable.Range(1, n).Chunk(500))
    {
        await c.ExecuteAsync("INSERT INTO vte_crmentity (crmid, smownerid, setype, createdtime, modifiedtime) VALUES " +
            string.Join(",", chunk.Select(i => $"({i}, 1, 'Calendar', NOW() - INTERVAL 1 DAY, NOW() - INTERVAL 1 DAY)")));
        await c.ExecuteAsync("INSERT INTO vte_activity (activityid, subject, activitytype, date_start) VALUES " +
            string.Join(",", chunk.Select(i => $"({i}, 'e{i}', 'Meeting', '2026-05-04')")));
    }
var reconciler = host.App.Services.GetRequiredService<CrmReconciler>();
var baselineWatch = Stopwatch.StartNew();
await reconciler.RunFullAsync();
baselineWatch.Stop();
await using (var c = await crmDb.OpenAsync())
    await c.ExecuteAsync("UPDATE vte_crmentity SET deleted = 1 WHERE crmid % 10 = 0");
var fullWatch = Stopwatch.StartNew();
var found = await reconciler.RunFullAsync();
fullWatch.Stop();
if (found != n / 10) throw new InvalidOperationException($"reconciliation found {found} changes, expected {n / 10}");
Console.WriteLine($"reconcile N={n}: baseline {baselineWatch.Elapsed.TotalMilliseconds:F0} ms, full pass finding {found} deletes {fullWatch.Elapsed.TotalMilliseconds:F0} ms");
