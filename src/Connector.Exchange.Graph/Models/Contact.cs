namespace Connector.Exchange.Graph.Models;

public sealed class ContactFolder : GraphEntity
{
    public string? Id { get; set; }
    public string? DisplayName { get; set; }
    public string? ParentFolderId { get; set; }
}

public sealed class Contact : GraphEntity
{
    public string? Id { get; set; }
    public string? ChangeKey { get; set; }
    public DateTimeOffset? CreatedDateTime { get; set; }
    public DateTimeOffset? LastModifiedDateTime { get; set; }
    public string? ParentFolderId { get; set; }
    public string? DisplayName { get; set; }
    public string? GivenName { get; set; }
    public string? Surname { get; set; }
    public string? CompanyName { get; set; }
    public string? Department { get; set; }
    public string? JobTitle { get; set; }
    public List<EmailAddressValue>? EmailAddresses { get; set; }
    public List<string>? BusinessPhones { get; set; }
    public List<string>? HomePhones { get; set; }
    public string? MobilePhone { get; set; }
    public PhysicalAddress? BusinessAddress { get; set; }
    public PhysicalAddress? HomeAddress { get; set; }
    public List<string>? Categories { get; set; }
    public string? PersonalNotes { get; set; }
    public List<SingleValueExtendedProperty>? SingleValueExtendedProperties { get; set; }
}

public sealed class PhysicalAddress : GraphObject
{
    public string? Street { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? PostalCode { get; set; }
    public string? CountryOrRegion { get; set; }
}
