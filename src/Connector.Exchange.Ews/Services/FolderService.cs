using System.Xml.Linq;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Services;

/// <summary>Finds or creates the dedicated contacts folder ("vtenext") under the mailbox's Contacts.</summary>
internal sealed class FolderService(EwsTransport transport)
{
    public async Task<FolderRef> EnsureContactsFolderAsync(string displayName, CancellationToken ct)
    {
        var find = new XElement(Ns.M + "FindFolder", new XAttribute("Traversal", "Shallow"),
            new XElement(Ns.M + "FolderShape", new XElement(Ns.T + "BaseShape", "Default")),
            new XElement(Ns.M + "ParentFolderIds", FolderRef.Contacts.ToXml()));
        var found = ResponseMessages.EnsureSuccess(ResponseMessages.All(await transport.SendAsync(find, ct: ct)).Single());
        var existing = found.Descendants(Ns.T + "ContactsFolder").Concat(found.Descendants(Ns.T + "Folder"))
            .FirstOrDefault(f => (string?)f.Element(Ns.T + "DisplayName") == displayName);
        if (existing is not null) return FolderRef.ById((string)existing.Element(Ns.T + "FolderId")!.Attribute("Id")!);

        var create = new XElement(Ns.M + "CreateFolder",
            new XElement(Ns.M + "ParentFolderId", FolderRef.Contacts.ToXml()),
            new XElement(Ns.M + "Folders", new XElement(Ns.T + "ContactsFolder", new XElement(Ns.T + "DisplayName", displayName))));
        var created = ResponseMessages.EnsureSuccess(ResponseMessages.All(await transport.SendAsync(create, ct: ct)).Single());
        return FolderRef.ById((string)created.Descendants(Ns.T + "FolderId").First().Attribute("Id")!);
    }
}
