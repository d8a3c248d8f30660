using Connector.Vtenext.Webservice;

namespace Connector.Vtenext.Mapping;

// The vtenext side of the domain, as the mapper reads and writes it. Times are UTC instants; all-day events and due
// dates are dates. Picklist values (status, priority, visibility, activity type) keep vtenext's spelling.

/// <summary>vtenext's <c>partecipation</c>: 0 no answer, 1 declined, 2 accepted.</summary>
public enum CrmParticipation { NoAnswer = 0, Declined = 1, Accepted = 2 }

/// <param name="CrmId">the invited CRM user (<c>vte_invitees</c>) or contact (<c>vte_invitees_con</c>), when read from vtenext</param>
public sealed record CrmAttendee(string Email, CrmParticipation Participation, CrmInviteeKind Kind = CrmInviteeKind.Unresolved, int? CrmId = null);

/// <summary>vtenext resolves invitee addresses to its users first, then to contacts, and drops the rest.</summary>
public enum CrmInviteeKind { Unresolved, User, Contact }

public sealed record CrmEvent
{
    public ElementId? Id { get; init; }
    public required string Subject { get; init; }
    /// <summary>Call, Meeting, … (never Task or Emails).</summary>
    public string ActivityType { get; init; } = "Meeting";
    /// <summary>Timed events: start and end instants. All-day events: midnight UTC of <see cref="FirstDay"/> and of the day after <see cref="LastDay"/>.</summary>
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public bool IsAllDay { get; init; }
    public DateOnly? FirstDay { get; init; }
    /// <summary>Inclusive, as vtenext shows it.</summary>
    public DateOnly? LastDay { get; init; }
    public string Location { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>Planned, Held, Not Held.</summary>
    public string Status { get; init; } = "Planned";
    /// <summary>Standard, Private, Public.</summary>
    public string Visibility { get; init; } = "Standard";
    public int? ReminderMinutesBefore { get; init; }
    public ElementId? OwnerId { get; init; }
    /// <summary>"Related To": an account, lead, potential, … </summary>
    public ElementId? ParentId { get; init; }
    /// <summary>"Contact Name".</summary>
    public ElementId? ContactId { get; init; }
    public string Organizer { get; init; } = "";
    /// <summary>Written through the webservice's <c>invitees</c>; read from vtenext's tables (retrieve does not return them).</summary>
    public IReadOnlyList<CrmAttendee> Attendees { get; init; } = [];
    public string ICalUid { get; init; } = "";
    /// <summary>The occurrence's index in its series (<c>recurr_idx</c>); 0 for a single event.</summary>
    public int RecurrIdx { get; init; }
    /// <summary><c>recurringtype</c>: '', Daily, Weekly, Monthly, Yearly (read-only here: the series' rule rows say the rest).</summary>
    public string RecurringType { get; init; } = "";
    public DateTimeOffset? ModifiedTime { get; init; }
}

public sealed record CrmTask
{
    public ElementId? Id { get; init; }
    public required string Subject { get; init; }
    /// <summary>Not Started, In Progress, Completed, Pending Input, Deferred, Planned.</summary>
    public string Status { get; init; } = "Not Started";
    /// <summary>High, Medium, Low, or empty.</summary>
    public string Priority { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    /// <summary>Tasks have a due date without a time.</summary>
    public DateOnly? DueDate { get; init; }
    public string Description { get; init; } = "";
    public ElementId? OwnerId { get; init; }
    public ElementId? ParentId { get; init; }
    public ElementId? ContactId { get; init; }
    public DateTimeOffset? ModifiedTime { get; init; }
}

public sealed record CrmAddress(string Street = "", string City = "", string State = "", string Zip = "", string Country = "", string PoBox = "")
{
    public bool IsEmpty => this == new CrmAddress();
}

public sealed record CrmContact
{
    public ElementId? Id { get; init; }
    public string Salutation { get; init; } = "";
    public string FirstName { get; init; } = "";
    public required string LastName { get; init; }
    public string Email { get; init; } = "";
    public string OtherEmail { get; init; } = "";
    public string OfficePhone { get; init; } = "";
    public string Mobile { get; init; } = "";
    public string HomePhone { get; init; } = "";
    public string OtherPhone { get; init; } = "";
    public string Fax { get; init; } = "";
    public string Title { get; init; } = "";
    public string Department { get; init; } = "";
    public ElementId? AccountId { get; init; }
    public DateOnly? Birthday { get; init; }
    public CrmAddress MailingAddress { get; init; } = new();
    public CrmAddress OtherAddress { get; init; } = new();
    public string Description { get; init; } = "";
    public ElementId? OwnerId { get; init; }
    public DateTimeOffset? ModifiedTime { get; init; }
}
