using System.Globalization;
using System.Runtime.CompilerServices;
using Connector.Core.Common;
using Connector.Core.Sync;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Exchange.Ews.Soap;
using Connector.Sync.Ports;
using DomainContact = Connector.Core.Contacts.Contact;
using DomainEvent = Connector.Core.Calendar.CalendarEvent;
using DomainTask = Connector.Core.Tasks.TaskItem;

namespace Connector.Exchange.Ews.Sync;

/// <summary>
/// One mailbox through EWS, as the engine's <see cref="IExchangeMailbox"/>: events in the calendar, tasks in the Tasks
/// folder, contacts in the dedicated "vtenext" contacts folder. Cursors are SyncFolderItems SyncStates (one page of at
/// most 512 changes per read, each change with its summary: key, stamp, UID, subject, time); a refused SyncState
/// restarts the folder and says so (<see cref="ChangeBatch.WasReset"/>). Every write carries the ChangeKey we hold and reads the item back, so the link
/// stores the server's version. EWS errors are translated to the engine's meaning.
/// </summary>
/// <remarks>
/// "Find by stamp" and "find by iCalUId" are one FindItem (shallow, IdOnly, IsEqualTo on the stamp's extended property
/// or on the meeting's CleanGlobalObjectId, since Exchange refuses restrictions on calendar:UID) plus a GetItem of the
/// (normally 0 or 1) ids, so their cost does not grow with the folder. "List in window" still reads the folder in full
/// (SyncFolderItems from scratch + GetItem); a CalendarView would answer occurrences, not the masters the engine wants.
/// </remarks>
public sealed partial class EwsMailbox(EwsClient client, MailboxAccount account, bool ownsClient = false) : IExchangeMailbox, IExchangeBatchReader, IDisposable
{
    private FolderRef? _contactFolder;

    /// <summary>Ids per GetItem when jobs read ahead (the client's own GetItem batch).</summary>
    public int MaxBatch => 50;

    /// <summary>
    /// One GetItem for many ids (the benchmark's initial sync: one GetItem per item before). Only found items are
    /// answered; an id left out (deleted meanwhile) is read alone by its job, which then learns it is gone.
    /// </summary>
    public Task<IReadOnlyDictionary<string, ExchangeItem?>> ReadManyAsync(RecordKind kind, IReadOnlyList<string> itemIds, CancellationToken ct) =>
        Guard(async () => (IReadOnlyDictionary<string, ExchangeItem?>)(await GetAsync(kind, itemIds.Select(id => (ItemRef)new EwsItemId(id)).ToList(), ct))
            .DistinctBy(i => i.Key.ItemId).ToDictionary(i => i.Key.ItemId, i => (ExchangeItem?)i));

    public MailboxAccount Account => account;

    public EwsClient Client => client;

    public Task<ExchangeItem?> ReadAsync(RecordKind kind, string itemId, CancellationToken ct) => Guard(async () =>
        (await GetAsync(kind, [new EwsItemId(itemId)], ct)).SingleOrDefault());

    public Task<ExchangeItem> CreateAsync(CrmKey crm, ISyncEntity entity, bool sendInvitations, CancellationToken ct) => Guard(async () =>
    {
        // A series is never written as a single event (that would drop its rule): it goes the series way, exceptions and all.
        if (entity is DomainEvent { Recurrence: not null } series)
            return (await CreateSeriesAsync(crm, series, DateOnly.MaxValue, sendInvitations, ct)).Master;
        var stamp = Stamp(crm);
        var id = entity switch
        {
            // The stamp goes in the same CreateItem, so a create whose answer was lost is found by FindByStampAsync.
            DomainEvent e => await client.CreateEventAsync(EwsDomainMapping.FromDomain(e, stamp, withAttendees: true),
                sendInvitations ? SendInvitations.SendToAllAndSaveCopy : SendInvitations.SendToNone, ct: ct),
            DomainTask t => await client.CreateTaskAsync(EwsDomainMapping.FromDomain(t, stamp), ct: ct),
            DomainContact c => await client.CreateContactAsync(await ContactFolderAsync(ct), EwsDomainMapping.FromDomain(c, stamp), ct),
            _ => throw new PermanentSyncException($"Cannot create a {entity.GetType().Name} in Exchange."),
        };
        return await ReadBackAsync(entity.Kind, id, ct);
    });

