// The scale benchmark (issue 8): MariaDB, the simulators and the connector as separate processes.
//   bench/run.sh [--smoke] [--only memory,initial,latency,hook] [--exchange graph|ews] [--sizes 0,500,...] [--events N] [--warmup-seconds N] [--graph-notifications on|off] [--out FILE]
// Full size: memory at 0/500/1,000/2,000 users, initial sync of 10,000 events, 50 changes/s; --smoke: tiny sizes, for CI.
using System.Text.Json;
using Connector.Bench;

var smoke = args.Contains("--smoke");
string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var root = Path.GetFullPath(Arg("--root") ?? Directory.GetCurrentDirectory());
var only = (Arg("--only") ?? "memory,initial,latency,hook").Split(',');
var latencyMs = int.Parse(Arg("--latency-ms") ?? "0");
// Graph: change notifications pushed to the connector's HTTPS endpoint (as in production), or delta polling alone.
var graphNotifications = (Arg("--graph-notifications") ?? "on") == "on";
var options = new BenchOptions(
    Sizes: (Arg("--sizes") ?? (smoke ? "0,10" : "0,500,1000,2000")).Split(',').Select(int.Parse).ToArray(),
    Events: int.Parse(Arg("--events") ?? (smoke ? "100" : "10000")),
    Rate: int.Parse(Arg("--rate") ?? (smoke ? "10" : "50")),
    Seconds: int.Parse(Arg("--seconds") ?? (smoke ? "3" : "30")),
    LatencyUsers: int.Parse(Arg("--latency-users") ?? (smoke ? "2" : "10")),
    PollSeconds: double.Parse(Arg("--poll-seconds") ?? (graphNotifications ? "30" : "1"), System.Globalization.CultureInfo.InvariantCulture),
    LatencyMs: latencyMs,
    HookSaves: int.Parse(Arg("--hook-saves") ?? (smoke ? "20" : "500")),
    WarmupSeconds: int.Parse(Arg("--warmup-seconds") ?? (smoke ? "1" : "30")),
    GraphNotifications: graphNotifications);
Stack.Configuration = Arg("--configuration") ?? "Release";
for (var k = 0; k < args.Length - 1; k++)
    if (args[k] == "--connector-env" && args[k + 1].Split('=', 2) is [var name, var value]) Stack.ConnectorEnvironment.Add((name, value));
Stack.Ews = (Arg("--exchange") ?? "graph").Equals("ews", StringComparison.OrdinalIgnoreCase);
Stack.ConnectorDirectory = Arg("--connector-dir");
var output = Arg("--out") ?? Path.Combine(root, smoke ? ".data/bench/SMOKE.md" : "bench/RESULTS.md");

var results = new BenchResults { Options = options, MemoryProtocol = Stack.ProtocolName };
if (only.Contains("memory")) results.Memory = await MemoryPhase.RunAsync(root, options.Sizes, pollSeconds: 30, settle: TimeSpan.FromSeconds(smoke ? 0 : 10), samples: smoke ? 1 : 5);
if (only.Contains("initial")) results.Initial = await InitialSyncPhase.RunAsync(root, options.Events, latencyMs);
if (only.Contains("latency"))
    results.Latency = await LatencyPhase.RunAsync(root, options.LatencyUsers, options.Rate, options.Seconds, latencyMs, options.PollSeconds, options.WarmupSeconds, options.GraphNotifications);
if (only.Contains("hook")) results.Hook = await HookPhase.RunAsync(root, options.HookSaves);

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, Report.Markdown(results));
var counts = Path.ChangeExtension(output, ".counts.json");
await File.WriteAllTextAsync(counts, JsonSerializer.Serialize(results.Counts(), new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Wrote {output} and {counts}");

// What must hold at any size (the smoke run's assertions; no timing is asserted).
var problems = new List<string>();
if (results.Memory is { } memory && memory.Count != options.Sizes.Length) problems.Add("memory: not every size was measured");
if (results.Initial is { } initial && (initial.InitState != "Finished" || initial.CrmEvents != initial.Events || initial.Links != initial.Events))
    problems.Add($"initial sync: {initial.InitState}, {initial.CrmEvents} CRM events and {initial.Links} links for {initial.Events} events");
if (results.Latency is { Lost: > 0 } latency) problems.Add($"latency: {latency.Lost} changes never arrived");
foreach (var p in problems) Console.Error.WriteLine("FAILED " + p);
return problems.Count == 0 ? 0 : 1;
