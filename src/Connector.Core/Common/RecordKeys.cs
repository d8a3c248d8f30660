namespace Connector.Core.Common;

/// <summary>The kinds of record the connector keeps in step.</summary>
public enum RecordKind { Event, Task, Contact }

/// <summary>A CRM record: its numeric CRM id and what kind of record it is (adapters map the kind to a CRM module).</summary>
public sealed record CrmKey(RecordKind Kind, long CrmId)
{
    public override string ToString() => $"{Kind}:{CrmId}";
}

/// <summary>
/// An Exchange item as far as identity goes. <paramref name="ChangeKey"/> is the item's version (EWS ChangeKey,
/// Graph changeKey); <paramref name="ICalUId"/> is shared by every mailbox's copy of the same meeting.
/// </summary>
public sealed record ExchangeKey(string ItemId, string? ChangeKey = null, string? ICalUId = null)
{
    public override string ToString() => ItemId;
}
