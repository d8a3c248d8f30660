namespace Connector.Exchange.Graph.Models;

/// <summary>Body of POST …/calendar/getSchedule.</summary>
public sealed class ScheduleRequest : GraphObject
{
    public List<string> Schedules { get; set; } = [];
    public DateTimeTimeZone? StartTime { get; set; }
    public DateTimeTimeZone? EndTime { get; set; }
    public int? AvailabilityViewInterval { get; set; }
}

public sealed class ScheduleInformation : GraphEntity
{
    public string? ScheduleId { get; set; }
    public string? AvailabilityView { get; set; }
    public List<ScheduleItem>? ScheduleItems { get; set; }
    public FreeBusyError? Error { get; set; }
}

public sealed class ScheduleItem : GraphObject
{
    public bool? IsPrivate { get; set; }
    /// <summary>free, tentative, busy, oof, workingElsewhere, unknown.</summary>
    public string? Status { get; set; }
    public string? Subject { get; set; }
    public string? Location { get; set; }
    public DateTimeTimeZone? Start { get; set; }
    public DateTimeTimeZone? End { get; set; }
}

public sealed class FreeBusyError : GraphObject
{
    public string? Message { get; set; }
    public string? ResponseCode { get; set; }
}
