using System.Xml.Linq;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Services;

public enum SyncChangeKind { Create, Update, Delete, ReadFlagChange }

/// <summary>One change from SyncFolderItems: ids only; the properties come from a GetItem batch.</summary>
public sealed record SyncChange(SyncChangeKind Kind, EwsItemId ItemId);

/// <summary>One SyncFolderItems page. Persist <see cref="SyncState"/> only after the page's changes are stored.</summary>
public sealed record SyncPage(IReadOnlyList<SyncChange> Changes, string SyncState, bool IncludesLastItemInRange);

/// <summary>The stored SyncState is no longer accepted (ErrorInvalidSyncStateData): start over with a full sync.</summary>
public sealed class InvalidSyncStateException(string message) : EwsException(EwsResponseCodes.ErrorInvalidSyncStateData, message);

internal sealed class SyncService(EwsTransport transport)
{
    /// <summary>The protocol's ceiling for one SyncFolderItems call.</summary>
    public const int MaxChangesPerCall = 512;

    public async Task<SyncPage> SyncFolderItemsAsync(FolderRef folder, string? syncState, int maxChanges, CancellationToken ct)
    {
        var request = new XElement(Ns.M + "SyncFolderItems",
            new XElement(Ns.M + "ItemShape", new XElement(Ns.T + "BaseShape", "IdOnly")),
            new XElement(Ns.M + "SyncFolderId", folder.ToXml()),
            string.IsNullOrEmpty(syncState) ? null : new XElement(Ns.M + "SyncState", syncState),
            new XElement(Ns.M + "MaxChangesReturned", Math.Clamp(maxChanges, 1, MaxChangesPerCall)),
            new XElement(Ns.M + "SyncScope", "NormalItems"));
        var response = await transport.SendAsync(request, ct: ct);
        var message = ResponseMessages.All(response).Single();
        if (ResponseMessages.Code(message) == EwsResponseCodes.ErrorInvalidSyncStateData)
            throw new InvalidSyncStateException((string?)message.Element(Ns.M + "MessageText") ?? "The sync state is no longer valid.");
        ResponseMessages.EnsureSuccess(message);
        return ParsePage(message);
    }

    internal static SyncPage ParsePage(XElement message)
    {
        var changes = message.Element(Ns.M + "Changes")?.Elements().Select(ParseChange).OfType<SyncChange>().ToList() ?? [];
        return new SyncPage(changes, (string?)message.Element(Ns.M + "SyncState") ?? "",
            (bool?)message.Element(Ns.M + "IncludesLastItemInRange") ?? true);
    }

    internal static SyncChange? ParseChange(XElement change)
    {
        SyncChangeKind? kind = change.Name.LocalName switch
        {
            "Create" => SyncChangeKind.Create,
            "Update" => SyncChangeKind.Update,
            "Delete" => SyncChangeKind.Delete,
            "ReadFlagChange" => SyncChangeKind.ReadFlagChange,
            _ => null,
        };
        var itemId = change.Descendants(Ns.T + "ItemId").FirstOrDefault();
        return kind is null || itemId is null ? null : new SyncChange(kind.Value, EwsItemId.From(itemId));
    }
}
