using System.Globalization;
using System.Text.RegularExpressions;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph;

/// <summary>Events: CRUD (series, occurrences, exceptions), cancel, responses, instances, calendarView and its delta.</summary>
public static partial class EventEndpoints
{
    public static void MapEvents(this RouteGroupBuilder root)
    {
        foreach (var events in new[] { root.MapGroup("/events"), root.MapGroup("/calendar/events") })
        {
            events.MapPost("", Create);
            events.MapGet("", List);
            events.MapGet("/{id}", Get);
            events.MapPatch("/{id}", Update);
            events.MapDelete("/{id}", Delete);
            events.MapPost("/{id}/cancel", Cancel);
            events.MapPost("/{id}/accept", (HttpContext http, MailboxDirectory d, string id) => Respond(http, d, id, ResponseKind.Accepted));
            events.MapPost("/{id}/decline", (HttpContext http, MailboxDirectory d, string id) => Respond(http, d, id, ResponseKind.Declined));
            events.MapPost("/{id}/tentativelyAccept", (HttpContext http, MailboxDirectory d, string id) => Respond(http, d, id, ResponseKind.TentativelyAccepted));
            events.MapGet("/{id}/instances", Instances);
        }
        foreach (var view in new[] { root.MapGroup("/calendarView"), root.MapGroup("/calendar/calendarView") })
        {
            view.MapGet("", CalendarView);
            view.MapGet("/delta", CalendarViewDelta);
        }
    }

    private static async Task<IResult> Create(HttpContext http, MailboxDirectory directory)
    {
        var (body, error) = await http.ReadBody<Event>();
        if (error is not null) return error;
        try
        {
            var (item, field, problem) = GraphMapping.FromNewEvent(body!);
            if (item is null) return GraphErrors.BadRequest($"{field}: {problem}", "ErrorInvalidRequest");
            var created = directory.CreateEvent(http.Mailbox(), item);
            return GraphHttp.Json(GraphMapping.ToEvent(created, http.OutputZone(), WantsExtendedProperties(http) || created.ExtendedProperties.Count > 0), 201);
        }
        catch (FormatException e) { return GraphErrors.BadRequest(e.Message); }
    }

    private static IResult Get(HttpContext http, string id)
    {
        var mailbox = http.Mailbox();
        if (mailbox.Find<CalendarItem>(id) is { } item) return GraphHttp.Json(GraphMapping.ToEvent(item, http.OutputZone(), WantsExtendedProperties(http)));
        if (FindOccurrence(mailbox, id) is { } o) return GraphHttp.Json(GraphMapping.ToEvent(o.Master, o.Occurrence, http.OutputZone()));
        return GraphErrors.NotFound();
    }

    private static async Task<IResult> Update(HttpContext http, MailboxDirectory directory, string id)
    {
        var (body, error) = await http.ReadBody<Event>();
        if (error is not null) return error;
        var mailbox = http.Mailbox();
        var ifMatch = IfMatch(http);
        try
        {
            if (mailbox.Find<CalendarItem>(id) is not null)
            {
                var result = directory.UpdateEvent(mailbox, id, item => GraphMapping.Patch(item, body!), ifMatch);
                return result.Outcome switch
                {
                    UpdateOutcome.Updated => GraphHttp.Json(GraphMapping.ToEvent(result.Item!, http.OutputZone(), WantsExtendedProperties(http))),
                    UpdateOutcome.ChangeKeyMismatch => GraphErrors.Error(412, "ErrorIrresolvableConflict", "The change key passed in the request does not match the current change key for the item."),
                    _ => GraphErrors.NotFound(),
                };
            }
            if (FindOccurrence(mailbox, id) is not { } o) return GraphErrors.NotFound();
            // Changing one occurrence makes (or changes) an exception of the series.
            var updated = directory.UpdateEvent(mailbox, o.Master.Id, master =>
            {
                var existing = master.Exceptions.FirstOrDefault(x => x.OriginalStart == o.Occurrence.OriginalStart);
                var exception = new OccurrenceException(o.Occurrence.OriginalStart,
                    body!.Start?.DateTime is not null ? body.Start.ToInstant() : o.Occurrence.Start,
                    body.End?.DateTime is not null ? body.End.ToInstant() : o.Occurrence.End,
                    body.Subject ?? existing?.Subject, body.Location?.DisplayName ?? existing?.Location, "CQAAA" + Guid.NewGuid().ToString("N")[..12]);
                return master with { Exceptions = [.. master.Exceptions.Where(x => x.OriginalStart != exception.OriginalStart), exception] };
            });
            var occurrence = RecurrenceExpander.Expand(updated.Item!, o.Occurrence.OriginalStart.AddDays(-400), o.Occurrence.OriginalStart.AddDays(400))
                .First(x => x.OriginalStart == o.Occurrence.OriginalStart);
            return GraphHttp.Json(GraphMapping.ToEvent(updated.Item!, occurrence, http.OutputZone()));
        }
        catch (FormatException e) { return GraphErrors.BadRequest(e.Message); }
    }

