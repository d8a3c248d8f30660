using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Core.Links;

/// <summary>
/// Why a mailbox holds a copy: because the record's owner (a user, or a group member) lives there, or because the
/// mailbox user was invited to a meeting someone else organises (Exchange delivered that copy, not us).
/// </summary>
public enum CopyRole { Owner, Attendee }

/// <summary>
/// Where a linked record sits in a series: the shared series id (iCalUId / CRM ical_uuid), the occurrence's
/// position and original date, or the master itself.
/// </summary>
public sealed record SeriesInfo(string SeriesUid, bool IsMaster, int? OccurrenceIndex = null, DateOnly? OriginalDate = null);

/// <summary>
/// The stored pairing of one CRM record with its copy in one mailbox: the Exchange identity, the fingerprint of
/// what each side held when we last wrote or read it (echo suppression), and series/occurrence info.
/// </summary>
public sealed record SyncLink
{
    public required CrmKey Crm { get; init; }
    public required string Mailbox { get; init; }
    public required ExchangeKey Exchange { get; init; }
    public required Fingerprint CrmFingerprint { get; init; }
    public required Fingerprint ExchangeFingerprint { get; init; }
    public CopyRole Role { get; init; } = CopyRole.Owner;
    public SeriesInfo? Series { get; init; }

    /// <summary>When the link was last confirmed (a write or a read that matched).</summary>
    public DateTimeOffset SyncedAt { get; init; }
}
