using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>
/// One property of an item as the wire needs it twice: the path (<c>FieldURI</c>, <c>IndexedFieldURI</c> or
/// <c>ExtendedFieldURI</c>) for UpdateItem, and the element in the item (null = clear it with DeleteItemField).
/// Item writers list their fields in schema order, so a CreateItem built from them validates.
/// </summary>
public sealed record ItemField(XElement Path, XElement? Value)
{
    public static ItemField Uri(string fieldUri, XElement? value) =>
        new(new XElement(Ns.T + "FieldURI", new XAttribute("FieldURI", fieldUri)), value);

    public static ItemField Indexed(string fieldUri, string index, XElement? value) =>
        new(new XElement(Ns.T + "IndexedFieldURI", new XAttribute("FieldURI", fieldUri), new XAttribute("FieldIndex", index)), value);

    /// <summary>The item element for CreateItem: every set field, with indexed entries merged into one container.</summary>
    internal static XElement ToItem(string itemElement, IEnumerable<ItemField> fields)
    {
        var item = new XElement(Ns.T + itemElement);
        foreach (var value in fields.Select(f => f.Value).OfType<XElement>())
        {
            if (item.LastNode is XElement last && last.Name == value.Name && value.Name.LocalName is "EmailAddresses" or "PhoneNumbers" or "PhysicalAddresses")
                last.Add(value.Elements());
            else
                item.Add(new XElement(value));
        }
        return item;
    }
}

internal static class X
{
    public static XElement T(string name, params object?[] content) => new(Ns.T + name, content);

    public static XElement? TextOrNull(string name, string? value) => value is null ? null : T(name, value);

    public static string? Text(this XElement parent, string name) => (string?)parent.Element(Ns.T + name);

    public static bool? Bool(this XElement parent, string name) => (bool?)parent.Element(Ns.T + name);

    public static int? Int(this XElement parent, string name) => (int?)parent.Element(Ns.T + name);

    public static DateTimeOffset? Time(this XElement parent, string name) =>
        parent.Element(Ns.T + name) is { } e ? EwsTime.Parse(e.Value) : null;
}
