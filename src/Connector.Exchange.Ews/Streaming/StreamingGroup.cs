using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Streaming;

/// <summary>One mailbox (or folder set) watched by a streaming group; <see cref="Key"/> is the caller's name for it.</summary>
public sealed record StreamTarget(string Key, string Mailbox, IReadOnlyList<FolderRef> Folders);

/// <summary>What a streaming group tells its owner.</summary>
public interface IStreamListener
{
    /// <summary>Events arrived for a target (hints: sync the folder to see what changed).</summary>
    Task OnEventsAsync(StreamTarget target, IReadOnlyList<StreamEvent> events, CancellationToken ct);

    /// <summary>Events may have been lost (dropped connection, missed notifications, lost subscription):
    /// run SyncFolderItems from the stored SyncState for this target.</summary>
    Task OnCatchUpAsync(StreamTarget target, string reason, CancellationToken ct);
}

public sealed record StreamingOptions
{
    /// <summary>The server's keep-alive interval; silence for twice this long means the connection is dead.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(45);
    /// <summary>GetStreamingEvents' ConnectionTimeout (1-30 minutes); the server closes then, and we reopen.</summary>
    public int ConnectionTimeoutMinutes { get; init; } = 30;
    /// <summary>Subscribe each target as its own mailbox through ExchangeImpersonation (the client signs in as a
    /// service account with the impersonation right). Without it, the targets' folders are reached by delegate access.</summary>
    public bool Impersonate { get; init; }
    /// <summary>Pause before reopening after a failure.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Keeps up to 200 mailboxes on one hanging GetStreamingEvents connection, with affinity to the anchor mailbox
/// (the alphabetically first). Reopens on Closed, reconnects after silence or a drop, and resubscribes after
/// subscription errors - each time telling the listener to catch up, so a gap never loses a change.
/// </summary>
public sealed class StreamingGroup
{
    private readonly StreamingService _service;
    private readonly IReadOnlyList<StreamTarget> _targets;
    private readonly IStreamListener _listener;
    private readonly StreamingOptions _options;
    private readonly Dictionary<string, StreamTarget> _bySubscription = new();
    private readonly Dictionary<StreamTarget, string> _subscriptions = new();
    // Targets owed a catch-up, with the reason; run once their subscription is live again, kept until it succeeds.
    private readonly Dictionary<StreamTarget, string> _catchUps = new();
    private string? _cookie;

    internal StreamingGroup(StreamingService service, IReadOnlyList<StreamTarget> targets, IStreamListener listener, StreamingOptions options)
    {
        if (targets.Count is 0 or > StreamingService.MaxSubscriptionsPerConnection)
            throw new ArgumentOutOfRangeException(nameof(targets), $"A group holds 1 to {StreamingService.MaxSubscriptionsPerConnection} mailboxes.");
        _service = service;
        _targets = targets;
        _listener = listener;
        _options = options;
        Anchor = targets.Select(t => t.Mailbox).Order(StringComparer.OrdinalIgnoreCase).First();
    }

    public string Anchor { get; }

    /// <summary>Raised each time a stream connection is (re)opened (response headers received); status pages and tests
    /// count reconnects with it.</summary>
    public event Action<int>? Connected;

    /// <summary>
    /// Runs until cancelled. Only a refused sign-in (<see cref="EwsAuthenticationException"/>) or a TLS failure ends
    /// it: the owner must fix the credentials or trust; every other failure is retried with growing pauses.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var connections = 0;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await EnsureSubscribedAsync(ct);
                await RunCatchUpsAsync(ct);
                var affinity = new EwsAffinity(Anchor, _cookie);
                await foreach (var frame in _service.ReadEventsAsync(_subscriptions.Values.ToList(), _options.ConnectionTimeoutMinutes,
                                   affinity, _options.Heartbeat * 2, () => { failures = 0; Connected?.Invoke(++connections); }, ct))
                {
                    await HandleAsync(frame, ct);
                    if (frame.Closed || frame.IsError) break; // reopen (after resubscribing what the error named)
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (EwsServerBusyException busy)
            {
                await Task.Delay(busy.BackOff, ct);
            }
            catch (EwsException e) when (EwsResponseCodes.MeansResubscribe(e.ResponseCode))
            {
                Forget(_targets, e.ResponseCode);
            }
            catch (Exception e) when (e is StreamSilentException or IOException or HttpRequestException
                                          || e is EwsException && e is not EwsServerBusyException)
            {
                // The connection died under us (or the server failed): whatever was pushed meanwhile may be gone.
                // Pause (longer after each failure in a row, at most 5 minutes), reopen, then catch up.
                var pause = TimeSpan.FromTicks(Math.Min(_options.ReconnectDelay.Ticks << Math.Min(failures++, 16), TimeSpan.FromMinutes(5).Ticks));
                foreach (var target in _targets) _catchUps.TryAdd(target, e is EwsException ews ? ews.ResponseCode : e.GetType().Name);
                await Task.Delay(pause, ct);
            }
        }
    }

    private async Task HandleAsync(StreamFrame frame, CancellationToken ct)
    {
        foreach (var group in frame.Events.GroupBy(e => e.SubscriptionId))
            if (_bySubscription.TryGetValue(group.Key, out var target))
                await _listener.OnEventsAsync(target, group.ToList(), ct);
        if (!frame.IsError) return;
        if (EwsResponseCodes.IsThrottling(frame.ResponseCode))
            throw new EwsServerBusyException(frame.ResponseCode, "GetStreamingEvents was throttled.", TimeSpan.FromSeconds(2));
        if (!EwsResponseCodes.MeansResubscribe(frame.ResponseCode))
            throw new EwsException(frame.ResponseCode, "GetStreamingEvents failed.");
        // Only the listed subscriptions are affected; with no list, all of them are.
        var affected = frame.ErrorSubscriptionIds.Count == 0
            ? _targets
            : frame.ErrorSubscriptionIds.Select(id => _bySubscription.GetValueOrDefault(id)).OfType<StreamTarget>().ToList();
        Forget(affected, frame.ResponseCode);
    }

    /// <summary>Drops the targets' subscriptions; the next round subscribes them afresh and then catches them up
    /// (SyncFolderItems from the stored state covers the gap before the new subscription).</summary>
    private void Forget(IEnumerable<StreamTarget> affected, string reason)
    {
        foreach (var target in affected.ToList())
        {
            if (_subscriptions.Remove(target, out var old)) _bySubscription.Remove(old);
            _catchUps.TryAdd(target, reason);
        }
    }

    private async Task RunCatchUpsAsync(CancellationToken ct)
    {
        foreach (var (target, reason) in _catchUps.ToList())
        {
            await _listener.OnCatchUpAsync(target, reason, ct);
            _catchUps.Remove(target);
        }
    }

    private async Task EnsureSubscribedAsync(CancellationToken ct)
    {
        // The anchor first: its Subscribe answer carries the back-end cookie the others then send.
        foreach (var target in _targets.OrderBy(t => !string.Equals(t.Mailbox, Anchor, StringComparison.OrdinalIgnoreCase)))
        {
            if (_subscriptions.ContainsKey(target)) continue;
            var subscription = await _service.SubscribeAsync(target.Folders, new EwsAffinity(Anchor, _cookie), ct,
                _options.Impersonate ? target.Mailbox : null);
            _cookie ??= subscription.BackEndCookie;
            _subscriptions[target] = subscription.SubscriptionId;
            _bySubscription[subscription.SubscriptionId] = target;
        }
    }
}
