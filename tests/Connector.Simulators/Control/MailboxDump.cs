using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Control;

/// <summary>The read-only view of a mailbox for tests and the demo run (never writable through here).</summary>
public static class MailboxDump
{
    /// <summary>Enums as names, so a dump reads like Exchange ("Accepted", "Busy"), not numbers.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static object Summary(Mailbox m) => new { address = m.Address, displayName = m.DisplayName };

    public static object Full(Mailbox m) => new
    {
        address = m.Address,
        displayName = m.DisplayName,
        folders = Enum.GetValues<FolderKind>().SelectMany(m.Folders).Select(f => new
        {
            id = f.Id, kind = f.Kind.ToString(), displayName = f.DisplayName, isDefault = f.IsDefault,
            position = m.Position(f.Id).Sequence,
            items = m.AllItems().Where(i => i.FolderId == f.Id).Select(i => (object)i).ToList(),
        }),
    };
}
