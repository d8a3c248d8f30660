using System.Collections.Concurrent;
using Connector.Exchange.Ews;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Exchange.Ews.Streaming;

namespace Connector.Ews.Tests.Support;

/// <summary>
/// What the connector's change channel does with a stream, in miniature: events and catch-up requests both run
/// SyncFolderItems from the stored SyncState, and the result is a mirror of each mailbox's calendar (id → ChangeKey).
/// </summary>
internal sealed class MirrorListener(Func<StreamTarget, EwsClient> clientFor) : IStreamListener
{
    private readonly ConcurrentDictionary<string, string?> _states = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string?>> _mirrors = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ConcurrentQueue<(StreamEvent Event, DateTimeOffset At)> Events { get; } = new();
    public ConcurrentQueue<(string Key, string Reason)> CatchUps { get; } = new();

    public IReadOnlyDictionary<string, string?> Mirror(string key) => _mirrors.GetOrAdd(key, _ => new());

    public async Task OnEventsAsync(StreamTarget target, IReadOnlyList<StreamEvent> events, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var e in events) Events.Enqueue((e, now));
        await SyncAsync(target, ct);
    }

    public async Task OnCatchUpAsync(StreamTarget target, string reason, CancellationToken ct)
    {
        CatchUps.Enqueue((target.Key, reason));
        await SyncAsync(target, ct);
    }

    /// <summary>The initial full sync a channel does before it starts listening.</summary>
    public Task SyncAsync(StreamTarget target, CancellationToken ct = default) => Locked(async () =>
    {
        var mirror = _mirrors.GetOrAdd(target.Key, _ => new());
        var state = await clientFor(target).SyncFolderAsync(target.Folders[0], _states.GetValueOrDefault(target.Key), (page, full, _) =>
        {
            if (full) mirror.Clear();
            foreach (var change in page.Changes)
                if (change.Kind == SyncChangeKind.Delete) mirror.TryRemove(change.ItemId.Id, out string? _);
                else mirror[change.ItemId.Id] = change.ItemId.ChangeKey;
            return Task.CompletedTask;
        }, ct);
        _states[target.Key] = state;
    });

    private async Task Locked(Func<Task> action)
    {
        await _gate.WaitAsync();
        try { await action(); } finally { _gate.Release(); }
    }
}

internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"Not within {timeout.TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }
}
