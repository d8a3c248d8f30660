using System.Globalization;
using System.Xml.Linq;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Services;

/// <summary>
/// A FindItem restriction "this property equals this value": the CRM-id stamp (<see cref="CrmIdProperty"/>) or a
/// meeting's CleanGlobalObjectId. Exchange refuses restrictions on <c>calendar:UID</c> itself, so a UID is searched
/// through the MAPI property it is computed from (the same bytes, hex in the UID, base64 in the restriction).
/// </summary>
public sealed class ItemFilter
{
    private ItemFilter(XElement path, string value) => (Path, Value) = (path, value);

    internal XElement Path { get; }
    internal string Value { get; }

    public static ItemFilter CrmId(string crmId) => new(CrmIdProperty.FieldUri(), crmId);

    /// <summary>Null when <paramref name="iCalUId"/> is not the hex form Exchange gives UIDs (then it cannot be searched).</summary>
    public static ItemFilter? ICalUId(string iCalUId)
    {
        if (iCalUId.Length == 0 || iCalUId.Length % 2 != 0 || !iCalUId.All(Uri.IsHexDigit)) return null;
        return new(CleanGlobalObjectId(), Convert.ToBase64String(Convert.FromHexString(iCalUId)));
    }

    // PidLidCleanGlobalObjectId: the meeting's GlobalObjectId without an instance date, identical in every copy.
    private static XElement CleanGlobalObjectId() => new(Ns.T + "ExtendedFieldURI",
        new XAttribute("DistinguishedPropertySetId", "Meeting"),
        new XAttribute("PropertyId", 0x23.ToString(CultureInfo.InvariantCulture)),
        new XAttribute("PropertyType", "Binary"));
}

/// <summary>FindItem (shallow, ids only) with one equality restriction, paged with IndexedPageItemView.</summary>
internal sealed class FindService(EwsTransport transport)
{
    /// <summary>Items per FindItem page; a stamp or UID normally matches one item, so one page is the rule.</summary>
    public const int PageSize = 100;

    public async Task<IReadOnlyList<EwsItemId>> FindIdsAsync(FolderRef folder, ItemFilter filter, int pageSize, CancellationToken ct)
    {
        var ids = new List<EwsItemId>();
        while (true)
        {
            // Schema order: ItemShape, IndexedPageItemView, Restriction, ParentFolderIds.
            var request = new XElement(Ns.M + "FindItem",
                new XAttribute("Traversal", "Shallow"),
                new XElement(Ns.M + "ItemShape", new XElement(Ns.T + "BaseShape", "IdOnly")),
                new XElement(Ns.M + "IndexedPageItemView",
                    new XAttribute("MaxEntriesReturned", Math.Max(1, pageSize).ToString(CultureInfo.InvariantCulture)),
                    new XAttribute("Offset", ids.Count.ToString(CultureInfo.InvariantCulture)),
                    new XAttribute("BasePoint", "Beginning")),
                new XElement(Ns.M + "Restriction",
                    new XElement(Ns.T + "IsEqualTo", new XElement(filter.Path),
                        new XElement(Ns.T + "FieldURIOrConstant", new XElement(Ns.T + "Constant", new XAttribute("Value", filter.Value))))),
                new XElement(Ns.M + "ParentFolderIds", folder.ToXml()));
            var response = await transport.SendAsync(request, ct: ct);
            var root = ResponseMessages.EnsureSuccess(ResponseMessages.All(response).Single()).Element(Ns.M + "RootFolder");
            var page = root?.Element(Ns.T + "Items")?.Elements().Select(i => i.Element(Ns.T + "ItemId")).OfType<XElement>()
                .Select(EwsItemId.From).ToList() ?? [];
            ids.AddRange(page);
            if (page.Count == 0 || ((bool?)root?.Attribute("IncludesLastItemInRange") ?? true)) return ids;
        }
    }
}
