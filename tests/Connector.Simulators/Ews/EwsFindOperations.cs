using System.Globalization;
using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>
/// FindItem, shallow, over the folder's items (a calendar answers single items and series masters, as Exchange does
/// without a CalendarView), paged with IndexedPageItemView. The one restriction modelled is IsEqualTo on a named
/// extended property (the CRM-id stamp) or on a meeting's (Clean)GlobalObjectId; any other restriction is refused
/// with an error rather than answered wrongly. calendar:UID is refused as Exchange refuses it. Items come in the
/// request's ItemShape (<see cref="EwsFindShape"/>, shared with SyncFolderItems).
/// </summary>
internal static class EwsFindOperations
{
    private static readonly Guid Meeting = new("6ED8DA90-450B-101B-98DA-00AA003F1305");

    public static XElement FindItem(EwsRequestContext ctx, XElement request)
    {
        if ((string?)request.Attribute("Traversal") != "Shallow")
            throw new EwsSimError("ErrorInvalidRequest", "The simulator supports FindItem with Traversal=\"Shallow\" only.");
        if (request.Elements().Any(e => e.Name.LocalName is "FractionalPageItemView" or "CalendarView" or "ContactsView" or "GroupBy"
                or "DistinguishedGroupBy" or "SortOrder" or "QueryString"))
            throw new EwsSimError("ErrorInvalidRequest", "The simulator supports FindItem with IndexedPageItemView and a Restriction only.");
        var match = Matcher(request.Element(M + "Restriction")
            ?? throw new EwsSimError("ErrorInvalidRestriction", "The simulator supports FindItem with a Restriction only."));
        var view = request.Element(M + "IndexedPageItemView");
        var offset = view is null ? 0 : int.Parse((string)view.Attribute("Offset")!, CultureInfo.InvariantCulture);
        var max = (string?)view?.Attribute("MaxEntriesReturned") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : int.MaxValue;
        if ((string?)view?.Attribute("BasePoint") is "End")
            throw new EwsSimError("ErrorInvalidRequest", "The simulator supports BasePoint=\"Beginning\" only.");

        var messages = request.Element(M + "ParentFolderIds")!.Elements().Select(id => EwsItemOperations.Run("FindItemResponseMessage", () =>
        {
            var shape = EwsFindShape.Parse(request.Element(M + "ItemShape"), "FindItem", refuseNotFindable: true);
            var (mailbox, folder) = ctx.ResolveFolder(id);
            var found = mailbox.Items<MailItem>(folder.Id).Where(match).ToList();
            var page = found.Skip(offset).Take(max).ToList();
            var includesLast = offset + page.Count >= found.Count;
            return
            [
                Mx("RootFolder",
                    new XAttribute("IndexedPagingOffset", offset + page.Count),
                    new XAttribute("TotalItemsInView", found.Count),
                    new XAttribute("IncludesLastItemInRange", includesLast),
                    Tx("Items", page.Select(i => shape.Apply(EwsItemMapper.Write(mailbox, i, ctx.Version))))),
            ];
        })).ToList();
        return Response("FindItem", messages);
    }

    private static Func<MailItem, bool> Matcher(XElement restriction)
    {
        var expression = restriction.Elements().Single();
        if (expression.Name != T + "IsEqualTo")
            throw new EwsSimError("ErrorUnsupportedQueryFilter", $"The simulator supports only IsEqualTo restrictions, not {expression.Name.LocalName}.");
        var path = expression.Elements().First();
        var value = (string?)expression.Element(T + "FieldURIOrConstant")?.Element(T + "Constant")?.Attribute("Value")
                    ?? throw new EwsSimError("ErrorUnsupportedQueryFilter", "The simulator supports IsEqualTo against a Constant only.");
        if (path.Name == T + "ExtendedFieldURI" && (string?)path.Attribute("PropertyName") is not null)
        {
            var key = EwsItemMapper.PropertyKey(path);
            return item => item.ExtendedProperties.TryGetValue(key, out var v) && v == value;
        }
        if (path.Name == T + "ExtendedFieldURI" && IsGlobalObjectId(path))
        {
            var bytes = Convert.FromBase64String(value);
            return item => item is CalendarItem c && UidBytes(c.ICalUId) is { } uid && uid.AsSpan().SequenceEqual(bytes);
        }
        if (path.Name == T + "FieldURI" && (string?)path.Attribute("FieldURI") == "calendar:UID")
            throw new EwsSimError("ErrorUnsupportedPathForQuery", "calendar:UID cannot be used in a restriction; search the CleanGlobalObjectId extended property instead.");
        throw new EwsSimError("ErrorUnsupportedPathForQuery", $"The simulator cannot restrict on {path}.");
    }

    // PidLidGlobalObjectId (3) or PidLidCleanGlobalObjectId (0x23) in the Meeting set, by name or GUID; the simulator
    // has no instance dates in it, so both are the UID's bytes.
    private static bool IsGlobalObjectId(XElement path)
    {
        var set = (string?)path.Attribute("DistinguishedPropertySetId") == "Meeting"
                  || (Guid.TryParse((string?)path.Attribute("PropertySetId"), out var guid) && guid == Meeting);
        return set && (string?)path.Attribute("PropertyType") == "Binary" && (string?)path.Attribute("PropertyId") is "3" or "35" or "0x23" or "0x3";
    }

    private static byte[]? UidBytes(string uid)
    {
        try { return Convert.FromHexString(uid); }
        catch (FormatException) { return null; }
    }
}
