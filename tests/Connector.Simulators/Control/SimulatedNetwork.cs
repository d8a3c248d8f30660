using System.Collections.Concurrent;

namespace Connector.Simulators.Control;

/// <summary>
/// The network between the connector and the simulated servers, for benchmarks: every protocol request (Graph, OAuth,
/// EWS, vtenext's webservice; never <c>/_sim</c>) waits <c>Simulator:LatencyMs</c> before it is served (the round trip a
/// real server adds), and is counted by kind so a benchmark can compare the requests a sync sent with the fewest the
/// protocol allows. Requests a Graph <c>$batch</c> runs inside the simulator are counted apart and not delayed again:
/// on the wire they were one request.
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

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path.StartsWith("/_sim", StringComparison.Ordinal)) { await next(); return; }
            var inBatch = context.Request.Headers.ContainsKey(BatchItemHeader);
            counts.AddOrUpdate(Kind(context.Request.Method, path, inBatch), 1, (_, n) => n + 1);
            if (!inBatch && latency > TimeSpan.Zero) await Task.Delay(latency, context.RequestAborted);
            await next();
        });

        app.MapGet("/_sim/requests", () => TypedResults.Ok(new
        {
            latencyMs = latency.TotalMilliseconds,
            counts = new SortedDictionary<string, long>(counts.ToDictionary(), StringComparer.Ordinal),
        }));
        app.MapDelete("/_sim/requests", () => { counts.Clear(); return TypedResults.NoContent(); });
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
}
