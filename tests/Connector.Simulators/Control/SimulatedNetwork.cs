using System.Collections.Concurrent;
using System.Diagnostics;

namespace Connector.Simulators.Control;

/// <summary>
/// The network between the connector and the simulated servers, for benchmarks: every protocol request (Graph, OAuth,
/// EWS, vtenext's webservice; never <c>/_sim</c>) waits <c>Simulator:LatencyMs</c> before it is served (the round trip a
/// real server adds), and is counted by kind so a benchmark can compare the requests a sync sent with the fewest the
/// protocol allows. Requests a Graph <c>$batch</c> runs inside the simulator are counted apart and not delayed again:
/// on the wire they were one request. The simulator's own time per request (after the configured latency, until the
/// response is written) is kept by kind too, so a benchmark can report it apart from the connector's time.
/// </summary>
public static class SimulatedNetwork
{
    public const string LatencySetting = "Simulator:LatencyMs";

    /// <summary>Set by the simulator's own <c>$batch</c> on the requests it runs for the batch.</summary>
    public const string BatchItemHeader = "X-Sim-Batch-Item";

    public static WebApplication UseSimulatedNetwork(this WebApplication app)
    {
        var latency = TimeSpan.FromMilliseconds(app.Configuration.GetValue(LatencySetting, 0));
        var counts = new ConcurrentDictionary<string, long>();
        var timings = new ConcurrentDictionary<string, ServedTimes>();

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path.StartsWith("/_sim", StringComparison.Ordinal)) { await next(); return; }
            var inBatch = context.Request.Headers.ContainsKey(BatchItemHeader);
            var kind = Kind(context.Request.Method, path, inBatch);
            counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
            if (!inBatch && latency > TimeSpan.Zero) await Task.Delay(latency, context.RequestAborted);
            var started = Stopwatch.GetTimestamp();
            await next();
            timings.GetOrAdd(kind, _ => new ServedTimes()).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });

        app.MapGet("/_sim/requests", () => TypedResults.Ok(new
        {
            latencyMs = latency.TotalMilliseconds,
            counts = new SortedDictionary<string, long>(counts.ToDictionary(), StringComparer.Ordinal),
            servedMs = new SortedDictionary<string, ServedTimes.Summary>(timings.ToDictionary(t => t.Key, t => t.Value.Summarise()), StringComparer.Ordinal),
        }));
        app.MapDelete("/_sim/requests", () => { counts.Clear(); timings.Clear(); return TypedResults.NoContent(); });
        return app;
    }

    /// <summary>A request's kind: protocol, and for Graph the shape that matters for request economy.</summary>
    internal static string Kind(string method, string path, bool inBatch)
    {
        if (path.Contains("/oauth2/", StringComparison.OrdinalIgnoreCase)) return "oauth";
        if (path.StartsWith("/EWS/", StringComparison.OrdinalIgnoreCase)) return "ews";
        if (path.EndsWith("webservice.php", StringComparison.OrdinalIgnoreCase)) return "vtenext";
        if (!path.StartsWith("/v1.0/", StringComparison.Ordinal)) return "other";
        var prefix = inBatch ? "graph.inBatch." : "graph.";
        if (path.EndsWith("/$batch", StringComparison.Ordinal)) return "graph.batch";
        if (path.EndsWith("/delta", StringComparison.Ordinal)) return prefix + "delta";
        if (path.Contains("/subscriptions", StringComparison.Ordinal)) return prefix + "subscriptions";
        return prefix + method.ToUpperInvariant();
    }

    /// <summary>How long the simulator took to serve one kind of request (the most recent <see cref="Kept"/> requests).</summary>
    private sealed class ServedTimes
    {
        private const int Kept = 100_000;
        private readonly ConcurrentQueue<double> _ms = new();

        public sealed record Summary(long Requests, double P50, double P99, double Mean);

        public void Add(double ms)
        {
            _ms.Enqueue(ms);
            if (_ms.Count > Kept) _ms.TryDequeue(out _);
        }

        public Summary Summarise()
        {
            var sorted = _ms.ToArray();
            Array.Sort(sorted);
            double At(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
            return new Summary(sorted.Length, Math.Round(At(0.50), 2), Math.Round(At(0.99), 2), sorted.Length == 0 ? 0 : Math.Round(sorted.Average(), 2));
        }
    }
}
