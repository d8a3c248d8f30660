using System.Net;
using System.Runtime.CompilerServices;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Sync;
using Connector.Core.Tasks;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;
using Connector.Sync.Ports;
using DomainContact = Connector.Core.Contacts.Contact;
using GraphContact = Connector.Exchange.Graph.Models.Contact;

namespace Connector.Exchange.Graph.Sync;

/// <summary>
/// One mailbox through Graph, as the engine's <see cref="IExchangeMailbox"/>: events in the calendar, tasks in the default
/// To Do list, contacts in the connector's own contact folder. Cursors are delta links. Graph errors are translated to the
/// engine's meaning (throttling and 5xx transient with Retry-After, 412 stale ChangeKey, other 4xx permanent).
/// </summary>
public sealed partial class GraphMailbox(GraphMailboxClient client, MailboxAccount account) : IExchangeMailbox, IExchangeBatchReader
{
    /// <summary>Graph's <c>$batch</c> limit.</summary>
    public int MaxBatch => BatchRequest.MaxRequests;

    /// <summary>Events in <c>$batch</c> calls of 20; other kinds are read one by one (answered as not read).</summary>
    public Task<IReadOnlyDictionary<string, ExchangeItem?>> ReadManyAsync(RecordKind kind, IReadOnlyList<string> itemIds, CancellationToken ct) =>
        Translate(async () => kind != RecordKind.Event
            ? new Dictionary<string, ExchangeItem?>()
            : (IReadOnlyDictionary<string, ExchangeItem?>)(await client.GetEventsAsync(itemIds, ct)).ToDictionary(p => p.Key, p => p.Value is { } e ? Item(e) : null));

    private string? _taskListId;
    private string? _contactFolderId;

    public MailboxAccount Account => account;

    public Task<ExchangeItem?> ReadAsync(RecordKind kind, string itemId, CancellationToken ct) => Translate(async () => kind switch
    {
        RecordKind.Event => await client.GetEventAsync(itemId, ct) is { } e ? Item(e) : null,
        RecordKind.Task => await client.GetTaskAsync(await TaskListAsync(ct), itemId, ct) is { } t ? Item(t) : null,
        _ => await client.GetContactAsync(await ContactFolderAsync(ct), itemId, ct) is { } c ? Item(c) : null,
    });

    public Task<ExchangeItem> CreateAsync(CrmKey crm, ISyncEntity entity, bool sendInvitations, CancellationToken ct) => Translate(async () =>
    {
        var stamp = crm.CrmId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (entity)
        {
            case CalendarEvent e:
            {
                var body = GraphDomainMapping.FromDomain(e);
                GraphMailboxClient.StampCrmId(body, stamp);
                // The same CRM record always sends the same transactionId: Graph returns the first event on a retry.
                body.TransactionId = $"vtenext-{crm.Kind}-{crm.CrmId}-{account.Address}";
                // Graph sends invitations whenever a saved meeting has attendees (it has no "send to none" like EWS). When
                // none may go out (history, initial sync, group copies) the item is saved without its attendee list; the
                // CRM keeps the invitees, and a later live change of the meeting brings them (and their invitations).
                if (!sendInvitations) body.Attendees = null;
                var created = await client.CreateEventAsync(body, ct);
                return Item(await client.GetEventAsync(created.Id!, ct) ?? created);
            }
            case TaskItem t:
            {
                var body = GraphDomainMapping.FromDomain(t);
                GraphMailboxClient.StampCrmId(body, stamp);
                var list = await TaskListAsync(ct);
                var created = await client.CreateTaskAsync(list, body, ct);
                return Item(await client.GetTaskAsync(list, created.Id!, ct) ?? created);
            }
            case DomainContact c:
            {
                var body = GraphDomainMapping.FromDomain(c);
                GraphMailboxClient.StampCrmId(body, stamp);
                var folder = await ContactFolderAsync(ct);
                var created = await client.CreateContactAsync(folder, body, ct);
                return Item(await client.GetContactAsync(folder, created.Id!, ct) ?? created);
            }
            default: throw new PermanentSyncException($"Cannot create a {entity.GetType().Name} in Exchange.");
        }
    });

