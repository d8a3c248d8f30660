using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>
/// The CRM id stamped on every item we write, as a MAPI named property: the one property both adapters share
/// (<see cref="Connector.Exchange.Common.CrmIdStamp"/>; Graph names it <c>String {6B5F4A4E-…} Name vtenextCrmId</c>),
/// so an item stamped through one protocol is found through the other.
/// </summary>
public static class CrmIdProperty
{
    public static readonly string PropertySetId = Connector.Exchange.Common.CrmIdStamp.PropertySetId.ToString().ToUpperInvariant();
    public const string PropertyName = Connector.Exchange.Common.CrmIdStamp.PropertyName;

    internal static XElement FieldUri() => new(Ns.T + "ExtendedFieldURI",
        new XAttribute("PropertySetId", PropertySetId),
        new XAttribute("PropertyName", PropertyName),
        new XAttribute("PropertyType", Connector.Exchange.Common.CrmIdStamp.PropertyType));

    internal static XElement Value(string crmId) => new(Ns.T + "ExtendedProperty", FieldUri(), new XElement(Ns.T + "Value", crmId));

    internal static string? Read(XElement item) => item.Elements(Ns.T + "ExtendedProperty")
        .Where(p => p.Element(Ns.T + "ExtendedFieldURI") is { } uri
                    && string.Equals((string?)uri.Attribute("PropertySetId"), PropertySetId, StringComparison.OrdinalIgnoreCase)
                    && (string?)uri.Attribute("PropertyName") == PropertyName)
        .Select(p => (string?)p.Element(Ns.T + "Value"))
        .FirstOrDefault();
}
