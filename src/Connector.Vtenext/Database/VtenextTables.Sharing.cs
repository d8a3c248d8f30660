using Dapper;

namespace Connector.Vtenext.Database;

/// <summary>
/// Who can see a contact, the way vtenext decides it (the vtiger 5 sharing model its list views and webservice queries
/// apply to a non-admin user): an admin sees every record; with the organisation's default sharing for Contacts public
/// (<c>def_org_share.permission</c> 0, 1 or 2) every user does; with it private (3) a user sees the records they own,
/// those owned by users in roles below theirs (<c>role.parentrole</c>), those owned by a group they belong to, and those
/// the sharing rules open to them (vtenext materialises the rules per user in <c>tmp_read_user_sharing_per</c> /
/// <c>tmp_read_group_sharing_per</c>). Only active users count.
/// </summary>
public sealed partial class VtenextTables
{
    // One condition, "user u sees a record owned by @owner", shared by both questions below.
    private string SeesOwnerCondition => $"""
        (u.is_admin = 'on'
         OR EXISTS (SELECT 1 FROM {_p}_def_org_share d WHERE d.tabid = @tab AND d.permission IN (0, 1, 2))
         OR u.id = e.smownerid
         OR EXISTS (SELECT 1 FROM {_p}_user2role our JOIN {_p}_role orl ON orl.roleid = our.roleid
                    JOIN {_p}_user2role uur ON uur.userid = u.id JOIN {_p}_role url ON url.roleid = uur.roleid
                    WHERE our.userid = e.smownerid AND orl.parentrole LIKE CONCAT(url.parentrole, '::%'))
         OR EXISTS (SELECT 1 FROM {_p}_users2group g WHERE g.groupid = e.smownerid AND g.userid = u.id)
         OR EXISTS (SELECT 1 FROM {_p}_tmp_read_user_sharing_per s WHERE s.userid = u.id AND s.tabid = @tab AND s.shareduserid = e.smownerid)
         OR EXISTS (SELECT 1 FROM {_p}_tmp_read_group_sharing_per s WHERE s.userid = u.id AND s.tabid = @tab AND s.sharedgroupid = e.smownerid))
        """;

    /// <summary>The active users who can see contact <paramref name="contactId"/> (empty when it is deleted or gone).</summary>
    public async Task<IReadOnlyList<int>> ReadContactViewersAsync(int contactId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var tab = await ContactsTabAsync(c, ct);
        var users = await c.QueryAsync<int>(new CommandDefinition($"""
            SELECT u.id FROM {_p}_users u JOIN {_p}_crmentity e ON e.crmid = @contactId AND e.deleted = 0
            WHERE u.deleted = 0 AND u.status = 'Active' AND {SeesOwnerCondition}
            ORDER BY u.id
            """, new { contactId, tab }, cancellationToken: ct));
        return users.ToList();
    }

    /// <summary>The ids of every live contact user <paramref name="userId"/> can see.</summary>
    public async Task<IReadOnlySet<int>> ReadContactsVisibleToAsync(int userId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var tab = await ContactsTabAsync(c, ct);
        var ids = await c.QueryAsync<int>(new CommandDefinition($"""
            SELECT e.crmid FROM {_p}_crmentity e JOIN {_p}_users u ON u.id = @userId
            WHERE e.setype = 'Contacts' AND e.deleted = 0 AND {SeesOwnerCondition}
            """, new { userId, tab }, cancellationToken: ct));
        return ids.ToHashSet();
    }

    private async Task<int> ContactsTabAsync(MySql.Data.MySqlClient.MySqlConnection c, CancellationToken ct) =>
        await c.ExecuteScalarAsync<int?>(new CommandDefinition($"SELECT tabid FROM {_p}_tab WHERE name = 'Contacts'", cancellationToken: ct)) ?? 4;
}
