using Connector.Core.Common;

namespace Connector.Core.Sync;

public enum Side { Crm, Exchange }

public enum ActionKind
{
    /// <summary>Create the record on <see cref="SyncAction.Side"/> from <see cref="SyncAction.Content"/>, then store the link.</summary>
    Create,
    /// <summary>Overwrite the record on <see cref="SyncAction.Side"/> with <see cref="SyncAction.Content"/>, then refresh the link.</summary>
    Update,
    /// <summary>Delete the record on <see cref="SyncAction.Side"/> (the link goes with it; an Unlink follows).</summary>
    Delete,
    /// <summary>Store (or refresh) the pairing without writing either side.</summary>
    Link,
    /// <summary>Forget the pairing.</summary>
    Unlink,
    /// <summary>Write only the mailbox user's response to the CRM invitation (vtenext `partecipation`).</summary>
    RecordResponse,
    /// <summary>
    /// Both sides changed (or one changed and the other deleted): log it. <see cref="SyncAction.Side"/> is the side
    /// that won, <see cref="SyncAction.Reason"/> the rule that decided; the winning write follows.
    /// </summary>
    Conflict,
    /// <summary>Nothing to do; <see cref="SyncAction.Reason"/> says why.</summary>
    Skip,
    /// <summary>
    /// The change cannot be written to <see cref="SyncAction.Side"/> as it is (the target would refuse it);
    /// <see cref="SyncAction.Detail"/> says why in words for the admin. Report it; retrying cannot help.
    /// </summary>
    Refuse,
}

/// <summary>Why the planner chose an action. Stable names: they are logged and shown to admins.</summary>
public enum SyncReason
{
    NewInCrm,
    NewInExchange,
    ChangedInCrm,
    ChangedInExchange,
    DeletedInCrm,
    DeletedInExchange,
    DeletedOnBothSides,
    /// <summary>Neither side differs from what was last synced (includes our own writes read back: no echo).</summary>
    Unchanged,
    /// <summary>Both sides changed to the same content.</summary>
    SameContentOnBothSides,
    /// <summary>A record without link, found on the other side by the CRM-id stamp (e.g. a create whose reply was lost).</summary>
    MatchedByStamp,
    /// <summary>The same meeting already known from another mailbox (shared iCalUId).</summary>
    MatchedByICalUId,
    MatchedBySubjectAndTime,
    /// <summary>The link exists but the side was not seen: absence is never a delete signal.</summary>
    NoDeleteSignal,
    ConflictCrmWins,
    ConflictExchangeWins,
    ConflictNewestWins,
    /// <summary>A change beat a concurrent deletion: the record is re-created on the side that deleted it.</summary>
    ChangeBeatsDeletion,
    /// <summary>A deletion beat a concurrent change.</summary>
    DeletionBeatsChange,
    /// <summary>The mailbox user is an attendee, not the organizer: CRM changes are never pushed to this copy.</summary>
    AttendeeCopyIsReadOnly,
    /// <summary>An attendee's copy changed: only the attendee's response flows into the CRM.</summary>
    AttendeeResponse,
    /// <summary>Contacts go CRM to Exchange only: Exchange never creates, changes or deletes a CRM contact.</summary>
    ContactsAreOneWay,
    /// <summary>The record's owner changed: removed from the old owner's mailbox, created in the new one.</summary>
    Reassigned,
    /// <summary>One group member deleted their copy: the group's CRM record stays, the other copies too.</summary>
    GroupCopyRemoved,
    FeatureOff,
    /// <summary>The copy is in the mailbox of a user who is no longer synchronised: left untouched.</summary>
    MailboxDisabled,
    /// <summary>An occurrence was moved onto or past a neighbouring occurrence, which Exchange refuses.</summary>
    OccurrenceCrossesNeighbour,
}

/// <summary>
/// One step of a plan: what to do, on which side, for which mailbox and records. <see cref="SendInvitations"/> is
/// true only for Exchange writes of a meeting that should notify attendees (never for historical items or
/// initial sync).
/// </summary>
public sealed record SyncAction(
    ActionKind Kind,
    Side Side,
    string Mailbox,
    CrmKey? Crm,
    ExchangeKey? Exchange,
    SyncReason Reason,
    ISyncEntity? Content = null,
    bool SendInvitations = false,
    string? Detail = null)
{
    public override string ToString() =>
        $"{Kind} {Side} [{Mailbox}] crm={Crm?.ToString() ?? "-"} exc={Exchange?.ToString() ?? "-"} ({Reason}){(SendInvitations ? " +invitations" : "")}{(Detail is null ? "" : ": " + Detail)}";
}
