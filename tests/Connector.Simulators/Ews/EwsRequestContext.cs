using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>One authenticated EWS request: who is calling, which schema version the server speaks, and lookups.</summary>
internal sealed class EwsRequestContext(Mailbox user, MailboxDirectory directory, SimulatedVersion version, HttpContext http)
{
    public Mailbox User { get; } = user;
    public MailboxDirectory Directory { get; } = directory;
    public SimulatedVersion Version { get; } = version;
    public HttpContext Http { get; } = http;

    /// <summary>A DistinguishedFolderId (optionally of another mailbox) or a FolderId.</summary>
    public (Mailbox Mailbox, MailFolder Folder) ResolveFolder(XElement folderId)
    {
        if (folderId.Name.LocalName == "DistinguishedFolderId")
        {
            var owner = folderId.Element(T + "Mailbox")?.Text("EmailAddress") is { } address
                ? Directory.Find(address) ?? throw new EwsSimError("ErrorNonExistentMailbox", $"No mailbox {address}.")
                : User;
            var folder = (string?)folderId.Attribute("Id") switch
            {
                "calendar" => owner.Calendar,
                "tasks" => owner.Tasks,
                "contacts" => owner.Contacts,
                var other => throw new EwsSimError("ErrorFolderNotFound", $"The simulator has no '{other}' folder."),
            };
            return (owner, folder);
        }
        var id = (string?)folderId.Attribute("Id") ?? "";
        foreach (var mailbox in MailboxesUserFirst())
            if (mailbox.FindFolder(id) is { } found) return (mailbox, found);
        throw new EwsSimError("ErrorFolderNotFound", "The folder id does not exist.");
    }

    /// <summary>Finds an item by id in the caller's mailbox first, then in the others (delegate access).</summary>
    public (Mailbox Mailbox, MailItem Item)? FindItem(string id)
    {
        foreach (var mailbox in MailboxesUserFirst())
            if (mailbox.Find<MailItem>(id) is { } item) return (mailbox, item);
        return null;
    }

    private IEnumerable<Mailbox> MailboxesUserFirst() => Directory.All.OrderBy(m => m == User ? 0 : 1);
}
