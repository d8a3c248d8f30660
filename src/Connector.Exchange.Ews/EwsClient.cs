using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Streaming;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews;

/// <summary>
/// The EWS client for one user's mailbox: items (calendar, tasks, contacts), folder sync, streaming notifications
/// and free/busy. Services, folders and items are kept apart underneath; this is the surface the adapter uses.
/// </summary>
public sealed class EwsClient : IDisposable
{
    private readonly EwsTransport _transport;
    private readonly ItemService _items;
    private readonly SyncService _sync;
    private readonly FindService _find;
    private readonly FolderService _folders;
    private readonly AvailabilityService _availability;
    private readonly StreamingService _streaming;

    public EwsClient(EwsConnectionOptions options, int getItemBatchSize = 50)
    {
        _transport = new EwsTransport(options);
        _items = new ItemService(_transport, getItemBatchSize);
        _sync = new SyncService(_transport);
        _find = new FindService(_transport);
        _folders = new FolderService(_transport);
        _availability = new AvailabilityService(_transport);
        _streaming = new StreamingService(_transport);
    }

    /// <summary>The schema version in use (Exchange2013_SP1 unless the server needed the 2010 SP2 fallback).</summary>
    public ExchangeVersion Version => _transport.Version;

    // Calendar
    public async Task<EwsItemId> CreateEventAsync(CalendarEvent item, SendInvitations invitations = SendInvitations.SendToNone,
        FolderRef? folder = null, CancellationToken ct = default) =>
        (await _items.CreateAsync(ItemKinds.Calendar, folder ?? FolderRef.Calendar, [item], invitations, ct)).Single();

    public Task<IReadOnlyList<CalendarEvent?>> GetEventsAsync(IReadOnlyList<ItemRef> ids, CancellationToken ct = default) =>
        _items.GetAsync(ItemKinds.Calendar, ids, ct);

    /// <summary>Writes the event onto <paramref name="target"/> (a series master, a single item or one occurrence).</summary>
    public Task<EwsItemId> UpdateEventAsync(ItemRef target, CalendarEvent item, SendUpdates updates = SendUpdates.SendToNone,
        ConflictResolution conflicts = ConflictResolution.AutoResolve, CancellationToken ct = default) =>
        _items.UpdateAsync(ItemKinds.Calendar, target,
            target is OccurrenceRef ? item with { CalendarItemType = "Occurrence", Recurrence = null } : item,
            conflicts, updates, ct);

    /// <summary>
    /// Makes one occurrence an exception: writes only its subject, body, start, end and location. Exchange refuses a
    /// move onto or past a neighbouring occurrence (ErrorOccurrenceCrossingBoundary).
    /// </summary>
    public Task<EwsItemId> UpdateOccurrenceAsync(OccurrenceRef target, CalendarEvent item, SendUpdates updates = SendUpdates.SendToNone,
        ConflictResolution conflicts = ConflictResolution.AutoResolve, CancellationToken ct = default) =>
        _items.UpdateAsync(ItemKinds.CalendarOccurrence, target, item, conflicts, updates, ct);

    /// <summary>Deletes several calendar items or occurrences in one request (occurrences already deleted count as deleted).</summary>
    public Task DeleteEventsAsync(IReadOnlyList<ItemRef> targets, SendCancellations cancellations = SendCancellations.SendToNone,
        DeleteMode mode = DeleteMode.MoveToDeletedItems, CancellationToken ct = default) =>
        targets.Count == 0 ? Task.CompletedTask : _items.DeleteAsync(targets, mode, cancellations, null, ct);

    public Task DeleteEventAsync(ItemRef target, SendCancellations cancellations = SendCancellations.SendToNone,
        DeleteMode mode = DeleteMode.MoveToDeletedItems, CancellationToken ct = default) =>
        _items.DeleteAsync([target], mode, cancellations, null, ct);

    // Tasks
    public async Task<EwsItemId> CreateTaskAsync(TaskItem item, FolderRef? folder = null, CancellationToken ct = default) =>
        (await _items.CreateAsync(ItemKinds.Task, folder ?? FolderRef.Tasks, [item], null, ct)).Single();

    public Task<IReadOnlyList<TaskItem?>> GetTasksAsync(IReadOnlyList<ItemRef> ids, CancellationToken ct = default) =>
        _items.GetAsync(ItemKinds.Task, ids, ct);

    public Task<EwsItemId> UpdateTaskAsync(ItemRef target, TaskItem item,
        ConflictResolution conflicts = ConflictResolution.AutoResolve, CancellationToken ct = default) =>
        _items.UpdateAsync(ItemKinds.Task, target, item, conflicts, null, ct);

