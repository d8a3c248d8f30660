using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>
/// What SyncFolderItems answers about an item when asked for a <see cref="SummaryShape"/>: its id with the current
/// ChangeKey and the few properties that identify it (subject, times, UID, the CRM-id stamp). Not the item: SyncFolderItems,
/// like FindItem, cannot return the body, the attendees or a series' recurrence; a full read is a GetItem.
/// </summary>
public sealed record ItemSummary
{
    public required EwsItemId Id { get; init; }
    /// <summary>The item element's name: CalendarItem, Task, Contact (or another item type the folder holds).</summary>
    public required string ItemType { get; init; }
    public string? Subject { get; init; }
    public string? CrmId { get; init; }

    // Calendar items
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public bool IsAllDay { get; init; }
    public string? Uid { get; init; }
    /// <summary>Single, Occurrence, Exception or RecurringMaster.</summary>
    public string? CalendarItemType { get; init; }

    // Tasks
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? DueDate { get; init; }

    // Contacts
    public string? GivenName { get; init; }
    public string? Surname { get; init; }

    public bool IsRecurringMaster => CalendarItemType == "RecurringMaster";

    internal static ItemSummary Parse(XElement item) => new()
    {
        Id = EwsItemId.From(item.Element(Ns.T + "ItemId")!),
        ItemType = item.Name.LocalName,
        Subject = item.Text("Subject"),
        CrmId = CrmIdProperty.Read(item),
        Start = item.Time("Start"),
        End = item.Time("End"),
        IsAllDay = item.Bool("IsAllDayEvent") ?? false,
        Uid = item.Text("UID"),
        CalendarItemType = item.Text("CalendarItemType"),
        StartDate = item.Time("StartDate"),
        DueDate = item.Time("DueDate"),
        GivenName = item.Text("GivenName"),
        Surname = item.Text("Surname"),
    };
}

/// <summary>
/// The properties SyncFolderItems is asked for (<c>IdOnly</c> + <c>AdditionalProperties</c>): only ones FindItem can
/// return too, enough to match an item to a CRM record (stamp, UID, subject + time) and to window it.
/// </summary>
public sealed class SummaryShape
{
    private SummaryShape(params XElement[] properties) => Properties = properties;

    internal IReadOnlyList<XElement> Properties { get; }

    public static SummaryShape Calendar { get; } = new(
        Uri("item:Subject"), CrmIdProperty.FieldUri(),
        Uri("calendar:Start"), Uri("calendar:End"), Uri("calendar:IsAllDayEvent"), Uri("calendar:UID"), Uri("calendar:CalendarItemType"));

    public static SummaryShape Tasks { get; } = new(Uri("item:Subject"), CrmIdProperty.FieldUri(), Uri("task:StartDate"), Uri("task:DueDate"));

    public static SummaryShape Contacts { get; } = new(CrmIdProperty.FieldUri(), Uri("contacts:GivenName"), Uri("contacts:Surname"));

    internal XElement ToItemShape() => new(Ns.M + "ItemShape",
        new XElement(Ns.T + "BaseShape", "IdOnly"),
        new XElement(Ns.T + "AdditionalProperties", Properties.Select(p => new XElement(p))));

    private static XElement Uri(string fieldUri) => ItemField.Uri(fieldUri, null).Path;
}