    public Task<ExchangeItem> UpdateAsync(ExchangeKey key, ISyncEntity entity, bool sendInvitations, CancellationToken ct) => Translate(async () =>
    {
        switch (entity)
        {
            case CalendarEvent e:
            {
                // Without invitations the attendee list is left as it is (changing it would notify people).
                var body = GraphDomainMapping.FromDomain(e);
                if (!sendInvitations) body.Attendees = null;
                await client.UpdateEventAsync(key.ItemId, body, ct);
                return Item(await client.GetEventAsync(key.ItemId, ct) ?? throw Gone(key));
            }
            case TaskItem t:
            {
                var list = await TaskListAsync(ct);
                await client.UpdateTaskAsync(list, key.ItemId, GraphDomainMapping.FromDomain(t), ct);
                return Item(await client.GetTaskAsync(list, key.ItemId, ct) ?? throw Gone(key));
            }
            case DomainContact c:
            {
                var folder = await ContactFolderAsync(ct);
                await client.UpdateContactAsync(folder, key.ItemId, GraphDomainMapping.FromDomain(c), ct);
                return Item(await client.GetContactAsync(folder, key.ItemId, ct) ?? throw Gone(key));
            }
            default: throw new PermanentSyncException($"Cannot update a {entity.GetType().Name} in Exchange.");
        }
    });

    public Task DeleteAsync(RecordKind kind, ExchangeKey key, bool sendCancellations, CancellationToken ct) => Translate(async () =>
    {
        switch (kind)
        {
            case RecordKind.Event:
                // An organizer's DELETE cancels the meeting for its attendees (Graph offers no silent delete of a meeting).
                await client.DeleteEventAsync(key.ItemId, ct);
                break;
            case RecordKind.Task:
                await client.DeleteTaskAsync(await TaskListAsync(ct), key.ItemId, ct);
                break;
            default:
                await client.DeleteContactAsync(await ContactFolderAsync(ct), key.ItemId, ct);
                break;
        }
        return true;
    });

    public Task<IReadOnlyList<ExchangeItem>> FindByStampAsync(CrmKey crm, CancellationToken ct) => Translate(async () =>
    {
        var stamp = crm.CrmId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return crm.Kind switch
        {
            RecordKind.Event => (IReadOnlyList<ExchangeItem>)(await client.FindEventsByCrmIdAsync(stamp, ct)).Select(Item).ToList(),
            // To Do cannot filter on linkedResources: the task list is read (the task folder is small next to the calendar).
            RecordKind.Task => (await client.TasksDeltaAsync(await TaskListAsync(ct), null, ct: ct)).Items
                .Where(t => GraphMailboxClient.CrmIdOf(t) == stamp).Select(Item).ToList(),
            _ => (await client.FindContactsByCrmIdAsync(await ContactFolderAsync(ct), stamp, ct)).Select(Item).ToList(),
        };
    });

    public Task<IReadOnlyList<ExchangeItem>> FindByICalUIdAsync(string iCalUId, CancellationToken ct) => Translate(async () =>
        (IReadOnlyList<ExchangeItem>)(await client.FindEventsByICalUIdAsync(iCalUId, ct)).Select(Item).ToList());

    public async IAsyncEnumerable<ExchangeItem> ListAsync(SyncFolder folder, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        var batch = await ReadChangesAsync(folder, null, from, to, ct);
        foreach (var item in batch.Changed) yield return item;
    }

