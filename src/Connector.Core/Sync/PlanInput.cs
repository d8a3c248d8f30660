using Connector.Core.Common;
using Connector.Core.Links;

namespace Connector.Core.Sync;

/// <summary>How a CRM record and an Exchange item without a stored link were found to be the same.</summary>
public enum MatchedBy { Stamp, ICalUId, SubjectAndTime }

/// <summary>
/// One mailbox's copy of a record: the stored link (if any), the Exchange item (from the link, or found by a
/// lookup: then <see cref="MatchedBy"/> says how), what the mailbox holds now, and why the mailbox holds it.
/// <see cref="OrganizerMailboxIsSynced"/>: for an attendee copy, whether the organizer is a CRM user whose own
/// mailbox is synced (then that mailbox brings the organizer's changes and this copy only brings a response).
/// <see cref="MailboxEnabled"/> false: the mailbox's user is no longer synchronised; the copy is left as it is
/// (disabling a user never deletes anything from their mailbox).
/// </summary>
public sealed record MailboxCopy<T>(
    string Mailbox,
    SyncLink? Link,
    ExchangeKey? Exchange,
    Observation<T> State,
    CopyRole Role = CopyRole.Owner,
    MatchedBy? MatchedBy = null,
    bool OrganizerMailboxIsSynced = false,
    bool MailboxEnabled = true) where T : class, ISyncEntity
{
    public ExchangeKey? Key => Exchange ?? Link?.Exchange;
}

/// <summary>
/// Everything known about one record. <see cref="Crm"/> is null for an Exchange item with no CRM counterpart yet
/// (then <see cref="Copies"/> holds that one item). <see cref="OwnerMailboxes"/> are the mailboxes the record
/// belongs in by ownership (the owner user's, or every group member's), see <c>Owner.Mailboxes</c>.
/// </summary>
public sealed record RecordInput<T>(
    RecordKind Kind,
    CrmKey? Crm,
    Observation<T> CrmState,
    IReadOnlyList<string> OwnerMailboxes,
    IReadOnlyList<MailboxCopy<T>> Copies,
    bool OwnerIsGroup = false) where T : class, ISyncEntity;
