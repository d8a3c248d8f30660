using Connector.Core.Common;

namespace Connector.Core.Mailboxes;

/// <summary>Who a CRM record is assigned to: one user, or a group whose members each get a copy.</summary>
public abstract record Owner
{
    private Owner() { }

    public sealed record User(int UserId) : Owner;

    public sealed record Group(int GroupId, ValueList<int> MemberUserIds) : Owner;

    /// <summary>
    /// The mailboxes a record owned by this owner lives in: the user's, or every member's. Users without an
    /// enabled mailbox (<paramref name="mailboxOf"/> returns null) are left out. Sorted and distinct, so plans are stable.
    /// </summary>
    public IReadOnlyList<Mailbox> Mailboxes(Func<int, Mailbox?> mailboxOf)
    {
        IEnumerable<int> users = this switch
        {
            User u => [u.UserId],
            Group g => g.MemberUserIds,
            _ => [],
        };
        return users.Select(mailboxOf).OfType<Mailbox>().DistinctBy(m => m.Address)
            .OrderBy(m => m.Address, StringComparer.Ordinal).ToList();
    }
}