    private static IResult Delete(HttpContext http, MailboxDirectory directory, string id)
    {
        var mailbox = http.Mailbox();
        if (mailbox.Find<CalendarItem>(id) is not null) return directory.DeleteEvent(mailbox, id) ? Results.NoContent() : GraphErrors.NotFound();
        if (FindOccurrence(mailbox, id) is not { } o) return GraphErrors.NotFound();
        directory.UpdateEvent(mailbox, o.Master.Id, m => m with
        {
            DeletedOccurrences = [.. m.DeletedOccurrences, o.Occurrence.OriginalStart],
            Exceptions = m.Exceptions.Where(x => x.OriginalStart != o.Occurrence.OriginalStart).ToList(),
        });
        return Results.NoContent();
    }

    private static IResult Cancel(HttpContext http, MailboxDirectory directory, string id) =>
        directory.CancelEvent(http.Mailbox(), id) switch
        {
            CancelOutcome.Cancelled => Results.Accepted(),
            CancelOutcome.NotOrganizer => GraphErrors.BadRequest("Your request can't be completed. You need to be an organizer to cancel a meeting.", "ErrorAccessDenied"),
            _ => GraphErrors.NotFound(),
        };

    private static IResult Respond(HttpContext http, MailboxDirectory directory, string id, ResponseKind response)
    {
        var mailbox = http.Mailbox();
        if (mailbox.Find<CalendarItem>(id) is not { } item) return GraphErrors.NotFound();
        if (item.IsOrganizer) return GraphErrors.BadRequest("Your request can't be completed. The meeting organizer can't respond to their own meeting.");
        directory.Respond(mailbox, id, response);
        return Results.Accepted();
    }

    private static IResult List(HttpContext http)
    {
        var mailbox = http.Mailbox();
        var items = mailbox.Items<CalendarItem>(mailbox.Calendar.Id).AsEnumerable();
        var filter = http.Request.Query["$filter"].ToString();
        if (filter.Length > 0)
        {
            var match = ExtendedPropertyFilter().Match(filter);
            var iCal = ICalUIdFilter().Match(filter);
            if (match.Success && ExtendedPropertyKey.Normalize(match.Groups["id"].Value) is { } key)
            {
                var value = match.Groups["value"].Value.Replace("''", "'");
                items = items.Where(i => i.ExtendedProperties.TryGetValue(key, out var v) && v == value);
            }
            else if (iCal.Success) items = items.Where(i => i.ICalUId == iCal.Groups["uid"].Value);
            else return GraphErrors.BadRequest($"The $filter '{filter}' is not supported by the simulator.", "ErrorInvalidUrlQueryFilter");
        }
        var zone = http.OutputZone();
        var withProps = WantsExtendedProperties(http);
        return Paged(http, items.Select(i => (object)GraphMapping.ToEvent(i, zone, withProps)).ToList(), 10);
    }

    private static IResult Instances(HttpContext http, string id)
    {
        if (!Window(http, out var start, out var end, out var error)) return error!;
        if (http.Mailbox().Find<CalendarItem>(id) is not { } master) return GraphErrors.NotFound();
        var zone = http.OutputZone();
        var list = master.Recurrence is null
            ? (master.Start < end && master.End > start ? [GraphMapping.ToEvent(master, zone, false)] : new List<Event>())
            : RecurrenceExpander.Expand(master, start, end).Select(o => GraphMapping.ToEvent(master, o, zone)).ToList();
        return Paged(http, list.Cast<object>().ToList(), 10);
    }

    private static IResult CalendarView(HttpContext http)
    {
        if (!Window(http, out var start, out var end, out var error)) return error!;
        var mailbox = http.Mailbox();
        return Paged(http, ExpandWindow(mailbox.Items<CalendarItem>(mailbox.Calendar.Id), start, end, http.OutputZone()).Cast<object>().ToList(), 10);
    }

    /// <summary>calendarView/delta: the first round lists every instance in the window, later rounds what changed
    /// since the token, deletions as <c>@removed</c>. A token older than an invalidation answers 410.</summary>
    private static IResult CalendarViewDelta(HttpContext http)
    {
        var mailbox = http.Mailbox();
        var folder = mailbox.Calendar.Id;
        var state = DeltaPaging.Begin(http, mailbox, folder, out var error, needsWindow: true);
        if (state is null) return error!;
        var zone = http.OutputZone();
        var (start, end) = (state.Start!.Value, state.End!.Value);
        return DeltaPaging.Page(http, mailbox, state,
            initial: () => ExpandWindow(mailbox.ItemsAt<CalendarItem>(folder, state.Next), start, end, zone).Cast<object>().ToList(),
            changed: (entry, before) => ChangedInstances(entry, before, start, end, zone));
    }

