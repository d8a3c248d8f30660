using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Mailboxes;
using Connector.Core.Sync;

namespace Connector.Sync.Ports;

/// <summary>
/// What the engine needs from the CRM (vtenext), in the domain's terms. Implemented by the vtenext adapter on top of
/// its webservice client (writes run as the integration user so CRM logic runs). Every method may throw
/// <see cref="TransientSyncException"/> (try again later) or <see cref="PermanentSyncException"/> (an admin must look).
/// </summary>
public interface ICrmGateway
{
    /// <summary>Reads one record with owner (group members resolved), modified time and iCalUId.</summary>
    Task<CrmRead> ReadAsync(CrmKey key, CancellationToken ct);

    /// <summary>
    /// Creates a record owned by <paramref name="owner"/> from Exchange content (attendees resolved to CRM users and
    /// contacts by e-mail; <paramref name="iCalUId"/> stored so other mailboxes' copies of the meeting match it).
    /// Returns the record as stored (its content read back is what the link's CRM fingerprint is taken from).
    /// </summary>
    Task<CrmRecord> CreateAsync(ISyncEntity entity, Owner owner, string? iCalUId, CancellationToken ct);

    /// <summary>Overwrites the record's synced fields (owner untouched) and returns it as stored.</summary>
    Task<CrmRecord> UpdateAsync(CrmKey key, ISyncEntity entity, CancellationToken ct);

    /// <summary>Deletes (trashes) the record. Deleting a record that is already gone is not an error.</summary>
    Task DeleteAsync(CrmKey key, CancellationToken ct);

    /// <summary>
    /// The events carrying this iCalUId (vtenext <c>ical_uuid</c>): the same meeting already known from another mailbox,
    /// or a record created from this item whose link was not stored before a crash.
    /// </summary>
    Task<IReadOnlyList<CrmRecord>> FindByICalUIdAsync(string iCalUId, CancellationToken ct);

    /// <summary>Writes only one invited user's answer (vtenext <c>partecipation</c>) on an event.</summary>
    Task RecordResponseAsync(CrmKey key, string attendeeEmail, AttendeeResponse response, CancellationToken ct);

    /// <summary>
    /// Records of <paramref name="kind"/> that <paramref name="crmUserId"/> owns (directly or through a group) or is
    /// invited to, touching [<paramref name="from"/>, <paramref name="to"/>) (tasks: due or open in the window;
    /// contacts: the window is ignored, <paramref name="visibleContacts"/> widens owned to visible). Used by user
    /// initialisation to push CRM records and as match candidates for unlinked Exchange items.
    /// </summary>
    IAsyncEnumerable<CrmRecord> ListForUserAsync(RecordKind kind, int crmUserId, DateTimeOffset from, DateTimeOffset to,
        bool visibleContacts, CancellationToken ct);

    /// <summary>
    /// The active CRM users who can see contact <paramref name="contactId"/> under the CRM's sharing rules (contact sync
    /// mode "visible": a contact lives in the mailbox of every synced user who sees it). Null when the CRM cannot say;
    /// the contact then lives with its owner only.
    /// </summary>
    Task<IReadOnlyList<int>?> ContactViewersAsync(long contactId, CancellationToken ct) => Task.FromResult<IReadOnlyList<int>?>(null);

    /// <summary>Active CRM users with their e-mail and group memberships (attendee matching, group owners).</summary>
    Task<IReadOnlyList<CrmUser>> ListUsersAsync(CancellationToken ct);
}
