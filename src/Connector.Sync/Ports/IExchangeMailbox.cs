using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Sync.Ports;

/// <summary>A mailbox the connector syncs: its CRM user and SMTP address (lower-case).</summary>
public sealed record MailboxAccount(int CrmUserId, string Address);

/// <summary>
/// Opens the Exchange side of one mailbox. One implementation per protocol (Graph, EWS); it resolves credentials,
/// tokens and TLS trust from the stored settings and user, so the engine only ever names the mailbox.
/// </summary>
public interface IExchangeGateway
{
    Task<IExchangeMailbox> OpenAsync(MailboxAccount account, CancellationToken ct);
}

/// <summary>
/// What the engine needs from one Exchange mailbox, in domain terms. Errors: <see cref="TransientSyncException"/>
/// (throttling with its Retry-After / BackOffMilliseconds, timeouts, 5xx), <see cref="PermanentSyncException"/>
/// (refused content), <see cref="StaleChangeKeyException"/> (someone changed the item since we read it: re-plan).
/// </summary>
public interface IExchangeMailbox
{
    MailboxAccount Account { get; }

    /// <summary>Reads one item; null when the server says it does not exist (an explicit "gone").</summary>
    Task<ExchangeItem?> ReadAsync(RecordKind kind, string itemId, CancellationToken ct);

    /// <summary>
    /// Creates an item stamped with <paramref name="crm"/> (so a retry after a lost reply finds it instead of creating a
    /// duplicate; Graph also sends a transactionId derived from it). <paramref name="sendInvitations"/> false: the
    /// meeting is saved without sending anything (history, initial sync, group copies).
    /// </summary>
    Task<ExchangeItem> CreateAsync(CrmKey crm, ISyncEntity entity, bool sendInvitations, CancellationToken ct);

    /// <summary>Overwrites the item's synced fields, guarded by the ChangeKey when the key has one.</summary>
    Task<ExchangeItem> UpdateAsync(ExchangeKey key, ISyncEntity entity, bool sendInvitations, CancellationToken ct);

    /// <summary>
    /// Deletes the item; for a meeting this mailbox organises, <paramref name="sendCancellations"/> cancels it for the
    /// attendees. Deleting an item that is already gone is not an error.
    /// </summary>
    Task DeleteAsync(RecordKind kind, ExchangeKey key, bool sendCancellations, CancellationToken ct);

    /// <summary>The items stamped with this CRM id (normally zero or one).</summary>
    Task<IReadOnlyList<ExchangeItem>> FindByStampAsync(CrmKey crm, CancellationToken ct);

    /// <summary>The calendar items sharing this iCalUId (the same meeting).</summary>
    Task<IReadOnlyList<ExchangeItem>> FindByICalUIdAsync(string iCalUId, CancellationToken ct);

    /// <summary>
    /// Every item of the folder in the window (events overlapping it; tasks and contacts: all). Used by user
    /// initialisation to pull and match (stamp, iCalUId, subject + start + end).
    /// </summary>
    IAsyncEnumerable<ExchangeItem> ListAsync(SyncFolder folder, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>
    /// Changes in the folder since <paramref name="cursor"/> (Graph delta link, EWS SyncState; null = from the
    /// beginning, within [<paramref name="from"/>, <paramref name="to"/>) where the protocol windows the read).
    /// The changed items are summaries (key with ChangeKey, stamp, iCalUId, subject, time: what matching and echo
    /// detection read), not necessarily the full items; see <see cref="ChangeBatch"/>.
    /// </summary>
    Task<ChangeBatch> ReadChangesAsync(SyncFolder folder, string? cursor, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