    public Task<ExchangeItem> UpdateAsync(ExchangeKey key, ISyncEntity entity, bool sendInvitations, CancellationToken ct) => Guard(async () =>
    {
        if (entity is DomainEvent { Recurrence: not null } series)
            return (await UpdateSeriesAsync(key, series, DateOnly.MaxValue, sendInvitations, ct)).Master;
        var target = new EwsItemId(key.ItemId, key.ChangeKey);
        var id = entity switch
        {
            // EWS can save a meeting's attendee list without sending anything (SendToNone), unlike Graph.
            DomainEvent e => await client.UpdateEventAsync(target, EwsDomainMapping.FromDomain(e, null, withAttendees: true),
                sendInvitations ? SendUpdates.SendToAllAndSaveCopy : SendUpdates.SendToNone, ConflictResolution.AutoResolve, ct),
            DomainTask t => await client.UpdateTaskAsync(target, EwsDomainMapping.FromDomain(t, null), ConflictResolution.AutoResolve, ct),
            DomainContact c => await client.UpdateContactAsync(target, EwsDomainMapping.FromDomain(c, null), ConflictResolution.AlwaysOverwrite, ct),
            _ => throw new PermanentSyncException($"Cannot update a {entity.GetType().Name} in Exchange."),
        };
        return await ReadBackAsync(entity.Kind, id, ct);
    });

    public Task DeleteAsync(RecordKind kind, ExchangeKey key, bool sendCancellations, CancellationToken ct) => Guard(async () =>
    {
        var target = new EwsItemId(key.ItemId);
        switch (kind)
        {
            case RecordKind.Event:
                await client.DeleteEventAsync(target, sendCancellations ? SendCancellations.SendToAllAndSaveCopy : SendCancellations.SendToNone, ct: ct);
                break;
            case RecordKind.Task:
                await client.DeleteTaskAsync(target, ct: ct);
                break;
            default:
                await client.DeleteContactAsync(target, ct: ct);
                break;
        }
        return true;
    });

    /// <summary>
    /// FindItem restricted to the stamp (one request, ids only), then the usual GetItem read of the 0 or 1 ids: crash
    /// recovery asks this for every record pushed without a link, so it must not cost a folder read.
    /// </summary>
    public Task<IReadOnlyList<ExchangeItem>> FindByStampAsync(CrmKey crm, CancellationToken ct) => Guard(async () =>
    {
        var folder = await FolderAsync(SyncFolders.Of(crm.Kind), ct);
        var ids = await client.FindItemIdsAsync(folder, ItemFilter.CrmId(Stamp(crm)), ct: ct);
        return (IReadOnlyList<ExchangeItem>)(await GetAsync(crm.Kind, ids.Select(i => (ItemRef)new EwsItemId(i.Id)).ToList(), ct))
            .Where(i => i.StampedCrmId == crm.CrmId).ToList();
    });

    /// <summary>FindItem restricted to the meeting's CleanGlobalObjectId (the bytes of its UID); a UID that is not hex is searched by reading the calendar.</summary>
    public Task<IReadOnlyList<ExchangeItem>> FindByICalUIdAsync(string iCalUId, CancellationToken ct) => Guard(async () =>
    {
        var items = new List<ExchangeItem>();
        if (ItemFilter.ICalUId(iCalUId) is { } filter)
        {
            var ids = await client.FindItemIdsAsync(FolderRef.Calendar, filter, ct: ct);
            items.AddRange(await GetAsync(RecordKind.Event, ids.Select(i => (ItemRef)new EwsItemId(i.Id)).ToList(), ct));
        }
        else
        {
            await foreach (var item in ReadFolderAsync(SyncFolder.Calendar, ct)) items.Add(item);
        }
        return (IReadOnlyList<ExchangeItem>)items.Where(i => string.Equals(i.Key.ICalUId, iCalUId, StringComparison.OrdinalIgnoreCase)).ToList();
    });

