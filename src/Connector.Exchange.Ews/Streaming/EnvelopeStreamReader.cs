using System.Runtime.CompilerServices;
using System.Xml;
using System.Xml.Linq;

namespace Connector.Exchange.Ews.Streaming;

/// <summary>
/// Reads a GetStreamingEvents response: one chunked HTTP body carrying a sequence of complete SOAP envelopes,
/// each pushed when it happens. Hands each envelope over the moment its end tag arrives - without waiting for (or
/// buffering) the rest of the response.
/// </summary>
/// <remarks>
/// One of these runs per open stream, for as long as the stream is open, so it is kept small: bytes are read
/// asynchronously into a 4 KB buffer and collected until an envelope's end tag (<c>&lt;/prefix:Envelope&gt;</c>) has
/// arrived; only then is that envelope parsed, synchronously, from memory. An asynchronous <see cref="XmlReader"/> over
/// the network stream would do the same with ~110 KB of buffers per stream (the benchmark's memory per EWS user).
/// </remarks>
public static class EnvelopeStreamReader
{
    private const int ReadSize = 4096;
    private static readonly byte[] EndName = "Envelope>"u8.ToArray();

    private static readonly XmlReaderSettings Settings = new()
    {
        ConformanceLevel = ConformanceLevel.Document, // each envelope is a document (the first may carry an XML declaration)
        DtdProcessing = DtdProcessing.Prohibit,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        XmlResolver = null,
    };

    public static async IAsyncEnumerable<XElement> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = new byte[ReadSize];
        var pending = new MemoryStream();
        var searchFrom = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                if (HasContent(pending)) throw new XmlException("The stream ended inside an envelope.");
                yield break;
            }
            pending.Write(buffer, 0, read);
            while (EndOfEnvelope(pending, searchFrom) is { } end)
            {
                var envelope = Parse(pending.GetBuffer().AsSpan(0, end));
                pending = Remainder(pending, end);
                searchFrom = 0;
                yield return envelope;
            }
            searchFrom = Math.Max(0, (int)pending.Length - EndName.Length - 1);
        }
    }

    /// <summary>The offset just after the first <c>&lt;/…Envelope&gt;</c> end tag at or after <paramref name="from"/>, if one has arrived.</summary>
    private static int? EndOfEnvelope(MemoryStream pending, int from)
    {
        var bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);
        while (from < bytes.Length)
        {
            var at = bytes[from..].IndexOf(EndName);
            if (at < 0) return null;
            var name = from + at;
            var end = name + EndName.Length;
            // Walk back over a namespace prefix ("s:", "soap11:") to the "</" that must open an end tag.
            var i = name - 1;
            if (i >= 0 && bytes[i] == (byte)':')
                for (i--; i >= 0 && IsNameByte(bytes[i]); i--) { }
            if (i >= 1 && bytes[i] == (byte)'/' && bytes[i - 1] == (byte)'<') return end;
            from = end;
        }
        return null;
    }

    private static bool IsNameByte(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
        or (byte)'_' or (byte)'-' or (byte)'.';

    private static XElement Parse(ReadOnlySpan<byte> envelope)
    {
        var start = envelope.IndexOfAnyExcept(" \t\r\n"u8); // whitespace between envelopes
        using var reader = XmlReader.Create(new MemoryStream(envelope[Math.Max(0, start)..].ToArray(), writable: false), Settings);
        return XElement.Load(reader);
    }

    /// <summary>What follows the envelope just read (usually nothing: envelopes arrive one per push).</summary>
    private static MemoryStream Remainder(MemoryStream pending, int consumed)
    {
        var rest = (int)pending.Length - consumed;
        if (pending.Capacity > 4 * ReadSize)
        {
            // A large envelope's buffer is not kept for the life of the stream.
            var next = new MemoryStream();
            next.Write(pending.GetBuffer(), consumed, rest);
            return next;
        }
        Buffer.BlockCopy(pending.GetBuffer(), consumed, pending.GetBuffer(), 0, rest);
        pending.SetLength(rest);
        pending.Position = rest;
        return pending;
    }

    private static bool HasContent(MemoryStream pending) =>
        pending.GetBuffer().AsSpan(0, (int)pending.Length).IndexOfAnyExcept(" \t\r\n"u8) >= 0;
}
