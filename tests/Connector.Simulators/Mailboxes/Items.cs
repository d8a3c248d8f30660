namespace Connector.Simulators.Mailboxes;

/// <summary>What kind of items a folder holds. Protocol-neutral: Graph and EWS both map onto these.</summary>
public enum FolderKind { Calendar, Tasks, Contacts }

public enum ChangeKind { Created, Updated, Deleted }

/// <summary>An attendee's answer, as Exchange keeps it (Graph's responseStatus.response / EWS ResponseType).</summary>
public enum ResponseKind { None, Organizer, TentativelyAccepted, Accepted, Declined, NotResponded }

public enum AttendeeKind { Required, Optional, Resource }

/// <summary>
/// Common part of every stored item. Items are immutable snapshots (records): a write replaces the snapshot under
/// the mailbox lock, so readers never see a half-written item. Id never changes; ChangeKey changes on every write.
/// </summary>
public abstract record MailItem
{
    public required string Id { get; init; }
    public required string FolderId { get; init; }
    public string ChangeKey { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastModifiedAt { get; init; }
    public string? Body { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>Named single-value extended properties keyed by <see cref="ExtendedPropertyKey"/> ("String {GUID} Name CrmId").</summary>
    public IReadOnlyDictionary<string, string> ExtendedProperties { get; init; } = new Dictionary<string, string>();
    /// <summary>Graph's transactionId on create: a second create with the same id returns the first item.</summary>
    public string? TransactionId { get; init; }
}

public sealed record EmailAddress(string Address, string? Name);

public sealed record Attendee(EmailAddress Email, AttendeeKind Kind = AttendeeKind.Required,
    ResponseKind Response = ResponseKind.None, DateTimeOffset? ResponseTime = null);

public enum RecurrencePatternKind { Daily, Weekly, AbsoluteMonthly, RelativeMonthly, AbsoluteYearly, RelativeYearly }
public enum RecurrenceRangeKind { NoEnd, EndDate, Numbered }
public enum WeekIndex { First, Second, Third, Fourth, Last }

public sealed record RecurrencePattern
{
    public RecurrencePatternKind Kind { get; init; }
    public int Interval { get; init; } = 1;
    public IReadOnlyList<DayOfWeek> DaysOfWeek { get; init; } = [];
    public int DayOfMonth { get; init; }
    public int Month { get; init; }
    public DayOfWeek FirstDayOfWeek { get; init; } = DayOfWeek.Sunday;
    public WeekIndex Index { get; init; } = WeekIndex.First;
}

public sealed record RecurrenceRange
{
    public RecurrenceRangeKind Kind { get; init; }
    public DateOnly StartDate { get; init; }
    public DateOnly? EndDate { get; init; }
    public int NumberOfOccurrences { get; init; }
    public string? TimeZone { get; init; }
}

public sealed record Recurrence(RecurrencePattern Pattern, RecurrenceRange Range);

/// <summary>A modified occurrence of a series, keyed by its original start.</summary>
public sealed record OccurrenceException(DateTimeOffset OriginalStart, DateTimeOffset Start, DateTimeOffset End,
    string? Subject, string? Location, string ChangeKey)
{
    /// <summary>The exception's own body (EWS); null = the series' body.</summary>
    public string? Body { get; init; }
}

public enum ShowAs { Free, Tentative, Busy, Oof, WorkingElsewhere, Unknown }

/// <summary>
/// A calendar item. A meeting has one <see cref="ICalUId"/> and a separate item in each attendee's mailbox.
/// A series is one item (the master) with its recurrence, exceptions and deleted occurrences; occurrences are
/// computed (see <see cref="RecurrenceExpander"/>).
/// </summary>
public sealed record CalendarItem : MailItem
{
    public string Subject { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    /// <summary>The zone the organizer wrote the times in (Windows or IANA id, as given).</summary>
    public string TimeZone { get; init; } = "UTC";
    public bool IsAllDay { get; init; }
    public string? Location { get; init; }
    public ShowAs ShowAs { get; init; } = ShowAs.Busy;
    public required string ICalUId { get; init; }
    public required EmailAddress Organizer { get; init; }
    public IReadOnlyList<Attendee> Attendees { get; init; } = [];
    /// <summary>This mailbox's own answer (Organizer when it owns the meeting).</summary>
    public ResponseKind MyResponse { get; init; } = ResponseKind.Organizer;
    public bool IsCancelled { get; init; }
    public Recurrence? Recurrence { get; init; }
    public IReadOnlyList<OccurrenceException> Exceptions { get; init; } = [];
    public IReadOnlyList<DateTimeOffset> DeletedOccurrences { get; init; } = [];
    public bool IsOrganizer => MyResponse == ResponseKind.Organizer;
    public bool IsMeeting => Attendees.Count > 0;
    public TimeSpan Duration => End - Start;
}

public enum TaskStatus { NotStarted, InProgress, Completed, WaitingOnOthers, Deferred }
public enum Importance { Low, Normal, High }

public sealed record LinkedResource(string Id, string? WebUrl, string? ApplicationName, string? DisplayName, string? ExternalId);

/// <summary>A To Do task (Graph todoTask / EWS Task).</summary>
public sealed record TaskItem : MailItem
{
    public string Title { get; init; } = "";
    public TaskStatus Status { get; init; }
    public Importance Importance { get; init; } = Importance.Normal;
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? Due { get; init; }
    public DateTimeOffset? Completed { get; init; }
    public DateTimeOffset? Reminder { get; init; }
    public IReadOnlyList<LinkedResource> LinkedResources { get; init; } = [];
}

public sealed record PhysicalAddress(string? Street, string? City, string? State, string? PostalCode, string? Country);

public sealed record ContactItem : MailItem
{
    public string? DisplayName { get; init; }
    public string? GivenName { get; init; }
    public string? Surname { get; init; }
    public string? CompanyName { get; init; }
    public string? Department { get; init; }
    public string? JobTitle { get; init; }
    public IReadOnlyList<EmailAddress> EmailAddresses { get; init; } = [];
    public IReadOnlyList<string> BusinessPhones { get; init; } = [];
    public IReadOnlyList<string> HomePhones { get; init; } = [];
    public string? MobilePhone { get; init; }
    public PhysicalAddress? BusinessAddress { get; init; }
    public PhysicalAddress? HomeAddress { get; init; }
}

/// <summary>A folder: the default calendar, a To Do list, the default contacts folder or a named contact folder.</summary>
public sealed record MailFolder(string Id, FolderKind Kind, string DisplayName, bool IsDefault, string? ParentId);

/// <summary>One entry of a folder's change log. <see cref="Snapshot"/> is the item after the change (before, for deletes).</summary>
public sealed record ChangeEntry(long Sequence, string FolderId, string ItemId, ChangeKind Kind, MailItem Snapshot, DateTimeOffset At);

/// <summary>Pushed to subscribers of a mailbox after each change is applied.</summary>
public sealed record MailboxChange(string Mailbox, ChangeEntry Entry);

/// <summary>
/// The key of a named extended property: Graph's id form "{Type} {GUID} Name {Name}" with the GUID in upper case.
/// EWS's ExtendedFieldURI (PropertyType, PropertySetId, PropertyName) maps onto the same key, so a stamp written
/// through one protocol is read through the other.
/// </summary>
public static class ExtendedPropertyKey
{
    public static string From(string type, Guid propertySetId, string name) => $"{type} {{{propertySetId.ToString().ToUpperInvariant()}}} Name {name}";

    /// <summary>Normalises a Graph id ("String {guid} Name X"); returns null when it is not a named property id.</summary>
    public static string? Normalize(string graphId)
    {
        var parts = graphId.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || !parts[2].Equals("Name", StringComparison.OrdinalIgnoreCase) || !Guid.TryParse(parts[1], out var guid))
            return null;
        return From(parts[0], guid, parts[3]);
    }
}
