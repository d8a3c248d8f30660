using System.Globalization;
using Connector.Exchange.Common;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;

namespace Connector.Exchange.Graph.Client;

/// <summary>
/// Graph operations on one mailbox: events, To Do tasks, contacts (in the connector's own folder), free/busy.
/// <paramref name="mailbox"/> is the address; app-only calls go to <c>/users/{address}</c>, delegated ones may too.
/// </summary>
public sealed class GraphMailboxClient(GraphTransport transport, IAccessTokenSource tokens, string mailbox)
{
    public const string DefaultContactFolderName = "vtenext";
    public const int MaxScheduleAddresses = 100;
    public static readonly TimeSpan MaxScheduleWindow = TimeSpan.FromDays(62);

    private readonly string _root = "users/" + Uri.EscapeDataString(mailbox);

    public string Mailbox => mailbox;

    // ---- events ----------------------------------------------------------------------------------------------

    /// <summary>Creates an event. A <c>transactionId</c> is always sent (the caller's, or a new one), so a retry
    /// after a timeout returns the first event instead of creating a second.</summary>
    public Task<Event> CreateEventAsync(Event newEvent, CancellationToken ct = default)
    {
        newEvent.TransactionId ??= Guid.NewGuid().ToString();
        return Send<Event>(HttpMethod.Post, $"{_root}/events", newEvent, ct);
    }

    /// <summary>Stamps the CRM id on the event in the same write (the extended property of <see cref="CrmIdStamp"/>).</summary>
    public static void StampCrmId(Event e, string crmId) =>
        e.SingleValueExtendedProperties = [.. (e.SingleValueExtendedProperties ?? []).Where(p => p.Id != CrmIdStamp.GraphId),
            new SingleValueExtendedProperty { Id = CrmIdStamp.GraphId, Value = crmId }];