    public async IAsyncEnumerable<ExchangeItem> ListAsync(SyncFolder folder, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in ReadFolderAsync(folder, ct))
            if (InWindow(item, from, to)) yield return item;
    }

    /// <summary>
    /// One SyncFolderItems page with each item's summary (<see cref="SummaryShape"/>): the changed items come back as
    /// keys with ChangeKey, stamp, UID, subject and time, with no GetItem; their jobs read them in full. The exception:
    /// a first read is windowed, and a recurring master's window needs its recurrence, which SyncFolderItems cannot
    /// return, so the page's masters are read with one GetItem (per 50).
    /// </summary>
    public Task<ChangeBatch> ReadChangesAsync(SyncFolder folder, string? cursor, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Guard(async () =>
        {
            var folderRef = await FolderAsync(folder, ct);
            var kind = SyncFolders.KindOf(folder);
            var shape = SummaryShapeOf(kind);
            var reset = false;
            SyncPage page;
            try
            {
                page = await client.SyncFolderItemsAsync(folderRef, string.IsNullOrEmpty(cursor) ? null : cursor, summary: shape, ct: ct);
            }
            catch (InvalidSyncStateException) when (!string.IsNullOrEmpty(cursor))
            {
                // The state is refused: read the folder from the beginning; absence from this read is still no delete.
                page = await client.SyncFolderItemsAsync(folderRef, null, summary: shape, ct: ct);
                reset = true;
            }
            // The last change per item wins within a page (create then update, or update then delete).
            var last = new Dictionary<string, SyncChange>();
            foreach (var change in page.Changes.Where(c => c.Kind != SyncChangeKind.ReadFlagChange))
            {
                last.Remove(change.ItemId.Id);
                last[change.ItemId.Id] = change;
            }
            var deleted = last.Values.Where(c => c.Kind == SyncChangeKind.Delete).Select(c => c.ItemId.Id).ToList();
            var summaries = last.Values.Where(c => c.Kind != SyncChangeKind.Delete).Select(c => c.Summary).OfType<ItemSummary>().ToList();
            var changed = summaries.Select(s => Summarised(kind, s)).ToList();
            // A first read (no state) is windowed like Graph's calendarView; later changes are never dropped.
            var windowed = string.IsNullOrEmpty(cursor) || reset;
            if (windowed)
            {
                var masters = await MastersAsync(summaries.Where(s => s.IsRecurringMaster).ToList(), ct);
                // A master gone since the page was read is left out: its delete comes with a later page.
                changed = changed.Select(i => i.SeriesMasterId == i.Key.ItemId ? masters.GetValueOrDefault(i.Key.ItemId) : i).OfType<ExchangeItem>().ToList();
            }
            // A change the server sent without its item element (not seen, but never to be dropped) is read in full.
            var bare = last.Values.Where(c => c.Kind != SyncChangeKind.Delete && c.Summary is null).Select(c => (ItemRef)new EwsItemId(c.ItemId.Id)).ToList();
            changed.AddRange(await GetAsync(kind, bare, ct));
            if (windowed) changed = changed.Where(i => InWindow(i, from, to)).ToList();
            return new ChangeBatch(changed, deleted, page.SyncState, More: !page.IncludesLastItemInRange, WasReset: reset);
        });

    private static SummaryShape SummaryShapeOf(RecordKind kind) => kind switch
    {
        RecordKind.Event => SummaryShape.Calendar,
        RecordKind.Task => SummaryShape.Tasks,
        _ => SummaryShape.Contacts,
    };

    /// <summary>
    /// A changed item as its summary tells it: key (ChangeKey, UID), stamp and in domain terms the subject and time that
    /// matching reads. Body, attendees, a series' rule and the like are not in it; the item's job reads those.
    /// </summary>
    private ExchangeItem Summarised(RecordKind kind, ItemSummary s)
    {
        var stamp = StampOf(s.CrmId);
        return kind switch
        {
            RecordKind.Event => new ExchangeItem(new ExchangeKey(s.Id.Id, s.Id.ChangeKey, s.Uid), EwsDomainMapping.ToDomain(new CalendarEvent
            {
                Subject = s.Subject ?? "", Start = s.Start ?? default, End = s.End ?? default, IsAllDay = s.IsAllDay,
                Uid = s.Uid, CalendarItemType = s.CalendarItemType, CrmId = s.CrmId,
            }, account.Address), stamp, SeriesMasterId: s.IsRecurringMaster ? s.Id.Id : null),
            RecordKind.Task => new ExchangeItem(new ExchangeKey(s.Id.Id, s.Id.ChangeKey), EwsDomainMapping.ToDomain(new TaskItem
            {
                Subject = s.Subject ?? "", StartDate = s.StartDate, DueDate = s.DueDate, CrmId = s.CrmId,
            }), stamp),
            _ => new ExchangeItem(new ExchangeKey(s.Id.Id, s.Id.ChangeKey), EwsDomainMapping.ToDomain(new ContactItem
            {
                GivenName = s.GivenName, Surname = s.Surname, CrmId = s.CrmId,
            }), stamp),
        };
    }

    /// <summary>
    /// Recurring masters with their rule, for the window test: one GetItem per 50 masters. The exceptions' own details
    /// (one more GetItem) are not needed for it, the master lists where each exception moved to.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, ExchangeItem>> MastersAsync(IReadOnlyList<ItemSummary> masters, CancellationToken ct)
    {
        if (masters.Count == 0) return new Dictionary<string, ExchangeItem>();
        var read = await client.GetEventsAsync(masters.Select(m => (ItemRef)new EwsItemId(m.Id.Id)).ToList(), ct);
        var items = new Dictionary<string, ExchangeItem>();
        foreach (var e in read.OfType<CalendarEvent>().Where(e => e.Id is not null)) items[e.Id!.Id] = MasterItem(e, new Dictionary<string, CalendarEvent>());
        return items;
    }

    /// <summary>Every item of a folder: SyncFolderItems pages from scratch, each followed by a GetItem batch.</summary>
    private async IAsyncEnumerable<ExchangeItem> ReadFolderAsync(SyncFolder folder, [EnumeratorCancellation] CancellationToken ct)
    {
        var folderRef = await FolderAsync(folder, ct);
        var kind = SyncFolders.KindOf(folder);
        string? state = null;
        while (true)
        {
            var page = await Guard(() => client.SyncFolderItemsAsync(folderRef, state, ct: ct));
            var ids = page.Changes.Where(c => c.Kind is SyncChangeKind.Create or SyncChangeKind.Update)
                .Select(c => (ItemRef)new EwsItemId(c.ItemId.Id)).DistinctBy(r => ((EwsItemId)r).Id).ToList();
            foreach (var item in await Guard(() => GetAsync(kind, ids, ct))) yield return item;
            state = page.SyncState;
            if (page.IncludesLastItemInRange) yield break;
        }
    }

    // A series is in the window while any of its occurrences may be: from its first start to its last end (no end: forever).
    private static bool InWindow(ExchangeItem item, DateTimeOffset from, DateTimeOffset to) =>
        item.Entity is not DomainEvent e || (e.Span.StartIn(Core.Time.Zones.Utc) < to && SeriesEnd(e) >= from);

    private static DateTimeOffset SeriesEnd(DomainEvent e)
    {
        var end = e.Span.EndIn(Core.Time.Zones.Utc);
        if (e.Recurrence is not { } rule) return end;
        if (Core.Recurrence.RecurrenceExpander.LastOccurrenceDate(rule, e.Span) is not { } last) return DateTimeOffset.MaxValue;
        // The last original date plus a day of margin for the zone and the event's own length.
        var lastEnd = Core.Time.Zones.MidnightIn(last.AddDays(2), Core.Time.Zones.Get(rule.TimeZone)) + (end - e.Span.StartIn(Core.Time.Zones.Utc));
        var moved = rule.Modified.Select(m => m.Span.EndIn(Core.Time.Zones.Utc)).DefaultIfEmpty(end).Max();
        return new[] { end, lastEnd, moved }.Max();
    }

    /// <summary>Reads items of one kind; ids that no longer exist are left out.</summary>
    private async Task<IReadOnlyList<ExchangeItem>> GetAsync(RecordKind kind, IReadOnlyList<ItemRef> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        return kind switch
        {
            RecordKind.Event => await ReadEventsAsync(ids, ct),
            RecordKind.Task => (await client.GetTasksAsync(ids, ct)).OfType<TaskItem>().Select(Item).ToList(),
            _ => (await client.GetContactsAsync(ids, ct)).OfType<ContactItem>().Select(Item).ToList(),
        };
    }

    private async Task<ExchangeItem> ReadBackAsync(RecordKind kind, EwsItemId id, CancellationToken ct) =>
        (await GetAsync(kind, [new EwsItemId(id.Id)], ct)).SingleOrDefault()
        ?? throw new StaleChangeKeyException($"Item {id.Id} disappeared while it was written.");


    private static ExchangeItem Item(TaskItem t) => new(new ExchangeKey(t.Id!.Id, t.Id.ChangeKey), EwsDomainMapping.ToDomain(t), StampOf(t.CrmId));

    private static ExchangeItem Item(ContactItem c) => new(new ExchangeKey(c.Id!.Id, c.Id.ChangeKey), EwsDomainMapping.ToDomain(c), StampOf(c.CrmId));

    private static string Stamp(CrmKey crm) => crm.CrmId.ToString(CultureInfo.InvariantCulture);

    private static long? StampOf(string? value) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    private async Task<FolderRef> FolderAsync(SyncFolder folder, CancellationToken ct) => folder switch
    {
        SyncFolder.Calendar => FolderRef.Calendar,
        SyncFolder.Tasks => FolderRef.Tasks,
        _ => await ContactFolderAsync(ct),
    };

    private async Task<FolderRef> ContactFolderAsync(CancellationToken ct) => _contactFolder ??= await client.EnsureContactsFolderAsync(ct: ct);

    /// <summary><see cref="Translate{T}"/>, naming this mailbox's user when the server refuses the sign-in.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try { return await Translate(call); }
        catch (NeedsSignInException e) when (e.CrmUserId is null) { throw new NeedsSignInException(e.Message, e.InnerException) { CrmUserId = account.CrmUserId }; }
    }

    internal static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (EwsServerBusyException e) { throw new TransientSyncException(e.Message, e.BackOff, e); }
        catch (EwsAuthenticationException e) { throw new NeedsSignInException(e.Message, e); }
        catch (EwsTlsException e) { throw new PermanentSyncException(e.Message, e); }
        catch (EwsException e) when (e.ResponseCode is "ErrorIrresolvableConflict" or "ErrorChangeKeyRequiredForWriteOperations"
                                         or "ErrorStaleObject" or EwsResponseCodes.ErrorItemNotFound)
        { throw new StaleChangeKeyException(e.Message, e); }
        catch (EwsException e) when (e.ResponseCode.StartsWith("HTTP5", StringComparison.Ordinal)
                                         || e.ResponseCode is "ErrorInternalServerError" or "ErrorInternalServerTransientError" or "ErrorTimeoutExpired"
                                         || EwsResponseCodes.IsThrottling(e.ResponseCode))
        { throw new TransientSyncException(e.Message, null, e); }
        catch (EwsException e) { throw new PermanentSyncException(e.Message, e); }
        catch (HttpRequestException e) { throw new TransientSyncException(e.Message, null, e); }
        catch (IOException e) { throw new TransientSyncException(e.Message, null, e); }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException) { throw new TransientSyncException(e.Message, null, e); }
    }

    public void Dispose()
    {
        if (ownsClient) client.Dispose();
    }
}

/// <summary>The EWS side of every mailbox: opens an <see cref="EwsMailbox"/> on the user's EWS client.</summary>
public sealed class EwsExchangeGateway(Func<MailboxAccount, CancellationToken, Task<EwsClient>> clients) : IExchangeGateway
{
    public async Task<IExchangeMailbox> OpenAsync(MailboxAccount account, CancellationToken ct)
    {
        try { return new EwsMailbox(await clients(account, ct), account); }
        catch (InvalidOperationException e) { throw new PermanentSyncException(e.Message, e); }
        catch (ArgumentException e) { throw new PermanentSyncException(e.Message, e); }
    }
}
