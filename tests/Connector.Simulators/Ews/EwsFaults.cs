using System.Collections.Concurrent;

namespace Connector.Simulators.Ews;

/// <summary>A scripted EWS fault, posted to <c>/_sim/faults</c> like the generic ones (which also reach <c>/EWS</c>: serverError, latency, drop).</summary>
/// <param name="Kind">
/// <c>ErrorServerBusy</c> (SOAP fault, HTTP 500, BackOffMilliseconds), <c>ErrorExceededConnectionCount</c> (SOAP fault),
/// <c>Http503</c> (Retry-After seconds = BackOffMilliseconds/1000) - each for the next <c>Count</c> requests; 
/// <c>ErrorMissedNotificationEvents</c> (the open streams of <c>Mailbox</c>, or all, report missed events and lose
/// their subscriptions and queued events); <c>DropConnection</c> (open streams are cut and their queued events lost).
/// </param>
public sealed record EwsFault(string Kind, int Count = 1, long? BackOffMilliseconds = null, string? Mailbox = null);

/// <summary>The fault script. Request faults are consumed one per request; stream faults act on open streams.</summary>
public sealed class EwsFaults
{
    private readonly ConcurrentQueue<EwsFault> _requestFaults = new();
    private readonly ConcurrentQueue<EwsFault> _streamFaults = new();

    public static readonly string[] Kinds = ["ErrorServerBusy", "ErrorExceededConnectionCount", "Http503", "ErrorMissedNotificationEvents", "DropConnection"];

    /// <summary>Raised for DropConnection so open streams can be cut at once.</summary>
    internal event Action<EwsFault>? Dropped;

    public void Add(EwsFault fault)
    {
        switch (fault.Kind)
        {
            case "ErrorMissedNotificationEvents": _streamFaults.Enqueue(fault); break;
            case "DropConnection": Dropped?.Invoke(fault); break;
            default:
                for (var i = 0; i < Math.Max(1, fault.Count); i++) _requestFaults.Enqueue(fault);
                break;
        }
    }

    public void Clear()
    {
        _requestFaults.Clear();
        _streamFaults.Clear();
    }

    internal EwsFault? TakeRequestFault() => _requestFaults.TryDequeue(out var fault) ? fault : null;

    /// <summary>A pending missed-notification fault that applies to one of <paramref name="mailboxes"/>, consumed.</summary>
    internal EwsFault? TakeStreamFault(IEnumerable<string> mailboxes)
    {
        if (!_streamFaults.TryPeek(out var fault)) return null;
        if (fault.Mailbox is not null && !mailboxes.Contains(fault.Mailbox, StringComparer.OrdinalIgnoreCase)) return null;
        return _streamFaults.TryDequeue(out fault) ? fault : null;
    }
}
