namespace Connector.Exchange.Graph.Client;

/// <summary>
/// One complete delta round: changed items, ids of removed items, and the whole <c>@odata.deltaLink</c> to store
/// for the next round. <see cref="WasFullResync"/> says the stored link had expired (410) and this round started
/// over: the caller must treat <see cref="Items"/> as the full set, not as changes — and must still never delete
/// anything merely because it is absent.
/// </summary>
public sealed record DeltaResult<T>(IReadOnlyList<T> Items, IReadOnlyList<string> RemovedIds, string DeltaLink, bool WasFullResync, int Pages);