    public Task DeleteTaskAsync(ItemRef target, AffectedTaskOccurrences occurrences = AffectedTaskOccurrences.AllOccurrences,
        DeleteMode mode = DeleteMode.MoveToDeletedItems, CancellationToken ct = default) =>
        _items.DeleteAsync([target], mode, null, occurrences, ct);

    // Contacts (one way, into the dedicated folder)
    public Task<FolderRef> EnsureContactsFolderAsync(string displayName = "vtenext", CancellationToken ct = default) =>
        _folders.EnsureContactsFolderAsync(displayName, ct);

    public async Task<EwsItemId> CreateContactAsync(FolderRef folder, ContactItem item, CancellationToken ct = default) =>
        (await _items.CreateAsync(ItemKinds.Contact, folder, [item], null, ct)).Single();

    public Task<IReadOnlyList<ContactItem?>> GetContactsAsync(IReadOnlyList<ItemRef> ids, CancellationToken ct = default) =>
        _items.GetAsync(ItemKinds.Contact, ids, ct);

    public Task<EwsItemId> UpdateContactAsync(ItemRef target, ContactItem item,
        ConflictResolution conflicts = ConflictResolution.AlwaysOverwrite, CancellationToken ct = default) =>
        _items.UpdateAsync(ItemKinds.Contact, target, item, conflicts, null, ct);

    public Task DeleteContactAsync(ItemRef target, DeleteMode mode = DeleteMode.HardDelete, CancellationToken ct = default) =>
        _items.DeleteAsync([target], mode, null, null, ct);

    // Find
    /// <summary>
    /// The ids of the items directly in <paramref name="folder"/> matching <paramref name="filter"/> (FindItem, shallow,
    /// IdOnly, paged). In a calendar that is single items and series masters, never occurrences.
    /// </summary>
    public Task<IReadOnlyList<EwsItemId>> FindItemIdsAsync(FolderRef folder, ItemFilter filter, int pageSize = FindService.PageSize,
        CancellationToken ct = default) => _find.FindIdsAsync(folder, filter, pageSize, ct);

    // Sync
    /// <summary>
    /// One SyncFolderItems page: ids only, or with <paramref name="summary"/> each created or updated item's
    /// <see cref="ItemSummary"/> (no GetItem needed to tell what it is). Throws <see cref="InvalidSyncStateException"/>
    /// when the state is refused.
    /// </summary>
    public Task<SyncPage> SyncFolderItemsAsync(FolderRef folder, string? syncState, int maxChanges = SyncService.MaxChangesPerCall,
        SummaryShape? summary = null, CancellationToken ct = default) => _sync.SyncFolderItemsAsync(folder, syncState, maxChanges, summary, ct);

    /// <summary>
    /// Pages SyncFolderItems until the folder is caught up, handing each page to <paramref name="onPage"/> (store the
    /// changes, then the state). A refused state restarts from scratch and says so through <c>fullResync</c>.
    /// </summary>
    public async Task<string> SyncFolderAsync(FolderRef folder, string? syncState,
        Func<SyncPage, bool /*fullResync*/, CancellationToken, Task> onPage, CancellationToken ct = default)
    {
        var fullResync = false;
        while (true)
        {
            SyncPage page;
            try
            {
                page = await _sync.SyncFolderItemsAsync(folder, syncState, SyncService.MaxChangesPerCall, null, ct);
            }
            catch (InvalidSyncStateException) when (syncState is not null)
            {
                (syncState, fullResync) = (null, true);
                continue;
            }
            await onPage(page, fullResync, ct);
            syncState = page.SyncState;
            if (page.IncludesLastItemInRange) return syncState;
        }
    }

    // Streaming
    public Task<Subscription> SubscribeAsync(IReadOnlyList<FolderRef> folders, EwsAffinity? affinity = null, CancellationToken ct = default) =>
        _streaming.SubscribeAsync(folders, affinity, ct);

    /// <summary>A group of up to 200 mailboxes on one streaming connection (see <see cref="StreamingGroup"/>).</summary>
    public StreamingGroup CreateStreamingGroup(IReadOnlyList<StreamTarget> targets, IStreamListener listener, StreamingOptions? options = null) =>
        new(_streaming, targets, listener, options ?? new StreamingOptions());

    // Availability
    public Task<IReadOnlyList<MailboxAvailability>> GetUserAvailabilityAsync(IReadOnlyList<string> mailboxes, DateTimeOffset start,
        DateTimeOffset end, CancellationToken ct = default) => _availability.GetAsync(mailboxes, start, end, ct);

    public void Dispose() => _transport.Dispose();
}
