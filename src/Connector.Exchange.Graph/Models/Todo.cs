namespace Connector.Exchange.Graph.Models;

public sealed class TodoTaskList : GraphEntity
{
    public string? Id { get; set; }
    public string? DisplayName { get; set; }
    public bool? IsOwner { get; set; }
    public bool? IsShared { get; set; }
    /// <summary>none, defaultList, flaggedEmails, unknownFutureValue.</summary>
    public string? WellknownListName { get; set; }
}

public sealed class TodoTask : GraphEntity
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public ItemBody? Body { get; set; }
    /// <summary>notStarted, inProgress, completed, waitingOnOthers, deferred.</summary>
    public string? Status { get; set; }
    public string? Importance { get; set; }
    public bool? IsReminderOn { get; set; }
    public DateTimeTimeZone? ReminderDateTime { get; set; }
    public DateTimeTimeZone? StartDateTime { get; set; }
    public DateTimeTimeZone? DueDateTime { get; set; }
    public DateTimeTimeZone? CompletedDateTime { get; set; }
    public DateTimeOffset? CreatedDateTime { get; set; }
    public DateTimeOffset? LastModifiedDateTime { get; set; }
    public List<string>? Categories { get; set; }
    public List<LinkedResource>? LinkedResources { get; set; }
}

/// <summary>Where the connector stamps the CRM id of a task (To Do has no extended properties).</summary>
public sealed class LinkedResource : GraphEntity
{
    public string? Id { get; set; }
    public string? WebUrl { get; set; }
    public string? ApplicationName { get; set; }
    public string? DisplayName { get; set; }
    public string? ExternalId { get; set; }
}
