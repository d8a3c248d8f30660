using System.Xml.Linq;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Services;

/// <summary>CreateItem, GetItem (batched), UpdateItem and DeleteItem for any <see cref="ItemKind{T}"/>.</summary>
internal sealed class ItemService(EwsTransport transport, int getItemBatchSize)
{
    public async Task<IReadOnlyList<EwsItemId>> CreateAsync<T>(ItemKind<T> kind, FolderRef? folder, IReadOnlyList<T> items,
        SendInvitations? invitations, CancellationToken ct)
    {
        var request = new XElement(Ns.M + "CreateItem",
            invitations is null ? null : new XAttribute("SendMeetingInvitations", invitations.ToString()!),
            folder is null ? null : new XElement(Ns.M + "SavedItemFolderId", folder.ToXml()),
            new XElement(Ns.M + "Items", items.Select(i => ItemField.ToItem(kind.Element, kind.Fields(i)))));
        var response = await transport.SendAsync(request, ct: ct);
        return ResponseMessages.All(response).Select(m => EwsItemId.From(
            ResponseMessages.EnsureSuccess(m).Element(Ns.M + "Items")!.Elements().First().Element(Ns.T + "ItemId")!)).ToList();
    }

    /// <summary>Reads items in batches; an id that no longer exists comes back as null in its place.</summary>
    public async Task<IReadOnlyList<T?>> GetAsync<T>(ItemKind<T> kind, IReadOnlyList<ItemRef> ids, CancellationToken ct) where T : class
    {
        var result = new List<T?>(ids.Count);
        foreach (var batch in ids.Chunk(getItemBatchSize))
        {
            // The properties asked for depend on the version (IsOrganizer exists from 2013 SP1), so build per attempt.
            XElement Request(ExchangeVersion version) => new(Ns.M + "GetItem",
                new XElement(Ns.M + "ItemShape",
                    new XElement(Ns.T + "BaseShape", "AllProperties"),
                    new XElement(Ns.T + "BodyType", "Text"),
                    new XElement(Ns.T + "AdditionalProperties", kind.ExtraProperties(version), CrmIdProperty.FieldUri())),
                new XElement(Ns.M + "ItemIds", batch.Select(id => id.ToXml())));
            var response = await transport.SendAsync(Request, ct: ct);
            foreach (var message in ResponseMessages.All(response))
            {
                if (ResponseMessages.Code(message) == EwsResponseCodes.ErrorItemNotFound) { result.Add(null); continue; }
                var item = ResponseMessages.EnsureSuccess(message).Element(Ns.M + "Items")!.Elements().First();
                result.Add(kind.Parse(item));
            }
        }
        return result;
    }

    /// <summary>
    /// Writes every field of <paramref name="item"/> onto <paramref name="target"/> (SetItemField, or DeleteItemField
    /// for cleared ones), guarded by the ChangeKey in the target. Returns the new id and ChangeKey.
    /// </summary>
    public async Task<EwsItemId> UpdateAsync<T>(ItemKind<T> kind, ItemRef target, T item, ConflictResolution conflicts,
        SendUpdates? updates, CancellationToken ct)
    {
        var changes = kind.Fields(item).Select(f => f.Value is null
            ? new XElement(Ns.T + "DeleteItemField", new XElement(f.Path))
            : new XElement(Ns.T + "SetItemField", new XElement(f.Path), new XElement(Ns.T + kind.Element, new XElement(f.Value))));
        var request = new XElement(Ns.M + "UpdateItem",
            new XAttribute("ConflictResolution", conflicts.ToString()),
            updates is null ? null : new XAttribute("SendMeetingInvitationsOrCancellations", updates.ToString()!),
            new XElement(Ns.M + "ItemChanges",
                new XElement(Ns.T + "ItemChange", target.ToXml(), new XElement(Ns.T + "Updates", changes))));
        var response = await transport.SendAsync(request, ct: ct);
        var message = ResponseMessages.EnsureSuccess(ResponseMessages.All(response).Single());
        return EwsItemId.From(message.Element(Ns.M + "Items")!.Elements().First().Element(Ns.T + "ItemId")!);
    }

    /// <summary>Deletes items; one already gone counts as deleted (deletes are idempotent).</summary>
    public async Task DeleteAsync(IReadOnlyList<ItemRef> ids, DeleteMode mode, SendCancellations? cancellations,
        AffectedTaskOccurrences? taskOccurrences, CancellationToken ct)
    {
        var request = new XElement(Ns.M + "DeleteItem",
            new XAttribute("DeleteType", mode.ToString()),
            cancellations is null ? null : new XAttribute("SendMeetingCancellations", cancellations.ToString()!),
            taskOccurrences is null ? null : new XAttribute("AffectedTaskOccurrences", taskOccurrences.ToString()!),
            new XElement(Ns.M + "ItemIds", ids.Select(id => id.ToXml())));
        var response = await transport.SendAsync(request, ct: ct);
        foreach (var message in ResponseMessages.All(response))
            if (ResponseMessages.Code(message) is not (EwsResponseCodes.ErrorItemNotFound or EwsResponseCodes.ErrorCalendarOccurrenceIsDeletedFromRecurrence))
                ResponseMessages.EnsureSuccess(message);
    }
}
