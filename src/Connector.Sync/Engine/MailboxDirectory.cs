using Connector.Core.Mailboxes;
using Connector.Storage.Users;
using Connector.Sync.Ports;

namespace Connector.Sync.Engine;

/// <summary>
/// The synced mailboxes at one moment: enabled users with a mailbox, by CRM user id and by address. Read once per
/// record sync (at most <see cref="UserStore.MailboxesCacheFor"/> old), so enabling or disabling a user applies to the next change.
/// </summary>
public sealed class MailboxDirectory
{
    private readonly Dictionary<int, MailboxAccount> _byUser;
    private readonly Dictionary<string, MailboxAccount> _byAddress;

    public MailboxDirectory(IEnumerable<MailboxAccount> enabled)
    {
        _byUser = enabled.ToDictionary(a => a.CrmUserId);
        _byAddress = _byUser.Values.ToDictionary(a => a.Address, StringComparer.OrdinalIgnoreCase);
    }

    public static async Task<MailboxDirectory> LoadAsync(UserStore users, CancellationToken ct) =>
        new((await users.EnabledMailboxesAsync(ct))
            .Where(u => !string.IsNullOrWhiteSpace(u.Mailbox))
            .Select(u => new MailboxAccount(u.CrmUserId, u.Mailbox.Trim().ToLowerInvariant())));

    public IReadOnlyCollection<MailboxAccount> All => _byUser.Values;

    public MailboxAccount? OfUser(int crmUserId) => _byUser.GetValueOrDefault(crmUserId);

    public MailboxAccount? OfAddress(string address) => _byAddress.GetValueOrDefault(address.Trim());

    public Mailbox? MailboxOf(int crmUserId) => OfUser(crmUserId) is { } a ? new Mailbox(a.Address, a.CrmUserId) : null;
}
