using System.Xml.Linq;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Services;

public enum SyncChangeKind { Create, Update, Delete, ReadFlagChange }

/// <summary>
/// One change from SyncFolderItems: the item's id (with its ChangeKey), and for a create or update read with a
/// <see cref="SummaryShape"/> its <see cref="ItemSummary"/> (null for IdOnly reads, deletes and read-flag changes).
/// </summary>
public sealed record SyncChange(SyncChangeKind Kind, EwsItemId ItemId, ItemSummary? Summary = null);

/// <summary>One SyncFolderItems page. Persist <see cref="SyncState"/> only after the page's changes are stored.</summary>
public sealed record SyncPage(IReadOnlyList<SyncChange> Changes, string SyncState, bool IncludesLastItemInRange);

/// <summary>The stored SyncState is no longer accepted (ErrorInvalidSyncStateData): start over with a full sync.</summary>
public sealed class InvalidSyncStateException(string message) : EwsException(EwsResponseCodes.ErrorInvalidSyncStateData, message);

internal sealed class SyncService(EwsTransport transport)
{
    /// <summary>The protocol's ceiling for one SyncFolderItems call.</summary>
    public const int MaxChangesPerCall = 512;

    /// <param name="summary">null: ids only; else the properties each created or updated item comes with.</param>
    public async Task<SyncPage> SyncFolderItemsAsync(FolderRef folder, string? syncState, int maxChanges, SummaryShape? summary, CancellationToken ct)
    {
        var request = new XElement(Ns.M + "SyncFolderItems",
            summary?.ToItemShape() ?? new XElement(Ns.M + "ItemShape", new XElement(Ns.T + "BaseShape", "IdOnly")),
            new XElement(Ns.M + "SyncFolderId", folder.ToXml()),
            string.IsNullOrEmpty(syncState) ? null : new XElement(Ns.M + "SyncState", syncState),
            new XElement(Ns.M + "MaxChangesReturned", Math.Clamp(maxChanges, 1, MaxChangesPerCall)),
            new XElement(Ns.M + "SyncScope", "NormalItems"));
        var response = await transport.SendAsync(request, ct: ct);
        var message = ResponseMessages.All(response).Single();
        if (ResponseMessages.Code(message) == EwsResponseCodes.ErrorInvalidSyncStateData)
            throw new InvalidSyncStateException((string?)message.Element(Ns.M + "MessageText") ?? "The sync state is no longer valid.");
        ResponseMessages.EnsureSuccess(message);
        return ParsePage(message, withSummaries: summary is not null);
    }

    internal static SyncPage ParsePage(XElement message, bool withSummaries = false)
    {
        var changes = message.Element(Ns.M + "Changes")?.Elements().Select(c => ParseChange(c, withSummaries)).OfType<SyncChange>().ToList() ?? [];
        return new SyncPage(changes, (string?)message.Element(Ns.M + "SyncState") ?? "",
            (bool?)message.Element(Ns.M + "IncludesLastItemInRange") ?? true);
    }

    internal static SyncChange? ParseChange(XElement change, bool withSummary = false)
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
        if (kind is null || itemId is null) return null;
        // Create and Update hold the item element (CalendarItem, Task, …) with the properties asked for.
        var summary = withSummary && kind is (SyncChangeKind.Create or SyncChangeKind.Update) && itemId.Parent is { } item && item.Parent == change
            ? ItemSummary.Parse(item)
            : null;
        return new SyncChange(kind.Value, EwsItemId.From(itemId), summary);
    }
}
