using System.Text.Json.Serialization;

namespace Connector.Exchange.Graph.Models;

/// <summary>microsoft.graph.event, the parts the connector reads and writes.</summary>
public sealed class Event : GraphEntity
{
    public string? Id { get; set; }
    public string? ChangeKey { get; set; }
    public DateTimeOffset? CreatedDateTime { get; set; }
    public DateTimeOffset? LastModifiedDateTime { get; set; }
    public string? TransactionId { get; set; }
    public string? Subject { get; set; }
    public ItemBody? Body { get; set; }
    public string? BodyPreview { get; set; }
    public DateTimeTimeZone? Start { get; set; }
    public DateTimeTimeZone? End { get; set; }
    public string? OriginalStartTimeZone { get; set; }
    public string? OriginalEndTimeZone { get; set; }
    public DateTimeOffset? OriginalStart { get; set; }
    public bool? IsAllDay { get; set; }
    public Location? Location { get; set; }
    public string? ShowAs { get; set; }
    public string? Sensitivity { get; set; }
    public string? Importance { get; set; }
    public List<string>? Categories { get; set; }
    [JsonPropertyName("iCalUId")] public string? ICalUId { get; set; }
    public Recipient? Organizer { get; set; }
    public List<Attendee>? Attendees { get; set; }
    public ResponseStatus? ResponseStatus { get; set; }
    public bool? IsOrganizer { get; set; }
    public bool? IsCancelled { get; set; }
    public bool? IsReminderOn { get; set; }
    public int? ReminderMinutesBeforeStart { get; set; }
    public bool? ResponseRequested { get; set; }
    /// <summary>singleInstance, occurrence, exception or seriesMaster.</summary>
    public string? Type { get; set; }
    public string? SeriesMasterId { get; set; }
    public PatternedRecurrence? Recurrence { get; set; }
    public string? WebLink { get; set; }
    public List<SingleValueExtendedProperty>? SingleValueExtendedProperties { get; set; }
}

public sealed class Location : GraphObject
{
    public string? DisplayName { get; set; }
    public string? LocationType { get; set; }
}

public sealed class Attendee : GraphObject
{
    /// <summary>required, optional or resource.</summary>
    public string? Type { get; set; }
    public ResponseStatus? Status { get; set; }
    public EmailAddressValue? EmailAddress { get; set; }
}

public sealed class ResponseStatus : GraphObject
{
    /// <summary>none, organizer, tentativelyAccepted, accepted, declined, notResponded.</summary>
    public string? Response { get; set; }
    public DateTimeOffset? Time { get; set; }
}

public sealed class PatternedRecurrence : GraphObject
{
    public RecurrencePattern? Pattern { get; set; }
    public RecurrenceRange? Range { get; set; }
}

public sealed class RecurrencePattern : GraphObject
{
    /// <summary>daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly.</summary>
    public string? Type { get; set; }
    public int? Interval { get; set; }
    public int? Month { get; set; }
    public int? DayOfMonth { get; set; }
    public List<string>? DaysOfWeek { get; set; }
    public string? FirstDayOfWeek { get; set; }
    public string? Index { get; set; }
}

public sealed class RecurrenceRange : GraphObject
{
    /// <summary>endDate, noEnd or numbered.</summary>
    public string? Type { get; set; }
    public string? StartDate { get; set; }
    public string? EndDate { get; set; }
    public string? RecurrenceTimeZone { get; set; }
    public int? NumberOfOccurrences { get; set; }
}

/// <summary>Body of POST …/events/{id}/cancel, accept, decline, tentativelyAccept.</summary>
public sealed class EventActionBody : GraphObject
{
    public string? Comment { get; set; }
    public bool? SendResponse { get; set; }
}
