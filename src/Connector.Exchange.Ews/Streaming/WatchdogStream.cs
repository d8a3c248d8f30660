namespace Connector.Exchange.Ews.Streaming;

/// <summary>Raised when a stream stays silent longer than allowed (twice the heartbeat): the connection is presumed dead.</summary>
public sealed class StreamSilentException(TimeSpan silence) : TimeoutException($"No data from the EWS stream for {silence.TotalSeconds:0.#} s.");

/// <summary>A read-only wrapper that fails any read that waits longer than <paramref name="maxSilence"/>.</summary>
internal sealed class WatchdogStream(Stream inner, TimeSpan maxSilence) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(maxSilence);
        try
        {
            return await inner.ReadAsync(buffer, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new StreamSilentException(maxSilence);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
