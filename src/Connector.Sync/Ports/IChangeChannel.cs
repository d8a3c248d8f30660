namespace Connector.Sync.Ports;

/// <summary>
/// Opens the "something changed" signal of one mailbox: EWS streaming subscriptions, Graph change notifications,
/// or plain delta polling. One implementation per protocol; the engine runs one channel per enabled user.
/// </summary>
public interface IChangeChannelFactory
{
    IChangeChannel Create(MailboxAccount account);
}

/// <summary>
/// A live signal that a folder of one mailbox has changes. It carries no content: on a signal the engine reads the
/// folder's changes since its stored cursor, so a lost or duplicated signal costs a read, never a change. The
/// channel reconnects by itself; after any gap it signals every folder (a catch-up read is always safe).
/// </summary>
public interface IChangeChannel : IAsyncDisposable
{
    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled, calling <paramref name="onChanges"/> for each folder that may
    /// have changed. Throws only when the mailbox cannot be watched at all (e.g. needs sign-in).
    /// </summary>
    Task RunAsync(Func<SyncFolder, CancellationToken, Task> onChanges, CancellationToken ct);
}

/// <summary>
/// A channel for protocols or setups without push (Graph without a public notification URL): signals every folder
/// each <paramref name="interval"/>; the delta read that follows is cheap when nothing changed.
/// </summary>
public sealed class PollingChangeChannel(TimeSpan interval, TimeProvider? clock = null) : IChangeChannel
{
    public async Task RunAsync(Func<SyncFolder, CancellationToken, Task> onChanges, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, clock ?? TimeProvider.System);
        while (await timer.WaitForNextTickAsync(ct))
            foreach (var folder in Enum.GetValues<SyncFolder>())
                await onChanges(folder, ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
