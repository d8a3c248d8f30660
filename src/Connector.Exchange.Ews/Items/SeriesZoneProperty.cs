using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>
/// The IANA zone a series was written in, kept next to its <c>StartTimeZone</c> (a named property in the CRM stamp's
/// property set). Windows ids stand for several IANA zones (Europe/Rome is written as "W. Europe Standard Time",
/// which reads back as Europe/Berlin); the stored name is believed only while it still maps to the item's Windows id,
/// so a zone changed in Outlook wins.
/// </summary>
public static class SeriesZoneProperty
{
    public const string PropertyName = "vtenextSeriesZone";

    internal static XElement FieldUri() => new(Ns.T + "ExtendedFieldURI",
        new XAttribute("PropertySetId", CrmIdProperty.PropertySetId),
        new XAttribute("PropertyName", PropertyName),
        new XAttribute("PropertyType", "String"));

    internal static XElement Value(string ianaZone) => new(Ns.T + "ExtendedProperty", FieldUri(), new XElement(Ns.T + "Value", ianaZone));

    internal static string? Read(XElement item) => item.Elements(Ns.T + "ExtendedProperty")
        .Where(p => p.Element(Ns.T + "ExtendedFieldURI") is { } uri
                    && string.Equals((string?)uri.Attribute("PropertySetId"), CrmIdProperty.PropertySetId, StringComparison.OrdinalIgnoreCase)
                    && (string?)uri.Attribute("PropertyName") == PropertyName)
        .Select(p => (string?)p.Element(Ns.T + "Value"))
        .FirstOrDefault();
}
