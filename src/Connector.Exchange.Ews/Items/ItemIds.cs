using System.Globalization;
using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>Something an item operation can target: a plain item, or one occurrence of a series.</summary>
public abstract record ItemRef
{
    internal abstract XElement ToXml();
}

/// <summary>An item's id with the ChangeKey of the version we last saw (UpdateItem needs the current one).</summary>
public sealed record EwsItemId(string Id, string? ChangeKey = null) : ItemRef
{
    internal override XElement ToXml() => new(Ns.T + "ItemId", new XAttribute("Id", Id),
        ChangeKey is null ? null : new XAttribute("ChangeKey", ChangeKey));

    internal static EwsItemId From(XElement itemId) => new((string)itemId.Attribute("Id")!, (string?)itemId.Attribute("ChangeKey"));
}

/// <summary>The n-th (1-based) occurrence of a recurring series, addressed through its master.</summary>
public sealed record OccurrenceRef(string RecurringMasterId, int InstanceIndex, string? ChangeKey = null) : ItemRef
{
    internal override XElement ToXml() => new(Ns.T + "OccurrenceItemId",
        new XAttribute("RecurringMasterId", RecurringMasterId),
        ChangeKey is null ? null : new XAttribute("ChangeKey", ChangeKey),
        new XAttribute("InstanceIndex", InstanceIndex.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>The recurring master of the occurrence or exception with this id (GetItem answers with the master).</summary>
public sealed record RecurringMasterRef(string OccurrenceId, string? ChangeKey = null) : ItemRef
{
    internal override XElement ToXml() => new(Ns.T + "RecurringMasterItemId", new XAttribute("OccurrenceId", OccurrenceId),
        ChangeKey is null ? null : new XAttribute("ChangeKey", ChangeKey));
}

/// <summary>A folder: a well-known one (<c>calendar</c>, <c>tasks</c>, <c>contacts</c>) or one by id.</summary>
public sealed record FolderRef(string Id, bool Distinguished, string? Mailbox = null)
{
    public static FolderRef Calendar { get; } = WellKnown("calendar");
    public static FolderRef Tasks { get; } = WellKnown("tasks");
    public static FolderRef Contacts { get; } = WellKnown("contacts");
    public static FolderRef WellKnown(string name, string? mailbox = null) => new(name, true, mailbox);
    public static FolderRef ById(string id) => new(id, false);

    internal XElement ToXml() => Distinguished
        ? new XElement(Ns.T + "DistinguishedFolderId", new XAttribute("Id", Id),
            Mailbox is null ? null : new XElement(Ns.T + "Mailbox", new XElement(Ns.T + "EmailAddress", Mailbox)))
        : new XElement(Ns.T + "FolderId", new XAttribute("Id", Id));
}
