using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

/// <summary>A task. Status: NotStarted, InProgress, Completed, WaitingOnOthers, Deferred.</summary>
public sealed record TaskItem
{
    public EwsItemId? Id { get; init; }
    public required string Subject { get; init; }
    public string? Body { get; init; }
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? DueDate { get; init; }
    public string Status { get; init; } = "NotStarted";
    /// <summary>Low, Normal or High (the item's Importance).</summary>
    public string? Importance { get; init; }
    public double? PercentComplete { get; init; }
    public string? CrmId { get; init; }

    internal IEnumerable<ItemField> Fields()
    {
        yield return ItemField.Uri("item:Subject", X.T("Subject", Subject));
        yield return ItemField.Uri("item:Body", Body is null ? null : X.T("Body", new XAttribute("BodyType", "Text"), Body));
        if (Importance is not null) yield return ItemField.Uri("item:Importance", X.T("Importance", Importance));
        if (CrmId is not null) yield return new ItemField(CrmIdProperty.FieldUri(), CrmIdProperty.Value(CrmId));
        yield return ItemField.Uri("task:DueDate", DueDate is { } due ? X.T("DueDate", EwsTime.Format(due)) : null);
        if (PercentComplete is { } percent) yield return ItemField.Uri("task:PercentComplete", X.T("PercentComplete", percent));
        yield return ItemField.Uri("task:StartDate", StartDate is { } start ? X.T("StartDate", EwsTime.Format(start)) : null);
        yield return ItemField.Uri("task:Status", X.T("Status", Status));
    }

    internal static TaskItem Parse(XElement item) => new()
    {
        Id = item.Element(Ns.T + "ItemId") is { } id ? EwsItemId.From(id) : null,
        Subject = item.Text("Subject") ?? "",
        Body = item.Text("Body"),
        StartDate = item.Time("StartDate"),
        DueDate = item.Time("DueDate"),
        Status = item.Text("Status") ?? "NotStarted",
        Importance = item.Text("Importance"),
        PercentComplete = (double?)item.Element(Ns.T + "PercentComplete"),
        CrmId = CrmIdProperty.Read(item),
    };
}
