using System.Text.RegularExpressions;
using Connector.Core.Mailboxes;
using Connector.Vtenext.Mapping;
using Dapper;
using MySql.Data.MySqlClient;

namespace Connector.Vtenext.Database;

/// <summary>A row of the bridge's outbox, <c>{prefix}_exchange_outbox</c>.</summary>
public sealed record OutboxRow
{
    public int Id { get; init; }
    public string Module { get; init; } = "";
    public int CrmId { get; init; }
    public string Operation { get; init; } = "";
    public string ModifiedTime { get; init; } = "";
    public int ActingUser { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A calendar or contact row of <c>{prefix}_crmentity</c>; <see cref="Module"/> is the webservice module
/// (Events, Calendar for tasks, Contacts). <see cref="ModifiedTime"/> is server-local.</summary>
public sealed record EntityRow
{
    public int CrmId { get; init; }
    public string Module { get; init; } = "";
    public DateTime ModifiedTime { get; init; }
    public bool Deleted { get; init; }
}

/// <summary>
/// Direct access to vtenext's database for what the webservice cannot give: the bridge's outbox (read, then
/// deleted once copied), <c>crmentity</c> for reconciliation and invitees (read-only).
/// </summary>
public sealed partial class VtenextTables
{
    private readonly string _connectionString;
    private readonly string _p;

    public VtenextTables(string connectionString, string tablePrefix = "vte")
    {
        // The prefix is spliced into SQL, so it must be a plain identifier.
        if (!Identifier().IsMatch(tablePrefix))
            throw new ArgumentException($"Connector:VtenextTablePrefix '{tablePrefix}' is not a table prefix (letters, digits, underscore).", nameof(tablePrefix));
        _connectionString = connectionString;
        _p = tablePrefix;
    }

    public string Prefix => _p;

    public async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public async Task<IReadOnlyList<OutboxRow>> ReadOutboxAsync(int max, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return (await c.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT id, module, crmid, operation, modifiedtime, acting_user AS ActingUser, created_at AS CreatedAt FROM {_p}_exchange_outbox ORDER BY id LIMIT @max",
            new { max }, cancellationToken: ct))).ToList();
    }

    public async Task<int> DeleteOutboxAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return 0;
        await using var c = await OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition($"DELETE FROM {_p}_exchange_outbox WHERE id IN @ids", new { ids }, cancellationToken: ct));
    }

    private string EntitySelect => $"""
        SELECT e.crmid AS CrmId,
               CASE WHEN e.setype = 'Contacts' THEN 'Contacts' WHEN a.activitytype = 'Task' THEN 'Calendar' ELSE 'Events' END AS Module,
               e.modifiedtime AS ModifiedTime, e.deleted AS Deleted
        FROM {_p}_crmentity e LEFT JOIN {_p}_activity a ON a.activityid = e.crmid
        WHERE (e.setype = 'Contacts' OR (e.setype = 'Calendar' AND (a.activitytype IS NULL OR a.activitytype <> 'Emails')))
        """;

    /// <summary>Rows modified at or after <paramref name="since"/> (server-local), oldest first, after the (time, id) cursor.</summary>
    public async Task<IReadOnlyList<EntityRow>> ReadModifiedSinceAsync(DateTime since, int afterCrmId, int max, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return (await c.QueryAsync<EntityRow>(new CommandDefinition(
            $"{EntitySelect} AND (e.modifiedtime > @since OR (e.modifiedtime = @since AND e.crmid > @afterCrmId)) ORDER BY e.modifiedtime, e.crmid LIMIT @max",
            new { since, afterCrmId, max }, cancellationToken: ct))).ToList();
    }

    /// <summary>Every calendar and contact row, in crmid order, one page after <paramref name="afterCrmId"/>.</summary>
    public async Task<IReadOnlyList<EntityRow>> ReadAllAsync(int afterCrmId, int max, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return (await c.QueryAsync<EntityRow>(new CommandDefinition(
            $"{EntitySelect} AND e.crmid > @afterCrmId ORDER BY e.crmid LIMIT @max", new { afterCrmId, max }, cancellationToken: ct))).ToList();
    }

    /// <summary>The invited CRM users and contacts of an event with their answers (the webservice's retrieve omits them).</summary>
    public async Task<IReadOnlyList<CrmAttendee>> ReadAttendeesAsync(int activityId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var rows = await c.QueryAsync<(string Email, int Partecipation, int Id, string Kind)>(new CommandDefinition($"""
            SELECT u.email1, i.partecipation, i.inviteeid, 'User' FROM {_p}_invitees i JOIN {_p}_users u ON u.id = i.inviteeid
            WHERE i.activityid = @activityId AND u.email1 IS NOT NULL AND u.email1 <> ''
            UNION ALL
            SELECT cd.email, i.partecipation, i.inviteeid, 'Contact' FROM {_p}_invitees_con i JOIN {_p}_contactdetails cd ON cd.contactid = i.inviteeid
            JOIN {_p}_crmentity e ON e.crmid = cd.contactid AND e.deleted = 0
            WHERE i.activityid = @activityId AND cd.email IS NOT NULL AND cd.email <> ''
            """, new { activityId }, cancellationToken: ct));
        return rows.Select(r => new CrmAttendee(r.Email, Enum.IsDefined(typeof(CrmParticipation), r.Partecipation)
            ? (CrmParticipation)r.Partecipation : CrmParticipation.NoAnswer,
            r.Kind == "User" ? CrmInviteeKind.User : CrmInviteeKind.Contact, r.Id)).ToList();
    }

    /// <summary>Who owns a record (<c>crmentity.smownerid</c>): a user, or a group with its member users (groups and
    /// users share one id sequence in vtenext, so the id says which). Direct members only (no nested groups or roles).</summary>
    public async Task<Owner> ReadOwnerAsync(int ownerId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var isGroup = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM {_p}_groups WHERE groupid = @ownerId", new { ownerId }, cancellationToken: ct)) > 0;
        if (!isGroup) return new Owner.User(ownerId);
        var members = await c.QueryAsync<int>(new CommandDefinition($"""
            SELECT g.userid FROM {_p}_users2group g JOIN {_p}_users u ON u.id = g.userid
            WHERE g.groupid = @ownerId AND u.deleted = 0 AND u.status = 'Active' ORDER BY g.userid
            """, new { ownerId }, cancellationToken: ct));
        return new Owner.Group(ownerId, members.ToList());
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,30}$")]
    private static partial Regex Identifier();
}
