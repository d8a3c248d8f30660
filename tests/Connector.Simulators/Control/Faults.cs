using System.Collections.Concurrent;

namespace Connector.Simulators.Control;

/// <summary>
/// A fault to inject into the next <see cref="Count"/> matching protocol requests (Graph, EWS, OAuth; never
/// <c>/_sim</c>): <c>throttle</c> (429 + Retry-After), <c>serverError</c> (Status, default 503, + Retry-After when
/// given), <c>latency</c> (LatencyMs, then the real answer), <c>drop</c> (connection aborted without an answer),
/// <c>missedNotification</c> (the next change notifications are replaced by a <c>missed</c> lifecycle event).
/// </summary>
public sealed record FaultRequest(string Kind, int Count = 1, int? Status = null, int? RetryAfterSeconds = null,
    int? LatencyMs = null, string? PathContains = null);

public sealed class FaultInjector
{
    public static readonly string[] Kinds = ["throttle", "serverError", "latency", "drop", "missedNotification"];

    private readonly ConcurrentQueue<ActiveFault> _faults = new();
    private int _missedNotifications;

    /// <summary>Every injected fault that fired, for tests to assert on (kind, path, when).</summary>
    public ConcurrentQueue<(string Kind, string Path, DateTimeOffset At)> Fired { get; } = new();

    public void Add(FaultRequest request)
    {
        if (request.Kind == "missedNotification") Interlocked.Add(ref _missedNotifications, Math.Max(1, request.Count));
        else _faults.Enqueue(new ActiveFault(request));
    }

    public void Clear()
    {
        _faults.Clear();
        Interlocked.Exchange(ref _missedNotifications, 0);
    }

    /// <summary>True once per pending missed-notification fault.</summary>
    public bool TakeMissedNotification()
    {
        while (true)
        {
            var current = Volatile.Read(ref _missedNotifications);
            if (current <= 0) return false;
            if (Interlocked.CompareExchange(ref _missedNotifications, current - 1, current) == current) return true;
        }
    }

    internal FaultRequest? Take(string path)
    {
        foreach (var fault in _faults)
            if ((fault.Request.PathContains is null || path.Contains(fault.Request.PathContains, StringComparison.OrdinalIgnoreCase)) && fault.TryTake())
                return fault.Request;
        return null;
    }

    private sealed class ActiveFault(FaultRequest request)
    {
        private int _remaining = Math.Max(1, request.Count);
        public FaultRequest Request { get; } = request;
        public bool TryTake() => Interlocked.Decrement(ref _remaining) >= 0;
    }
}

public static class FaultMiddleware
{
    public const string LatencyKey = "sim.latency";

    public static IApplicationBuilder UseSimulatorFaults(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/_sim", StringComparison.Ordinal)) { await next(); return; }
        var faults = context.RequestServices.GetRequiredService<FaultInjector>();
        var fault = faults.Take(path + context.Request.QueryString);
        if (fault is null) { await next(); return; }
        faults.Fired.Enqueue((fault.Kind, path, DateTimeOffset.UtcNow));
        switch (fault.Kind)
        {
            case "latency":
                // A protocol front end that models server work (Graph's per-mailbox slot) waits inside it, so the
                // delay counts as time a request occupies the mailbox; everything else waits here.
                if (path.StartsWith("/v1.0/", StringComparison.Ordinal)) context.Items[LatencyKey] = fault.LatencyMs ?? 1000;
                else await Task.Delay(fault.LatencyMs ?? 1000, context.RequestAborted);
                await next();
                return;
            case "drop":
                context.Abort();
                return;
            case "throttle":
                await WriteError(context, fault.Status ?? 429, fault.RetryAfterSeconds ?? 1, "TooManyRequests",
                    "Application is over its MailboxConcurrency limit.");
                return;
            default: // serverError
                await WriteError(context, fault.Status ?? 503, fault.RetryAfterSeconds, "ServiceUnavailable", "Service unavailable (injected fault).");
                return;
        }
    });

    private static Task WriteError(HttpContext context, int status, int? retryAfter, string code, string message)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(new { error = new { code, message } });
    }
}
