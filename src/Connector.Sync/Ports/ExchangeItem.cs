using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Sync.Ports;

/// <summary>The folders a mailbox is synced in; each has its own change cursor.</summary>
public enum SyncFolder { Calendar, Tasks, Contacts }

public static class SyncFolders
{
    public static SyncFolder Of(RecordKind kind) => kind switch
    {
        RecordKind.Event => SyncFolder.Calendar,
        RecordKind.Task => SyncFolder.Tasks,
        _ => SyncFolder.Contacts,
    };

    public static RecordKind KindOf(SyncFolder folder) => folder switch
    {
        SyncFolder.Calendar => RecordKind.Event,
        SyncFolder.Tasks => RecordKind.Task,
        _ => RecordKind.Contact,
    };
}

/// <summary>
/// One Exchange item in domain terms: identity (id, ChangeKey, iCalUId), content, the CRM id stamped on it (named
/// extended property, or To Do linkedResource) and when it last changed. <see cref="IsOrganizer"/>: for a meeting,
/// whether this mailbox organises it (false = an attendee's copy, which the CRM never writes to).
/// <see cref="SeriesMasterId"/>: the item belongs to a recurring series (it is the master, an occurrence or an
/// exception); the engine then reads the whole series with <see cref="IExchangeSeriesMailbox.ReadSeriesAsync"/>.
/// </summary>
public sealed record ExchangeItem(
    ExchangeKey Key,
    ISyncEntity Entity,
    long? StampedCrmId = null,
    DateTimeOffset? ModifiedAt = null,
    bool IsOrganizer = true,
    string? SeriesMasterId = null);

/// <summary>
/// What changed in one folder since a cursor: items created or updated, ids explicitly deleted, and the cursor to store
/// once they are safely queued. <see cref="Changed"/> is not necessarily the full items: each carries its key (with the
/// ChangeKey, and the iCalUId of an event) and at least what matching needs (the CRM-id stamp, the subject, an event's
/// start and end or a task's dates); other fields may be missing (EWS reads only this summary in its SyncFolderItems
/// page, Graph's delta happens to give whole items). A job that syncs an item reads it in full with
/// <see cref="IExchangeMailbox.ReadAsync"/>. <see cref="WasReset"/>: the old cursor was refused (Graph 410,
/// EWS invalid SyncState) and this is a full read; the absence of an item from it is still no delete signal.
/// <see cref="More"/>: call again with <see cref="Cursor"/> for the next page.
/// </summary>
public sealed record ChangeBatch(
    IReadOnlyList<ExchangeItem> Changed,
    IReadOnlyList<string> DeletedIds,
    string Cursor,
    bool More = false,
    bool WasReset = false);
