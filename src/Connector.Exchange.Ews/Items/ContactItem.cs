using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>A contact, written one way (vtenext → Exchange) into the mailbox's dedicated "vtenext" folder.</summary>
public sealed record ContactItem
{
    public EwsItemId? Id { get; init; }
    public string? GivenName { get; init; }
    public string? Surname { get; init; }
    public string? CompanyName { get; init; }
    public string? Email { get; init; }
    public string? BusinessPhone { get; init; }
    public string? MobilePhone { get; init; }
    public string? Department { get; init; }
    public string? JobTitle { get; init; }
    public string? CrmId { get; init; }

    public string DisplayName => string.Join(' ', new[] { GivenName, Surname }.Where(s => !string.IsNullOrEmpty(s)));

    internal IEnumerable<ItemField> Fields()
    {
        if (CrmId is not null) yield return new ItemField(CrmIdProperty.FieldUri(), CrmIdProperty.Value(CrmId));
        yield return ItemField.Uri("contacts:FileAs", X.T("FileAs", string.Join(", ", new[] { Surname, GivenName }.Where(s => !string.IsNullOrEmpty(s)))));
        yield return ItemField.Uri("contacts:DisplayName", X.T("DisplayName", DisplayName));
        yield return ItemField.Uri("contacts:GivenName", X.TextOrNull("GivenName", GivenName));
        yield return ItemField.Uri("contacts:CompanyName", X.TextOrNull("CompanyName", CompanyName));
        yield return Entry("contacts:EmailAddress", "EmailAddresses", "EmailAddress1", Email);
        yield return Entry("contacts:PhoneNumber", "PhoneNumbers", "BusinessPhone", BusinessPhone);
        yield return Entry("contacts:PhoneNumber", "PhoneNumbers", "MobilePhone", MobilePhone);
        yield return ItemField.Uri("contacts:Department", X.TextOrNull("Department", Department));
        yield return ItemField.Uri("contacts:JobTitle", X.TextOrNull("JobTitle", JobTitle));
        yield return ItemField.Uri("contacts:Surname", X.TextOrNull("Surname", Surname));
    }

    private static ItemField Entry(string fieldUri, string container, string key, string? value) =>
        ItemField.Indexed(fieldUri, key, value is null ? null : X.T(container, X.T("Entry", new XAttribute("Key", key), value)));

    internal static ContactItem Parse(XElement item) => new()
    {
        Id = item.Element(Ns.T + "ItemId") is { } id ? EwsItemId.From(id) : null,
        GivenName = item.Text("GivenName"),
        Surname = item.Text("Surname"),
        CompanyName = item.Text("CompanyName"),
        Email = EntryValue(item, "EmailAddresses", "EmailAddress1"),
        BusinessPhone = EntryValue(item, "PhoneNumbers", "BusinessPhone"),
        MobilePhone = EntryValue(item, "PhoneNumbers", "MobilePhone"),
        Department = item.Text("Department"),
        JobTitle = item.Text("JobTitle"),
        CrmId = CrmIdProperty.Read(item),
    };

    private static string? EntryValue(XElement item, string container, string key) =>
        (string?)item.Element(Ns.T + container)?.Elements(Ns.T + "Entry").FirstOrDefault(e => (string?)e.Attribute("Key") == key);
}
