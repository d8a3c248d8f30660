using System.Text.RegularExpressions;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph;

/// <summary>Contacts in the default folder (<c>/contacts</c>) and in named folders (<c>/contactFolders/{id}/contacts</c>), with delta.</summary>
public static partial class ContactEndpoints
{
    public static void MapContacts(this RouteGroupBuilder root)
    {
        var folders = root.MapGroup("/contactFolders");
        folders.MapGet("", (HttpContext http) =>
        {
            var all = http.Mailbox().Folders(FolderKind.Contacts).Where(f => !f.IsDefault);
            var filter = http.Request.Query["$filter"].ToString();
            if (filter.Length > 0)
            {
                if (DisplayNameFilter().Match(filter) is not { Success: true } m)
                    return GraphErrors.BadRequest($"The $filter '{filter}' is not supported by the simulator.", "ErrorInvalidUrlQueryFilter");
                all = all.Where(f => f.DisplayName.Equals(m.Groups["name"].Value.Replace("''", "'"), StringComparison.OrdinalIgnoreCase));
            }
            return GraphHttp.Json(new GraphPage<ContactFolder> { Value = all.Select(f => ToFolder(http.Mailbox(), f)).ToList() });
        });
        folders.MapPost("", async (HttpContext http) =>
        {
            var (body, error) = await http.ReadBody<ContactFolder>();
            if (error is not null) return error;
            if (string.IsNullOrWhiteSpace(body!.DisplayName)) return GraphErrors.BadRequest("displayName is required.");
            var mailbox = http.Mailbox();
            if (mailbox.Folders(FolderKind.Contacts).Any(f => f.DisplayName.Equals(body.DisplayName, StringComparison.OrdinalIgnoreCase)))
                return GraphErrors.Error(409, "ErrorFolderExists", "A folder with the specified name already exists.");
            return GraphHttp.Json(ToFolder(mailbox, mailbox.AddFolder(FolderKind.Contacts, body.DisplayName, parentId: mailbox.Contacts.Id)), 201);
        });
        folders.MapGet("/{folderId}", (HttpContext http, string folderId) =>
            Folder(http, folderId) is { } f ? GraphHttp.Json(ToFolder(http.Mailbox(), f)) : GraphErrors.NotFound());
        folders.MapDelete("/{folderId}", (HttpContext http, string folderId) =>
            Folder(http, folderId) is not null && http.Mailbox().DeleteFolder(folderId) ? Results.NoContent() : GraphErrors.NotFound());
        MapContactItems(folders.MapGroup("/{folderId}/contacts"));
        MapContactItems(root.MapGroup("/contacts"));
    }

    private static void MapContactItems(RouteGroupBuilder contacts)
    {
        contacts.MapGet("", (HttpContext http) =>
        {
            if (FolderOf(http) is not { } folder) return GraphErrors.NotFound();
            var items = http.Mailbox().Items<ContactItem>(folder.Id).AsEnumerable();
            var filter = http.Request.Query["$filter"].ToString();
            if (filter.Length > 0)
            {
                if (ExtendedPropertyFilter().Match(filter) is not { Success: true } m || ExtendedPropertyKey.Normalize(m.Groups["id"].Value) is not { } key)
                    return GraphErrors.BadRequest($"The $filter '{filter}' is not supported by the simulator.", "ErrorInvalidUrlQueryFilter");
                var value = m.Groups["value"].Value.Replace("''", "'");
                items = items.Where(i => i.ExtendedProperties.TryGetValue(key, out var v) && v == value);
            }
            return EventEndpoints.Paged(http, items.Select(c => (object)GraphMapping.ToContact(c)).ToList(), 10);
        });
        contacts.MapPost("", async (HttpContext http) =>
        {
            if (FolderOf(http) is not { } folder) return GraphErrors.NotFound();
            var (body, error) = await http.ReadBody<Contact>();
            if (error is not null) return error;
            var item = GraphMapping.PatchContact(new ContactItem { Id = "", FolderId = "" }, body!);
            return GraphHttp.Json(GraphMapping.ToContact(http.Mailbox().Create(folder.Id, item)), 201);
        });
        contacts.MapGet("/delta", (HttpContext http) =>
        {
            if (FolderOf(http) is not { } folder) return GraphErrors.NotFound();
            var mailbox = http.Mailbox();
            var state = DeltaPaging.Begin(http, mailbox, folder.Id, out var error, needsWindow: false);
            if (state is null) return error!;
            return DeltaPaging.Page(http, mailbox, state,
                initial: () => mailbox.ItemsAt<ContactItem>(folder.Id, state.Next).Select(c => (object)GraphMapping.ToContact(c)).ToList(),
                changed: (entry, _) => [entry.Kind == ChangeKind.Deleted
                    ? new Contact { ODataType = "#microsoft.graph.contact", Id = entry.ItemId, Removed = new RemovedInfo { Reason = "deleted" } }
                    : GraphMapping.ToContact((ContactItem)entry.Snapshot)]);
        });
        contacts.MapGet("/{id}", (HttpContext http, string id) =>
            Contact(http, id) is { } c ? GraphHttp.Json(GraphMapping.ToContact(c)) : GraphErrors.NotFound());
        contacts.MapPatch("/{id}", async (HttpContext http, string id) =>
        {
            if (Contact(http, id) is null) return GraphErrors.NotFound();
            var (body, error) = await http.ReadBody<Contact>();
            if (error is not null) return error;
            var result = http.Mailbox().Update<ContactItem>(id, c => GraphMapping.PatchContact(c, body!));
            return result.Item is { } updated ? GraphHttp.Json(GraphMapping.ToContact(updated)) : GraphErrors.NotFound();
        });
        contacts.MapDelete("/{id}", (HttpContext http, string id) =>
            Contact(http, id) is not null && http.Mailbox().Delete(id) ? Results.NoContent() : GraphErrors.NotFound());
    }

    private static ContactFolder ToFolder(Mailbox m, MailFolder f) => new() { Id = f.Id, DisplayName = f.DisplayName, ParentFolderId = f.ParentId ?? m.Contacts.Id };

    private static MailFolder? Folder(HttpContext http, string folderId) =>
        http.Mailbox().FindFolder(folderId) is { Kind: FolderKind.Contacts } f ? f : null;

    // /contacts is the default folder; /contactFolders/{folderId}/contacts a named one.
    private static MailFolder? FolderOf(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("folderId", out var id) && id is string folderId ? Folder(http, folderId) : http.Mailbox().Contacts;

    private static ContactItem? Contact(HttpContext http, string id) =>
        http.Mailbox().Find<ContactItem>(id) is { } c && FolderOf(http) is { } f && (c.FolderId == f.Id || !http.Request.RouteValues.ContainsKey("folderId")) ? c : null;

    [GeneratedRegex(@"displayName\s+eq\s+'(?<name>(?:[^']|'')*)'", RegexOptions.IgnoreCase)]
    private static partial Regex DisplayNameFilter();

    [GeneratedRegex(@"singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*\1/id\s+eq\s+'(?<id>[^']+)'\s+and\s+\1/value\s+eq\s+'(?<value>(?:[^']|'')*)'\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ExtendedPropertyFilter();
}