    public static string? CrmIdOf(Event e) => e.SingleValueExtendedProperties?.FirstOrDefault(p =>
        string.Equals(p.Id, CrmIdStamp.GraphId, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>Reads events in <c>$batch</c> calls of 20 (with the CRM-id stamp): found ones, null for 404; other answers are left out.</summary>
    public async Task<IReadOnlyDictionary<string, Event?>> GetEventsAsync(IReadOnlyList<string> ids, CancellationToken ct = default)
    {
        var requests = ids.Select((id, i) => new BatchRequestItem
        {
            Id = i.ToString(CultureInfo.InvariantCulture), Method = "GET", Url = $"/{_root}/events/{Uri.EscapeDataString(id)}?$expand={ExpandCrmId}",
        }).ToList();
        var answers = await new GraphBatchClient(transport, tokens, mailbox).SendAsync(requests, ct);
        var events = new Dictionary<string, Event?>();
        foreach (var (key, answer) in answers)
        {
            var id = ids[int.Parse(key, CultureInfo.InvariantCulture)];
            if (answer.Status == 404) events[id] = null;
            else if (answer.Status == 200 && answer.Body is { } body) events[id] = System.Text.Json.JsonSerializer.Deserialize<Event>(body, GraphJson.Options);
        }
        return events;
    }

    public async Task<Event?> GetEventAsync(string id, CancellationToken ct = default) =>
        await GetOrNull<Event>($"{_root}/events/{Uri.EscapeDataString(id)}?$expand={ExpandCrmId}", ct);

    public Task<Event> UpdateEventAsync(string id, Event changes, CancellationToken ct = default) =>
        Send<Event>(HttpMethod.Patch, $"{_root}/events/{Uri.EscapeDataString(id)}?$expand={ExpandCrmId}", changes, ct);

    /// <summary>Deletes an event (an organizer's delete cancels the meeting for attendees). False when already gone.</summary>
    public Task<bool> DeleteEventAsync(string id, CancellationToken ct = default) =>
        transport.SendNoContentAsync(mailbox, tokens, HttpMethod.Delete, $"{_root}/events/{Uri.EscapeDataString(id)}", null, ct, notFoundIsFalse: true);

    /// <summary>Cancels a meeting; only the organizer may (Graph answers 400 otherwise).</summary>
    public Task CancelEventAsync(string id, string? comment, CancellationToken ct = default) =>
        transport.SendNoContentAsync(mailbox, tokens, HttpMethod.Post, $"{_root}/events/{Uri.EscapeDataString(id)}/cancel", new EventActionBody { Comment = comment ?? "" }, ct);

    /// <summary>accept, decline or tentativelyAccept.</summary>
    public Task RespondAsync(string id, string action, string? comment = null, CancellationToken ct = default) =>
        transport.SendNoContentAsync(mailbox, tokens, HttpMethod.Post, $"{_root}/events/{Uri.EscapeDataString(id)}/{action}",
            new EventActionBody { Comment = comment, SendResponse = true }, ct);

    public Task<IReadOnlyList<Event>> ListInstancesAsync(string seriesMasterId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct = default) =>
        ListAllAsync<Event>($"{_root}/events/{Uri.EscapeDataString(seriesMasterId)}/instances?{Window(start, end)}&$top=100", ct);

    /// <summary>Finds events stamped with a CRM id (a create that timed out is found instead of duplicated).</summary>
    public Task<IReadOnlyList<Event>> FindEventsByCrmIdAsync(string crmId, CancellationToken ct = default) =>
        ListAllAsync<Event>($"{_root}/events?$filter={Uri.EscapeDataString(PropertyFilter(crmId))}&$expand={ExpandCrmId}", ct);

    /// <summary>The events of the same meeting (shared iCalUId) in this mailbox.</summary>
    public Task<IReadOnlyList<Event>> FindEventsByICalUIdAsync(string iCalUId, CancellationToken ct = default) =>
        ListAllAsync<Event>($"{_root}/events?$filter={Uri.EscapeDataString($"iCalUId eq '{iCalUId.Replace("'", "''")}'")}&$expand={ExpandCrmId}", ct);

    /// <summary>
    /// One delta round over the calendar view [start, end): follows every <c>@odata.nextLink</c> and returns the
    /// <c>@odata.deltaLink</c> for next time. Pass the stored delta link to get only changes; when it has expired
    /// (410 syncStateNotFound) the round restarts without it and says so.
    /// </summary>
    public Task<DeltaResult<Event>> CalendarViewDeltaAsync(DateTimeOffset start, DateTimeOffset end, string? deltaLink, int pageSize = 100, CancellationToken ct = default) =>
        DeltaAsync<Event>($"{_root}/calendarView/delta?{Window(start, end)}", deltaLink, pageSize, e => e.Id, e => e.Removed is not null, ct);

    // ---- To Do -------------------------------------------------------------------------------------------------

    public Task<IReadOnlyList<TodoTaskList>> ListTaskListsAsync(CancellationToken ct = default) => ListAllAsync<TodoTaskList>($"{_root}/todo/lists", ct);

    public async Task<TodoTaskList> GetDefaultTaskListAsync(CancellationToken ct = default) =>
        (await ListTaskListsAsync(ct)).FirstOrDefault(l => l.WellknownListName == "defaultList")
        ?? throw new GraphException(System.Net.HttpStatusCode.NotFound, "ErrorItemNotFound", $"{mailbox} has no default To Do list.");

    public Task<TodoTaskList> CreateTaskListAsync(string displayName, CancellationToken ct = default) =>
        Send<TodoTaskList>(HttpMethod.Post, $"{_root}/todo/lists", new TodoTaskList { DisplayName = displayName }, ct);

    public Task<TodoTask> CreateTaskAsync(string listId, TodoTask task, CancellationToken ct = default) =>
        Send<TodoTask>(HttpMethod.Post, $"{_root}/todo/lists/{Uri.EscapeDataString(listId)}/tasks", task, ct);

    /// <summary>Stamps the CRM id as a linkedResource (To Do has no extended properties).</summary>
    public static void StampCrmId(TodoTask task, string crmId, string? crmUrl = null) =>
        task.LinkedResources = [.. (task.LinkedResources ?? []).Where(l => l.ApplicationName != CrmIdStamp.LinkedResourceApplication),
            new LinkedResource { ApplicationName = CrmIdStamp.LinkedResourceApplication, ExternalId = crmId, DisplayName = "vtenext " + crmId, WebUrl = crmUrl }];

    public static string? CrmIdOf(TodoTask task) =>
        task.LinkedResources?.FirstOrDefault(l => l.ApplicationName == CrmIdStamp.LinkedResourceApplication)?.ExternalId;

    public Task<TodoTask?> GetTaskAsync(string listId, string taskId, CancellationToken ct = default) =>
        GetOrNull<TodoTask>($"{_root}/todo/lists/{Uri.EscapeDataString(listId)}/tasks/{Uri.EscapeDataString(taskId)}?$expand=linkedResources", ct);

    public Task<TodoTask> UpdateTaskAsync(string listId, string taskId, TodoTask changes, CancellationToken ct = default) =>
        Send<TodoTask>(HttpMethod.Patch, $"{_root}/todo/lists/{Uri.EscapeDataString(listId)}/tasks/{Uri.EscapeDataString(taskId)}", changes, ct);

    public Task<bool> DeleteTaskAsync(string listId, string taskId, CancellationToken ct = default) =>
        transport.SendNoContentAsync(mailbox, tokens, HttpMethod.Delete, $"{_root}/todo/lists/{Uri.EscapeDataString(listId)}/tasks/{Uri.EscapeDataString(taskId)}", null, ct, notFoundIsFalse: true);

    public Task<DeltaResult<TodoTask>> TasksDeltaAsync(string listId, string? deltaLink, int pageSize = 100, CancellationToken ct = default) =>
        DeltaAsync<TodoTask>($"{_root}/todo/lists/{Uri.EscapeDataString(listId)}/tasks/delta", deltaLink, pageSize, t => t.Id, t => t.Removed is not null, ct);

    // ---- contacts ----------------------------------------------------------------------------------------------

    /// <summary>The connector's own contact folder (created when missing), so the user's own contacts are never touched.</summary>
    public async Task<ContactFolder> EnsureContactFolderAsync(string name = DefaultContactFolderName, CancellationToken ct = default)
    {
        var filter = Uri.EscapeDataString($"displayName eq '{name.Replace("'", "''")}'");
        var existing = await Send<GraphPage<ContactFolder>>(HttpMethod.Get, $"{_root}/contactFolders?$filter={filter}", null, ct);
        if (existing.Value.FirstOrDefault() is { } folder) return folder;
        try
        {
            return await Send<ContactFolder>(HttpMethod.Post, $"{_root}/contactFolders", new ContactFolder { DisplayName = name }, ct);
        }
        catch (GraphException e) when (e.Status == System.Net.HttpStatusCode.Conflict) // created concurrently
        {
            return (await Send<GraphPage<ContactFolder>>(HttpMethod.Get, $"{_root}/contactFolders?$filter={filter}", null, ct)).Value[0];
        }
    }

    public static void StampCrmId(Contact c, string crmId) =>
        c.SingleValueExtendedProperties = [.. (c.SingleValueExtendedProperties ?? []).Where(p => p.Id != CrmIdStamp.GraphId),
            new SingleValueExtendedProperty { Id = CrmIdStamp.GraphId, Value = crmId }];

    public static string? CrmIdOf(Contact c) => c.SingleValueExtendedProperties?.FirstOrDefault(p =>
        string.Equals(p.Id, CrmIdStamp.GraphId, StringComparison.OrdinalIgnoreCase))?.Value;

    public Task<Contact> CreateContactAsync(string folderId, Contact contact, CancellationToken ct = default) =>
        Send<Contact>(HttpMethod.Post, $"{_root}/contactFolders/{Uri.EscapeDataString(folderId)}/contacts", contact, ct);

    public Task<Contact?> GetContactAsync(string folderId, string id, CancellationToken ct = default) =>
        GetOrNull<Contact>($"{_root}/contactFolders/{Uri.EscapeDataString(folderId)}/contacts/{Uri.EscapeDataString(id)}?$expand={ExpandCrmId}", ct);

    public Task<Contact> UpdateContactAsync(string folderId, string id, Contact changes, CancellationToken ct = default) =>
        Send<Contact>(HttpMethod.Patch, $"{_root}/contactFolders/{Uri.EscapeDataString(folderId)}/contacts/{Uri.EscapeDataString(id)}", changes, ct);

    public Task<bool> DeleteContactAsync(string folderId, string id, CancellationToken ct = default) =>
        transport.SendNoContentAsync(mailbox, tokens, HttpMethod.Delete, $"{_root}/contactFolders/{Uri.EscapeDataString(folderId)}/contacts/{Uri.EscapeDataString(id)}", null, ct, notFoundIsFalse: true);

    public Task<IReadOnlyList<Contact>> FindContactsByCrmIdAsync(string folderId, string crmId, CancellationToken ct = default) =>
        ListAllAsync<Contact>($"{_root}/contactFolders/{Uri.EscapeDataString(folderId)}/contacts?$filter={Uri.EscapeDataString(PropertyFilter(crmId))}&$expand={ExpandCrmId}", ct);

    public Task<DeltaResult<Contact>> ContactsDeltaAsync(string folderId, string? deltaLink, int pageSize = 100, CancellationToken ct = default) =>
        DeltaAsync<Contact>($"{_root}/contactFolders/{Uri.EscapeDataString(folderId)}/contacts/delta", deltaLink, pageSize, c => c.Id, c => c.Removed is not null, ct);

    // ---- free/busy ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Free/busy of any number of addresses over any window: split into calls of at most 100 addresses and 62 days,
    /// then joined per address (availability views concatenated in time order, items merged).
    /// </summary>
    public async Task<IReadOnlyList<ScheduleInformation>> GetScheduleAsync(IReadOnlyList<string> addresses, DateTimeOffset start, DateTimeOffset end,
        int intervalMinutes = 30, CancellationToken ct = default)
    {
        var merged = addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(a => a, a => new ScheduleInformation
        {
            ScheduleId = a, AvailabilityView = "", ScheduleItems = [],
        }, StringComparer.OrdinalIgnoreCase);
        foreach (var (windowStart, windowEnd) in SplitWindow(start, end, MaxScheduleWindow, TimeSpan.FromMinutes(intervalMinutes)))
            foreach (var chunk in merged.Keys.Chunk(MaxScheduleAddresses))
            {
                var page = await Send<GraphPage<ScheduleInformation>>(HttpMethod.Post, $"{_root}/calendar/getSchedule", new ScheduleRequest
                {
                    Schedules = [.. chunk], StartTime = DateTimeTimeZone.FromUtc(windowStart), EndTime = DateTimeTimeZone.FromUtc(windowEnd),
                    AvailabilityViewInterval = intervalMinutes,
                }, ct);
                foreach (var info in page.Value)
                {
                    if (info.ScheduleId is null || !merged.TryGetValue(info.ScheduleId, out var target)) continue;
                    target.AvailabilityView += info.AvailabilityView;
                    target.ScheduleItems!.AddRange(info.ScheduleItems ?? []);
                    target.Error ??= info.Error;
                }
            }
        return [.. merged.Values];
    }

    /// <summary>Consecutive windows of at most <paramref name="max"/>, cut on whole intervals so views join cleanly.</summary>
    public static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> SplitWindow(DateTimeOffset start, DateTimeOffset end, TimeSpan max, TimeSpan interval)
    {
        var step = TimeSpan.FromTicks(max.Ticks / interval.Ticks * interval.Ticks);
        for (var s = start; s < end; s += step) yield return (s, s + step < end ? s + step : end);
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private static readonly string ExpandCrmId = Uri.EscapeDataString($"singleValueExtendedProperties($filter=id eq '{CrmIdStamp.GraphId}')");

    private static string PropertyFilter(string value) =>
        $"singleValueExtendedProperties/Any(ep: ep/id eq '{CrmIdStamp.GraphId}' and ep/value eq '{value.Replace("'", "''")}')";

    private static string Window(DateTimeOffset start, DateTimeOffset end) =>
        $"startDateTime={Uri.EscapeDataString(start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}" +
        $"&endDateTime={Uri.EscapeDataString(end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}";

    private Task<T> Send<T>(HttpMethod method, string url, object? body, CancellationToken ct, string? prefer = null) =>
        transport.SendJsonAsync<T>(mailbox, tokens, method, url, body, ct, prefer);

    private async Task<T?> GetOrNull<T>(string url, CancellationToken ct) where T : class
    {
        try { return await Send<T>(HttpMethod.Get, url, null, ct); }
        catch (GraphException e) when (e.Status == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    private async Task<IReadOnlyList<T>> ListAllAsync<T>(string url, CancellationToken ct)
    {
        var all = new List<T>();
        for (string? next = url; next is not null;)
        {
            var page = await Send<GraphPage<T>>(HttpMethod.Get, next, null, ct);
            all.AddRange(page.Value);
            next = page.NextLink;
        }
        return all;
    }

    private async Task<DeltaResult<T>> DeltaAsync<T>(string initialUrl, string? deltaLink, int pageSize, Func<T, string?> id, Func<T, bool> removed, CancellationToken ct)
    {
        try
        {
            return await DeltaRoundAsync(deltaLink ?? initialUrl, pageSize, id, removed, fullResync: false, ct);
        }
        catch (SyncStateInvalidException) when (deltaLink is not null)
        {
            return await DeltaRoundAsync(initialUrl, pageSize, id, removed, fullResync: true, ct);
        }
    }

    private async Task<DeltaResult<T>> DeltaRoundAsync<T>(string url, int pageSize, Func<T, string?> id, Func<T, bool> removed, bool fullResync, CancellationToken ct)
    {
        var items = new List<T>();
        var removedIds = new List<string>();
        var prefer = $"{GraphTransport.PreferHeader}, odata.maxpagesize={pageSize}";
        var pages = 0;
        for (string? next = url; ;)
        {
            var page = await Send<GraphPage<T>>(HttpMethod.Get, next!, null, ct, prefer);
            pages++;
            foreach (var item in page.Value)
                if (removed(item)) { if (id(item) is { } gone) removedIds.Add(gone); }
                else items.Add(item);
            if (page.DeltaLink is not null) return new DeltaResult<T>(items, removedIds, page.DeltaLink, fullResync, pages);
            next = page.NextLink ?? throw new GraphException(System.Net.HttpStatusCode.OK, "InvalidDeltaResponse", "A delta page had neither @odata.nextLink nor @odata.deltaLink.");
        }
    }
}
