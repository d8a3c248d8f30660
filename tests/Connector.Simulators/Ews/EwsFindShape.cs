using System.Xml.Linq;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>
/// The ItemShape of the operations that list a folder (FindItem, SyncFolderItems), applied to an item as GetItem writes
/// it. IdOnly answers the ItemId; AdditionalProperties add the properties named (an extended property only when asked
/// for, as Exchange does); Default and AllProperties answer the item. Like Exchange, these operations return nothing
/// FindItem cannot: the body, attachments, a series' recurrence and occurrence lists, attendee lists. Asked for by
/// name, FindItem refuses such a property (ErrorInvalidPropertyForOperation; clients such as exchangelib read those
/// with a GetItem after FindItem) and SyncFolderItems leaves it out (exchangelib's sync_items asks for every field).
/// </summary>
internal sealed class EwsFindShape
{
    private static readonly HashSet<string> NotFindable = new(StringComparer.Ordinal)
    {
        "item:Body", "item:Attachments", "item:MimeContent", "item:UniqueBody", "item:NormalizedBody", "item:TextBody",
        "calendar:Recurrence", "calendar:ModifiedOccurrences", "calendar:DeletedOccurrences", "calendar:FirstOccurrence",
        "calendar:LastOccurrence", "calendar:RequiredAttendees", "calendar:OptionalAttendees", "calendar:Resources",
        "calendar:ConflictingMeetings", "calendar:AdjacentMeetings", "task:Recurrence",
    };

    // The elements those properties are written as (FieldURI "prefix:Name" is element "Name" for all of them).
    private static readonly HashSet<string> NotFindableElements = NotFindable.Select(f => f.Split(':')[1]).ToHashSet(StringComparer.Ordinal);

    private readonly bool _idOnly;
    private readonly IReadOnlyList<XElement> _additional;

    private EwsFindShape(bool idOnly, IReadOnlyList<XElement> additional) => (_idOnly, _additional) = (idOnly, additional);

    /// <summary>
    /// Reads a request's <c>ItemShape</c>. A property FindItem cannot return is refused for the whole request when
    /// <paramref name="refuseNotFindable"/> (FindItem), else dropped from the shape (SyncFolderItems).
    /// </summary>
    public static EwsFindShape Parse(XElement? itemShape, string operation, bool refuseNotFindable)
    {
        var additional = new List<XElement>();
        foreach (var path in itemShape?.Element(T + "AdditionalProperties")?.Elements() ?? [])
        {
            var uri = (string?)path.Attribute("FieldURI") ?? "";
            if (path.Name.LocalName is "FieldURI" or "IndexedFieldURI" && NotFindable.Contains(uri))
            {
                if (refuseNotFindable)
                    throw new EwsSimError("ErrorInvalidPropertyForOperation", $"The property {uri} can't be used in {operation} requests.");
                continue;
            }
            additional.Add(path);
        }
        return new EwsFindShape((string?)itemShape?.Element(T + "BaseShape") is null or "IdOnly", additional);
    }

    /// <summary>The item as this operation answers it, from <paramref name="full"/> (GetItem's writing of it, schema order kept).</summary>
    public XElement Apply(XElement full)
    {
        var shaped = new XElement(full.Name, full.Element(T + "ItemId"));
        foreach (var property in full.Elements().Where(e => e.Name != T + "ItemId"))
        {
            if (_additional.Any(path => Names(path, property)) || !_idOnly && IsInBaseShape(property))
                shaped.Add(Filtered(property));
        }
        return shaped;
    }

    private static bool IsInBaseShape(XElement property) =>
        property.Name.LocalName != "ExtendedProperty" && !NotFindableElements.Contains(property.Name.LocalName);

    /// <summary>Whether <paramref name="path"/> (FieldURI, IndexedFieldURI, ExtendedFieldURI) names this element of the item.</summary>
    private static bool Names(XElement path, XElement property)
    {
        if (path.Name == T + "ExtendedFieldURI")
            return property.Name == T + "ExtendedProperty" && property.Element(T + "ExtendedFieldURI") is { } uri && SameProperty(path, uri);
        var field = ((string?)path.Attribute("FieldURI") ?? "").Split(':').Last();
        if (property.Name.LocalName != field) return false;
        // An indexed field (an e-mail address, a phone number) answers only its own entry.
        var index = (string?)path.Attribute("FieldIndex");
        return index is null || property.Elements(T + "Entry").Any(e => (string?)e.Attribute("Key") == index);
    }

    private XElement Filtered(XElement property)
    {
        var indexes = _additional.Where(p => p.Name == T + "IndexedFieldURI" && Names(p, property)).Select(p => (string?)p.Attribute("FieldIndex")).ToHashSet();
        if (indexes.Count == 0 || !_idOnly) return new XElement(property);
        return new XElement(property.Name, property.Elements(T + "Entry").Where(e => indexes.Contains((string?)e.Attribute("Key"))).Select(e => new XElement(e)));
    }

    private static bool SameProperty(XElement asked, XElement stored)
    {
        try { return EwsItemMapper.PropertyKey(asked) == EwsItemMapper.PropertyKey(stored); }
        catch (EwsSimError) { return false; } // a property by tag or distinguished set: the simulator stores none
        catch (FormatException) { return false; }
    }
}
