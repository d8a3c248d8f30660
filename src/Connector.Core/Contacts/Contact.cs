using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Core.Contacts;

public enum PhoneKind { Business, Mobile, Home, Fax, Assistant, Other }

public sealed record Phone(PhoneKind Kind, string Number);

/// <summary>A postal address; every part optional.</summary>
public sealed record PostalAddress(string? Street = null, string? City = null, string? State = null,
    string? PostalCode = null, string? Country = null, string? PoBox = null)
{
    public bool IsEmpty => new[] { Street, City, State, PostalCode, Country, PoBox }.All(string.IsNullOrWhiteSpace);

    public override string ToString() => string.Join("|", Street, City, State, PostalCode, Country, PoBox);
}

/// <summary>
/// A contact, pushed one way (CRM to Exchange). <see cref="Emails"/> is ordered: the first is the primary address.
/// <see cref="Company"/> is the CRM account's name.
/// </summary>
public sealed record Contact : ISyncEntity
{
    public string? Salutation { get; init; }
    public string? FirstName { get; init; }
    public required string LastName { get; init; }
    public ValueList<string> Emails { get; init; } = ValueList<string>.Empty;
    public ValueList<Phone> Phones { get; init; } = ValueList<Phone>.Empty;
    public PostalAddress? MailingAddress { get; init; }
    public PostalAddress? OtherAddress { get; init; }
    public string? Company { get; init; }
    public string? JobTitle { get; init; }
    public string? Department { get; init; }
    public DateOnly? Birthday { get; init; }
    public string? Notes { get; init; }

    public RecordKind Kind => RecordKind.Contact;

    public string DisplayName => string.IsNullOrWhiteSpace(FirstName) ? LastName : $"{FirstName} {LastName}";

    public void WriteContent(FingerprintWriter w)
    {
        w.Add("salutation", Salutation).Add("first", FirstName).Add("last", LastName);
        foreach (var e in Emails) w.Add("email", e.Trim().ToLowerInvariant());
        foreach (var p in Phones.OrderBy(p => p.Kind).ThenBy(p => p.Number, StringComparer.Ordinal)) w.Add("phone", $"{p.Kind}|{p.Number}");
        w.Add("mailing", MailingAddress is { IsEmpty: false } m ? m : null)
            .Add("other", OtherAddress is { IsEmpty: false } o ? o : null)
            .Add("company", Company).Add("title", JobTitle).Add("department", Department)
            .Add("birthday", Birthday).Add("notes", Notes);
    }
}
