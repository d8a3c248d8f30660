using Connector.Core.Common;

namespace Connector.Sync.Ports;

/// <summary>
/// Optional on an <see cref="IExchangeMailbox"/>: reads several items in one request (Graph <c>$batch</c> of 20, EWS
/// <c>GetItem</c> with many ids). Answers only the ids the server answered: found items, and null for an id the server
/// says is gone; an id missing from the answer was not read (the caller reads it alone).
/// </summary>
public interface IExchangeBatchReader
{
    int MaxBatch { get; }

    Task<IReadOnlyDictionary<string, ExchangeItem?>> ReadManyAsync(RecordKind kind, IReadOnlyList<string> itemIds, CancellationToken ct);
}