    public Task<ChangeBatch> ReadChangesAsync(SyncFolder folder, string? cursor, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        Translate(async () => folder switch
        {
            SyncFolder.Calendar => Batch(await client.CalendarViewDeltaAsync(from, to, cursor, ct: ct), e => Item(e)),
            SyncFolder.Tasks => Batch(await client.TasksDeltaAsync(await TaskListAsync(ct), cursor, ct: ct), Item),
            _ => Batch(await client.ContactsDeltaAsync(await ContactFolderAsync(ct), cursor, ct: ct), Item),
        });

    private static ChangeBatch Batch<T>(DeltaResult<T> delta, Func<T, ExchangeItem> map) =>
        new(delta.Items.Select(map).ToList(), delta.RemovedIds, delta.DeltaLink, More: false, WasReset: delta.WasFullResync);

    // A series' master, occurrences and exceptions name the master, so the engine syncs them as one series.
    private ExchangeItem Item(Event e) => new(new ExchangeKey(e.Id!, e.ChangeKey, e.ICalUId), GraphDomainMapping.ToDomain(e, account.Address),
        Stamp(GraphMailboxClient.CrmIdOf(e)), e.LastModifiedDateTime, e.IsOrganizer ?? true,
        e.Type == "seriesMaster" ? e.Id : e.SeriesMasterId is { Length: > 0 } master ? master : null);

    private static ExchangeItem Item(TodoTask t) => new(new ExchangeKey(t.Id!, t.ODataEtag), GraphDomainMapping.ToDomain(t),
        Stamp(GraphMailboxClient.CrmIdOf(t)), t.LastModifiedDateTime);

    private static ExchangeItem Item(GraphContact c) => new(new ExchangeKey(c.Id!, c.ChangeKey), GraphDomainMapping.ToDomain(c),
        Stamp(GraphMailboxClient.CrmIdOf(c)), c.LastModifiedDateTime);

    private static long? Stamp(string? value) => long.TryParse(value, out var id) ? id : null;

    private async Task<string> TaskListAsync(CancellationToken ct) => _taskListId ??= (await client.GetDefaultTaskListAsync(ct)).Id!;

    private async Task<string> ContactFolderAsync(CancellationToken ct) => _contactFolderId ??= (await client.EnsureContactFolderAsync(ct: ct)).Id!;

    private static StaleChangeKeyException Gone(ExchangeKey key) => new($"Item {key.ItemId} disappeared while it was written.");

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (GraphException e) when (e.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                                           or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway)
        { throw new TransientSyncException(e.Message, e.RetryAfter, e); }
        catch (GraphException e) when (e.Status is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        { throw new StaleChangeKeyException(e.Message, e); }
        // Reads answer a missing item as null, so a 404 here is a write to an item deleted since it was read (the user
        // deleted it in Outlook meanwhile): the plan is stale — read again and re-plan, it is not an admin's problem.
        catch (GraphException e) when (e.Status is HttpStatusCode.NotFound)
        { throw new StaleChangeKeyException(e.Message, e); }
        catch (GraphException e) when (e.Status is HttpStatusCode.Unauthorized)
        { throw new TransientSyncException(e.Message, null, e); }
        catch (GraphException e) { throw new PermanentSyncException(e.Message, e); }
        catch (SignInRequiredException e) { throw new NeedsSignInException(e.Message, e); }
        catch (HttpRequestException e) { throw new TransientSyncException(e.Message, null, e); }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException) { throw new TransientSyncException(e.Message, null, e); }
    }
}

/// <summary>The Graph side of every mailbox: opens a <see cref="GraphMailbox"/> on the user's Graph client.</summary>
public sealed class GraphExchangeGateway(Func<int, CancellationToken, Task<GraphMailboxClient>> clients) : IExchangeGateway
{
    public async Task<IExchangeMailbox> OpenAsync(MailboxAccount account, CancellationToken ct)
    {
        try { return new GraphMailbox(await clients(account.CrmUserId, ct), account); }
        catch (InvalidOperationException e) { throw new PermanentSyncException(e.Message, e); }
    }
}
