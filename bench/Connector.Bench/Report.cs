using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Connector.Bench;

public sealed record BenchOptions(int[] Sizes, int Events, int Rate, int Seconds, int LatencyUsers, double PollSeconds, int LatencyMs, int HookSaves, int WarmupSeconds, bool GraphNotifications);

public sealed class BenchResults
{
    public required BenchOptions Options { get; init; }
    public List<MemoryPhase.Step>? Memory { get; set; }
    public InitialSyncPhase.Result? Initial { get; set; }
    public LatencyPhase.Result? Latency { get; set; }
    public string? Hook { get; set; }
    public string MemoryProtocol { get; set; } = "Graph";
    public string LoadAtStart { get; } = Report.LoadAverage();

    /// <summary>The counts a CI smoke run keeps (no timings): users with live channels, items synced, requests sent.</summary>
    public object Counts() => new
    {
        memory = Memory?.Select(s => new { users = s.Users, rssBytes = s.RssBytes }),
        initial = Initial is null ? null : new { events = Initial.Events, crmEvents = Initial.CrmEvents, links = Initial.Links, state = Initial.InitState, requests = Initial.Requests },
        latency = Latency is null ? null : new
        {
            exchangeToCrm = Latency.ExchangeToCrm.Count, crmToExchange = Latency.CrmToExchange.Count, lost = Latency.Lost, requests = Latency.Requests,
        },
        hook = Hook is not null,
    };
}

/// <summary>Writes bench/RESULTS.md: the machine, then one table per measurement, each with its target.</summary>
public static class Report
{
    public const int GraphDeltaPageSize = 100; // what the connector asks for (Prefer: odata.maxpagesize)

