using Connector.Core.Common;
using Connector.Core.Mailboxes;
using Connector.Core.Sync;

namespace Connector.Sync.Ports;

/// <summary>
/// A CRM record as the engine needs it: the content in domain terms, who owns it (user or group with members), when it
/// last changed (conflict policy "newest wins"), the iCalUId it carries (vtenext <c>ical_uuid</c>, used to find the same
/// meeting in other mailboxes) and, for a meeting, the CRM user who organises it (null: the owner organises).
/// <see cref="Series"/>: the record is one occurrence of a CRM series (vtenext keeps one record per occurrence).
/// </summary>
public sealed record CrmRecord(
    CrmKey Key,
    ISyncEntity Entity,
    Owner Owner,
    DateTimeOffset ModifiedAt,
    string? ICalUId = null,
    int? OrganizerUserId = null,
    CrmOccurrenceOf? Series = null);

/// <summary>Where an occurrence record sits in its CRM series: the series uid (vtenext <c>ical_uuid</c>) and its index (<c>recurr_idx</c>).</summary>
public sealed record CrmOccurrenceOf(string SeriesUid, int Index);

/// <summary>What a read by key found: the record, an explicit deletion (trashed, <c>deleted = 1</c>), or nothing.</summary>
public sealed record CrmRead(CrmRecord? Record, bool Deleted, DateTimeOffset? DeletedAt = null)
{
    public static CrmRead Found(CrmRecord record) => new(record, false);
    public static CrmRead WasDeleted(DateTimeOffset? at = null) => new(null, true, at);

    /// <summary>The id does not exist at all (never created, or purged): treated as deleted by the engine.</summary>
    public static CrmRead Missing { get; } = new(null, true);
}

/// <summary>A CRM user the connector may sync: id, e-mail (matches attendees), the groups the user belongs to.</summary>
public sealed record CrmUser(int Id, string UserName, string? Email, IReadOnlyList<int> GroupIds);
