using Connector.Exchange.Graph.Models;
using Connector.Simulators.Mailboxes;
using LinkedResource = Connector.Exchange.Graph.Models.LinkedResource;

namespace Connector.Simulators.Graph;

/// <summary>To Do: lists (the default "Tasks" list is the mailbox's task folder), tasks, linkedResources, delta.</summary>
public static class TodoEndpoints
{
    public static void MapTodo(this RouteGroupBuilder root)
    {
        var lists = root.MapGroup("/todo/lists");
        lists.MapGet("", (HttpContext http) => GraphHttp.Json(new GraphPage<TodoTaskList>
        {
            Value = http.Mailbox().Folders(FolderKind.Tasks).Select(ToList).ToList(),
        }));
        lists.MapPost("", async (HttpContext http) =>
        {
            var (body, error) = await http.ReadBody<TodoTaskList>();
            if (error is not null) return error;
            if (string.IsNullOrWhiteSpace(body!.DisplayName)) return GraphErrors.BadRequest("displayName is required.");
            return GraphHttp.Json(ToList(http.Mailbox().AddFolder(FolderKind.Tasks, body.DisplayName)), 201);
        });
        lists.MapGet("/{listId}", (HttpContext http, string listId) =>
            List(http, listId) is { } f ? GraphHttp.Json(ToList(f)) : GraphErrors.NotFound());
        lists.MapDelete("/{listId}", (HttpContext http, string listId) =>
            http.Mailbox().DeleteFolder(listId) ? Results.NoContent() : GraphErrors.NotFound());

        var tasks = lists.MapGroup("/{listId}/tasks");
        tasks.MapGet("", (HttpContext http, string listId) => List(http, listId) is { } f
            ? EventEndpoints.Paged(http, http.Mailbox().Items<TaskItem>(f.Id).Select(t => (object)GraphMapping.ToTask(t, http.OutputZone())).ToList(), 10)
            : GraphErrors.NotFound());
        tasks.MapPost("", async (HttpContext http, string listId) =>
        {
            if (List(http, listId) is not { } folder) return GraphErrors.NotFound();
            var (body, error) = await http.ReadBody<TodoTask>();
            if (error is not null) return error;
            if (string.IsNullOrWhiteSpace(body!.Title)) return GraphErrors.BadRequest("title is required.");
            try
            {
                var item = GraphMapping.PatchTask(new TaskItem { Id = "", FolderId = "" }, body);
                return GraphHttp.Json(GraphMapping.ToTask(http.Mailbox().Create(folder.Id, item), http.OutputZone()), 201);
            }
            catch (FormatException e) { return GraphErrors.BadRequest(e.Message); }
        });
        tasks.MapGet("/delta", (HttpContext http, string listId) =>
        {
            if (List(http, listId) is not { } folder) return GraphErrors.NotFound();
            var mailbox = http.Mailbox();
            var state = DeltaPaging.Begin(http, mailbox, folder.Id, out var error, needsWindow: false);
            if (state is null) return error!;
            var zone = http.OutputZone();
            return DeltaPaging.Page(http, mailbox, state,
                initial: () => mailbox.ItemsAt<TaskItem>(folder.Id, state.Next).Select(t => (object)GraphMapping.ToTask(t, zone)).ToList(),
                changed: (entry, _) => [entry.Kind == ChangeKind.Deleted
                    ? new TodoTask { ODataType = "#microsoft.graph.todoTask", Id = entry.ItemId, Removed = new RemovedInfo { Reason = "deleted" } }
                    : GraphMapping.ToTask((TaskItem)entry.Snapshot, zone)]);
        });
        tasks.MapGet("/{taskId}", (HttpContext http, string listId, string taskId) =>
            Task(http, listId, taskId) is { } t ? GraphHttp.Json(GraphMapping.ToTask(t, http.OutputZone())) : GraphErrors.NotFound());
        tasks.MapPatch("/{taskId}", async (HttpContext http, string listId, string taskId) =>
        {
            if (Task(http, listId, taskId) is null) return GraphErrors.NotFound();
            var (body, error) = await http.ReadBody<TodoTask>();
            if (error is not null) return error;
            try
            {
                var result = http.Mailbox().Update<TaskItem>(taskId, t => GraphMapping.PatchTask(t, body!));
                return result.Item is { } t ? GraphHttp.Json(GraphMapping.ToTask(t, http.OutputZone())) : GraphErrors.NotFound();
            }
            catch (FormatException e) { return GraphErrors.BadRequest(e.Message); }
        });
        tasks.MapDelete("/{taskId}", (HttpContext http, string listId, string taskId) =>
            Task(http, listId, taskId) is not null && http.Mailbox().Delete(taskId) ? Results.NoContent() : GraphErrors.NotFound());

        var links = tasks.MapGroup("/{taskId}/linkedResources");
        links.MapGet("", (HttpContext http, string listId, string taskId) => Task(http, listId, taskId) is { } t
            ? GraphHttp.Json(new GraphPage<LinkedResource> { Value = t.LinkedResources.Select(GraphMapping.ToLinkedResource).ToList() })
            : GraphErrors.NotFound());
        links.MapPost("", async (HttpContext http, string listId, string taskId) =>
        {
            if (Task(http, listId, taskId) is null) return GraphErrors.NotFound();
            var (body, error) = await http.ReadBody<LinkedResource>();
            if (error is not null) return error;
            var link = GraphMapping.FromLinkedResource(body!);
            http.Mailbox().Update<TaskItem>(taskId, t => t with { LinkedResources = [.. t.LinkedResources, link] });
            return GraphHttp.Json(GraphMapping.ToLinkedResource(link), 201);
        });
        links.MapDelete("/{linkId}", (HttpContext http, string listId, string taskId, string linkId) =>
        {
            if (Task(http, listId, taskId) is not { } t || t.LinkedResources.All(l => l.Id != linkId)) return GraphErrors.NotFound();
            http.Mailbox().Update<TaskItem>(taskId, x => x with { LinkedResources = x.LinkedResources.Where(l => l.Id != linkId).ToList() });
            return Results.NoContent();
        });
    }

    private static TodoTaskList ToList(MailFolder f) => new()
    {
        Id = f.Id, DisplayName = f.DisplayName, IsOwner = true, IsShared = false, WellknownListName = f.IsDefault ? "defaultList" : "none",
    };

    private static MailFolder? List(HttpContext http, string listId) => http.Mailbox().FindFolder(listId) is { Kind: FolderKind.Tasks } f ? f : null;

    private static TaskItem? Task(HttpContext http, string listId, string taskId) =>
        http.Mailbox().Find<TaskItem>(taskId) is { } t && t.FolderId == listId ? t : null;
}