    public static string Markdown(BenchResults r)
    {
        var s = new StringBuilder();
        var o = r.Options;
        s.AppendLine("# Benchmark results (issue 8)").AppendLine();
        s.AppendLine($"Written by `bench/run.sh` (`bench/Connector.Bench`) on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. MariaDB (`scripts/mariadb.sh`), the simulators");
        s.AppendLine("and the connector ran as separate processes from the Release build, over loopback.").AppendLine();
        s.AppendLine($"- Machine: {Cpu()}, {Environment.ProcessorCount} cores, {MemTotal()} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        s.AppendLine($"- Load average (1/5/15 min) at start: {r.LoadAtStart}; at end: {LoadAverage()} — the machine is shared with other engineers' builds, so timings are noisy.");
        s.AppendLine($"- Simulated network latency per request: {o.LatencyMs} ms (`Simulator:LatencyMs`).").AppendLine();

        if (r.Memory is { Count: > 0 } memory)
        {
            var baseline = memory.FirstOrDefault(m => m.Users == 0) ?? memory[0];
            s.AppendLine($"## Memory per user over {r.MemoryProtocol} (target: under 0.5 MB per user at 2,000 users)").AppendLine();
            s.AppendLine(r.MemoryProtocol == "EWS"
                ? "Every user enabled with a live change channel (its lease row held, its first sync finished, its EWS streaming subscription open:"
                  + " each user signs in with their own account, so each has its own streaming connection; grouping shares one among mailboxes of one sign-in);"
                : "Every user enabled with a live change channel (its lease row held, its first sync finished; Graph delta polling every 30 s goes on meanwhile);");
            s.AppendLine("RSS median of 5 samples. Users are added to one running connector in steps.").AppendLine();
            s.AppendLine("| enabled users | connector RSS | (RSS(n) − RSS(0)) / n | channels live after | jobs waiting at the sample |");
            s.AppendLine("|---:|---:|---:|---:|---:|");
            foreach (var m in memory)
                s.AppendLine($"| {m.Users:N0} | {m.RssBytes / 1048576.0:0.0} MiB | {(m.Users == 0 ? "—" : $"{(m.RssBytes - baseline.RssBytes) / 1024.0 / m.Users:0.0} KiB")} | {m.StartUp.TotalSeconds:0.0} s | {m.PendingJobs:N0} |");
            s.AppendLine();
        }

        if (r.Initial is { } i)
        {
            var ews = i.Protocol == "EWS";
            var onWire = ews
                ? i.Requests.Where(kv => kv.Key.StartsWith("ews.", StringComparison.Ordinal)).Sum(kv => kv.Value)
                : i.Requests.Where(kv => kv.Key.StartsWith("graph.", StringComparison.Ordinal) && !kv.Key.StartsWith("graph.inBatch.", StringComparison.Ordinal)).Sum(kv => kv.Value);
            var minimum = ews ? InitialSyncPhase.EwsMinimum(i.Events) : InitialSyncPhase.GraphMinimum(i.Events, GraphDeltaPageSize);
            s.AppendLine($"## Initial sync of one mailbox with {i.Events:N0} events over {i.Protocol} (target: requests within 10% of the minimum)").AppendLine();
            s.AppendLine($"From `POST /users/{{id}}/initialize` until the run is `{i.InitState}` and no job is left: **{i.Wall.TotalSeconds:0.0} s**;");
            s.AppendLine($"{i.CrmEvents:N0} events in vtenext, {i.Links:N0} links. Load average {i.Load}.").AppendLine();
            s.AppendLine("| requests the simulators received | count |");
            s.AppendLine("|---|---:|");
            foreach (var (kind, count) in i.Requests.OrderBy(kv => kv.Key, StringComparer.Ordinal)) s.AppendLine($"| `{kind}` | {count:N0} |");
            s.AppendLine($"| **{i.Protocol} requests on the wire** | **{onWire:N0}** |");
            s.AppendLine(ews
                ? $"| fewest EWS allows: SyncFolderItems pages of 512 + GetItem batches of {InitialSyncPhase.EwsGetItemBatch} | {minimum:N0} |"
                : $"| fewest Graph allows: calendar delta pages of {GraphDeltaPageSize} + `$batch` of 20 item reads | {minimum:N0} |");
            s.AppendLine();
            s.AppendLine($"{i.Protocol} requests / minimum: **{(double)onWire / minimum:0.00}×**. vtenext has no batch create, so its minimum is one `create`");
            s.AppendLine("per event plus a login.").AppendLine();
        }

        if (r.Latency is { } l)
        {
            s.AppendLine($"## End-to-end latency under {l.Rate} changes/s (target: p99 under 1 s of connector time each way)").AppendLine();
            s.AppendLine($"{l.Rate * l.Seconds:N0} changes over {l.Seconds} s across {l.Users} users, after {l.WarmupSeconds} s of the same load not measured (warm-up),");
            s.AppendLine("alternating: an event created in Exchange (as the user's Outlook would) and an event saved in vtenext + the bridge's notice.");
            s.AppendLine("Latency = when the connector stored the link after writing the other side, minus when the change existed on its side.");
            s.AppendLine(Stack.Ews
                ? "Exchange changes are found by the EWS streaming subscription."
                : l.GraphNotifications
                    ? $"Exchange changes are found by Graph change notifications (a subscription per mailbox; the simulator posts to the connector's HTTPS `notificationUrl`, then the connector reads the delta), with delta polling every {l.PollSeconds:0.#} s as the fallback."
                    : $"Exchange changes are found by delta polling every {l.PollSeconds:0.#} s (no notification URL), so that direction includes up to one poll interval of waiting.");
            s.AppendLine($"Simulator latency per request: {l.LatencyMs} ms; changes that never arrived: {l.Lost}.").AppendLine();
            s.AppendLine("| direction | arrived | p50 | p99 | max |");
            s.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var (name, values) in new[] { ("Exchange → vtenext", l.ExchangeToCrm), ("vtenext → Exchange", l.CrmToExchange) })
                s.AppendLine($"| {name} | {values.Count:N0} | {Ms(LatencyPhase.Percentile(values, 0.50))} | {Ms(LatencyPhase.Percentile(values, 0.99))} | {Ms(values.Count == 0 ? double.NaN : values[^1])} |");
            s.AppendLine();
            s.AppendLine();
            s.AppendLine($"Where the time goes (p50 / p99 per stage, from the connector's own timestamps; see `LatencyBreakdown.cs`):").AppendLine();
            s.AppendLine("| direction | stage | p50 | p99 | changes |");
            s.AppendLine("|---|---|---:|---:|---:|");
            foreach (var st in l.Stages) s.AppendLine($"| {st.Direction} | {st.Name} | {Ms(st.P50)} | {Ms(st.P99)} | {st.Count:N0} |");
            s.AppendLine();
            s.AppendLine($"CPU seconds used during the {l.WallSeconds:0} s from the first change to the last arrival ({Environment.ProcessorCount} cores = {Environment.ProcessorCount * l.WallSeconds:0} CPU s): "
                + string.Join(", ", l.CpuSeconds.Select(kv => $"{kv.Key} {kv.Value:0.0}")) + $". Load average {l.Load}.");
            s.AppendLine();
            var changes = Math.Max(1, l.ExchangeToCrm.Count + l.CrmToExchange.Count);
            s.AppendLine($"MariaDB statements during the run: {l.Statements:N0} ({(double)l.Statements / changes:0.0} per change, the watcher's polling included). "
                + "Jobs queued during the run: " + string.Join(", ", l.Jobs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"`{kv.Key}` {kv.Value:N0}")) + ".");
            s.AppendLine();
            s.AppendLine("Requests the simulators received during the run: " + string.Join(", ", l.Requests.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"`{kv.Key}` {kv.Value:N0}")) + ".");
            s.AppendLine();
            s.AppendLine($"The simulators' own time per request (server side, from the request to its response written; the configured latency of {l.LatencyMs} ms comes on top), p50 / p99: "
                + string.Join(", ", l.SimulatorServed.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"`{kv.Key}` {kv.Value.P50:0.0} / {kv.Value.P99:0.0} ms")) + ".");
            s.AppendLine();
        }

        if (r.Hook is { } hook)
        {
            s.AppendLine("## Save-hook overhead (target: under 5 ms with the connector up and down)").AppendLine();
            s.AppendLine($"`php bench/php-bridge/hook_latency.php {o.HookSaves}` (see bench/php-bridge/README.md) against the real connector process (engine off, so a save");
            s.AppendLine("waits for what it waits for in production: the intake storing its notice), as printed:").AppendLine();
            s.AppendLine("```").AppendLine(hook).AppendLine("```").AppendLine();
        }
        return s.ToString();
    }

    private static string Ms(double v) => double.IsNaN(v) ? "—" : $"{v.ToString("0", CultureInfo.InvariantCulture)} ms";

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string Cpu() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
        : "?";

    private static string MemTotal() => File.Exists("/proc/meminfo")
        ? $"{long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0:0.0} GiB"
        : "?";
}
