namespace Connector.Core.Mailboxes;

/// <summary>
/// An Exchange mailbox synchronised for one CRM user. The address is compared case-insensitively everywhere;
/// it is stored lower-cased.
/// </summary>
public sealed record Mailbox
{
    public Mailbox(string address, int crmUserId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        Address = address.Trim().ToLowerInvariant();
        CrmUserId = crmUserId;
    }

    public string Address { get; }
    public int CrmUserId { get; }

    public override string ToString() => Address;
}
