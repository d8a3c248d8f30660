using System.Diagnostics;

namespace Connector.Storage.Database;

/// <summary>
/// One value read from the database, reused in this instance for <paramref name="lifetime"/>: rows every job reads
/// (settings, the synced mailboxes) cost a round trip per second instead of several per job. A local write calls
/// <see cref="Invalidate"/> before and after it: a read that began before an invalidation does not keep its answer.
/// Another instance's write is seen within the lifetime.
/// </summary>
public sealed class ShortLivedCache<T>(TimeSpan lifetime)
{
    private sealed record Entry(T Value, long At);

    private Entry? _entry;
    private int _version;

    /// <summary>The value, from <paramref name="read"/> when none is held, it is older than the lifetime, or <paramref name="fresh"/>.</summary>
    public async Task<T> GetAsync(Func<Task<T>> read, bool fresh = false)
    {
        if (!fresh && Volatile.Read(ref _entry) is { } e && Stopwatch.GetElapsedTime(e.At) < lifetime) return e.Value;
        var started = Stopwatch.GetTimestamp();
        var version = Volatile.Read(ref _version);
        var value = await read();
        if (Volatile.Read(ref _version) == version) Volatile.Write(ref _entry, new Entry(value, started));
        return value;
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        Volatile.Write(ref _entry, null);
    }
}
