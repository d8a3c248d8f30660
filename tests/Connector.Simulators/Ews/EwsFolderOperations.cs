using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>GetFolder, FindFolder (shallow) and CreateFolder: enough for well-known folders and the "vtenext" contacts folder.</summary>
internal static class EwsFolderOperations
{
    public static XElement GetFolder(EwsRequestContext ctx, XElement request)
    {
        var messages = request.Element(M + "FolderIds")!.Elements().Select(id => EwsItemOperations.Run("GetFolderResponseMessage", () =>
        {
            // The folder tree's top (clients such as exchangelib look it up first); it holds the well-known folders.
            if (id.Name.LocalName == "DistinguishedFolderId" && (string?)id.Attribute("Id") is "root" or "msgfolderroot")
                return [Mx("Folders", Tx("Folder", Tx("FolderId", new XAttribute("Id", "root-" + ctx.User.Address), new XAttribute("ChangeKey", "AQAAAA")),
                    Tx("DisplayName", (string)id.Attribute("Id")! == "root" ? "Root" : "Top of Information Store"), Tx("TotalCount", 0), Tx("ChildFolderCount", 3)))];
            var (mailbox, folder) = ctx.ResolveFolder(id);
            return [Mx("Folders", Write(mailbox, folder))];
        })).ToList();
        return Response("GetFolder", messages);
    }

    public static XElement FindFolder(EwsRequestContext ctx, XElement request)
    {
        var messages = request.Element(M + "ParentFolderIds")!.Elements().Select(id => EwsItemOperations.Run("FindFolderResponseMessage", () =>
        {
            var (mailbox, parent) = ctx.ResolveFolder(id);
            var children = mailbox.Folders(parent.Kind).Where(f => f.ParentId == parent.Id).ToList();
            return [Mx("RootFolder", new XAttribute("TotalItemsInView", children.Count), new XAttribute("IncludesLastItemInRange", true),
                Tx("Folders", children.Select(f => Write(mailbox, f))))];
        })).ToList();
        return Response("FindFolder", messages);
    }

    public static XElement CreateFolder(EwsRequestContext ctx, XElement request)
    {
        var (mailbox, parent) = ctx.ResolveFolder(request.Element(M + "ParentFolderId")!.Elements().First());
        var messages = request.Element(M + "Folders")!.Elements().Select(f => EwsItemOperations.Run("CreateFolderResponseMessage", () =>
        {
            var name = f.Text("DisplayName") ?? throw new EwsSimError("ErrorInvalidFolderId", "DisplayName is required.");
            if (mailbox.Folders(parent.Kind).Any(x => x.ParentId == parent.Id && x.DisplayName == name))
                throw new EwsSimError("ErrorFolderExists", "A folder with that name already exists.");
            var created = mailbox.AddFolder(parent.Kind, name, parentId: parent.Id);
            return [Mx("Folders", new XElement(T + f.Name.LocalName, Tx("FolderId", new XAttribute("Id", created.Id), new XAttribute("ChangeKey", "AQAAAA"))))];
        })).ToList();
        return Response("CreateFolder", messages);
    }

    private static XElement Write(Mailbox mailbox, MailFolder folder)
    {
        var (element, folderClass) = folder.Kind switch
        {
            FolderKind.Calendar => ("CalendarFolder", "IPF.Appointment"),
            FolderKind.Tasks => ("TasksFolder", "IPF.Task"),
            _ => ("ContactsFolder", "IPF.Contact"),
        };
        return new XElement(T + element,
            Tx("FolderId", new XAttribute("Id", folder.Id), new XAttribute("ChangeKey", "AQAAAA")),
            folder.ParentId is null ? null : Tx("ParentFolderId", new XAttribute("Id", folder.ParentId)),
            Tx("FolderClass", folderClass),
            Tx("DisplayName", folder.DisplayName),
            Tx("TotalCount", mailbox.Items<MailItem>(folder.Id).Count),
            Tx("ChildFolderCount", mailbox.Folders(folder.Kind).Count(f => f.ParentId == folder.Id)));
    }
}
