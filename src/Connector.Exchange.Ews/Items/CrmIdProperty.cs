using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>
/// The CRM id stamped on every item we write, as a MAPI named property. Graph reads the same property as
/// <c>String {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Name CrmId</c>; the GUID must never change.
/// </summary>
public static class CrmIdProperty
{
    public const string PropertySetId = "8ECCC264-6880-4EBE-992F-8888D2EEAA1D";
    public const string PropertyName = "CrmId";

    internal static XElement FieldUri() => new(Ns.T + "ExtendedFieldURI",
        new XAttribute("PropertySetId", PropertySetId),
        new XAttribute("PropertyName", PropertyName),
        new XAttribute("PropertyType", "String"));

    internal static XElement Value(string crmId) => new(Ns.T + "ExtendedProperty", FieldUri(), new XElement(Ns.T + "Value", crmId));

    internal static string? Read(XElement item) => item.Elements(Ns.T + "ExtendedProperty")
        .Where(p => p.Element(Ns.T + "ExtendedFieldURI") is { } uri
                    && string.Equals((string?)uri.Attribute("PropertySetId"), PropertySetId, StringComparison.OrdinalIgnoreCase)
                    && (string?)uri.Attribute("PropertyName") == PropertyName)
        .Select(p => (string?)p.Element(Ns.T + "Value"))
        .FirstOrDefault();
}