    private static IEnumerable<object> ChangedInstances(ChangeEntry entry, MailItem? before, DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone)
    {
        var now = entry.Kind == ChangeKind.Deleted ? [] : ExpandWindow([(CalendarItem)entry.Snapshot], start, end, zone);
        var previous = before is CalendarItem b ? ExpandWindow([b], start, end, zone) : [];
        var nowIds = now.Select(e => e.Id).ToHashSet();
        foreach (var e in now) yield return e;
        foreach (var gone in previous.Where(p => !nowIds.Contains(p.Id)))
            yield return Removed(gone.Id!);
        if (entry.Kind == ChangeKind.Deleted && previous.Count == 0 && ((CalendarItem)entry.Snapshot).Recurrence is null)
            yield return Removed(entry.ItemId); // deleted outside what we can still expand: tell the client anyway
    }

    private static Event Removed(string id) => new() { ODataType = "#microsoft.graph.event", Id = id, Removed = new RemovedInfo { Reason = "deleted" } };

    private static List<Event> ExpandWindow(IEnumerable<CalendarItem> items, DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone)
    {
        var result = new List<(DateTimeOffset Start, Event Event)>();
        foreach (var item in items)
        {
            if (item.Recurrence is null)
            {
                if (item.Start < end && item.End > start) result.Add((item.Start, GraphMapping.ToEvent(item, zone, false)));
            }
            else
                result.AddRange(RecurrenceExpander.Expand(item, start, end).Select(o => (o.Start, GraphMapping.ToEvent(item, o, zone))));
        }
        return result.OrderBy(r => r.Start).ThenBy(r => r.Event.Id, StringComparer.Ordinal).Select(r => r.Event).ToList();
    }

    internal static bool Window(HttpContext http, out DateTimeOffset start, out DateTimeOffset end, out IResult? error)
    {
        var q = http.Request.Query;
        string? Param(string name) => q.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.FirstOrDefault();
        start = end = default;
        error = null;
        if (!DateTimeOffset.TryParse(Param("startDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start) ||
            !DateTimeOffset.TryParse(Param("endDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end))
        {
            error = GraphErrors.BadRequest("This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.", "ErrorInvalidParameter");
            return false;
        }
        return true;
    }

    internal static IResult Paged(HttpContext http, List<object> all, int defaultPageSize)
    {
        var size = http.PageSize(defaultPageSize);
        var skip = int.TryParse(http.Request.Query["$skip"], out var s) ? s : 0;
        var page = all.Skip(skip).Take(size).ToList();
        string? next = null;
        if (skip + size < all.Count)
        {
            var query = string.Join('&', http.Request.Query.Where(p => p.Key != "$skip").Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value.ToString())}").Append($"$skip={skip + size}"));
            next = http.LinkTo(query);
        }
        return GraphHttp.Json(new GraphPage<object> { NextLink = next, Value = page });
    }

    private static (CalendarItem Master, Occurrence Occurrence)? FindOccurrence(Mailbox mailbox, string id)
    {
        if (RecurrenceExpander.ParseOccurrenceId(id) is not { } parsed || mailbox.Find<CalendarItem>(parsed.MasterId) is not { Recurrence: not null } master)
            return null;
        if (master.DeletedOccurrences.Contains(parsed.OriginalStart)) return null;
        var occurrence = RecurrenceExpander.Expand(master, parsed.OriginalStart.AddDays(-400), parsed.OriginalStart.AddDays(400))
            .FirstOrDefault(o => o.OriginalStart == parsed.OriginalStart);
        return occurrence is null ? null : (master, occurrence);
    }

    private static bool WantsExtendedProperties(HttpContext http) =>
        http.Request.Query["$expand"].ToString().Contains("singleValueExtendedProperties", StringComparison.OrdinalIgnoreCase);

    private static string? IfMatch(HttpContext http) =>
        http.Request.Headers.IfMatch.FirstOrDefault() is { Length: > 0 } v ? v.Replace("W/", "").Trim('"') : null;

    [GeneratedRegex(@"singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*\1/id\s+eq\s+'(?<id>[^']+)'\s+and\s+\1/value\s+eq\s+'(?<value>(?:[^']|'')*)'\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ExtendedPropertyFilter();

    [GeneratedRegex(@"iCalUId\s+eq\s+'(?<uid>[^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex ICalUIdFilter();
}
