using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Tasks;

namespace Connector.Vtenext.Mapping;

/// <summary>
/// vtenext records ⇄ the connector's domain (Connector.Core). What vtenext has and the domain does not (event status,
/// owner, related-to links, element ids) stays on the Crm* records; what the domain has and vtenext does not (show-as,
/// tentative answers, attendee roles) takes vtenext's nearest value.
/// </summary>
public static class DomainMapping
{
    // ---- Events ----

    /// <param name="plannedIn">the IANA zone the event was planned in (its owner's vtenext zone)</param>
    public static CalendarEvent ToDomain(this CrmEvent e, string plannedIn) => new()
    {
        Subject = e.Subject,
        Span = e.IsAllDay
            ? EventSpan.AllDay(e.FirstDay!.Value, (e.LastDay ?? e.FirstDay.Value).AddDays(1))
            : EventSpan.Timed(e.Start, e.End < e.Start ? e.Start : e.End, plannedIn),
        Location = Empty(e.Location),
        Description = Empty(e.Description),
        Organizer = e.Organizer is { Length: > 0 } o ? new Organizer(o) : null,
        Attendees = e.Attendees.Select(ToDomain).ToValueList(),
        Sensitivity = e.Visibility == "Private" ? Sensitivity.Private : Sensitivity.Normal,
        ReminderMinutesBefore = e.ReminderMinutesBefore,
    };

    /// <summary>The domain event as a vtenext event; <paramref name="existing"/> keeps the vtenext-only fields of the record being updated.</summary>
    public static CrmEvent FromDomain(CalendarEvent e, CrmEvent? existing = null)
    {
        var crm = existing ?? new CrmEvent { Subject = e.Subject };
        crm = e.Span switch
        {
            AllDaySpan d => crm with { IsAllDay = true, FirstDay = d.StartDate, LastDay = d.LastDate, Start = Midnight(d.StartDate), End = Midnight(d.EndDate) },
            TimedSpan t => crm with { IsAllDay = false, FirstDay = null, LastDay = null, Start = t.Start, End = t.End },
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Span, "Unknown event span."),
        };
        return crm with
        {
            Subject = e.Subject,
            Location = e.Location ?? "",
            Description = e.Description ?? "",
            // vtenext has Standard/Public/Private; only Private carries meaning across.
            Visibility = e.Sensitivity == Sensitivity.Private ? "Private" : crm.Visibility == "Private" ? "Standard" : crm.Visibility,
            ReminderMinutesBefore = e.ReminderMinutesBefore,
            Attendees = e.Attendees.Select(a => new CrmAttendee(a.Email, a.Response switch
            {
                AttendeeResponse.Accepted => CrmParticipation.Accepted,
                AttendeeResponse.Declined => CrmParticipation.Declined,
                _ => CrmParticipation.NoAnswer,
            })).ToList(),
        };
    }

    private static Attendee ToDomain(CrmAttendee a) => new(a.Email,
        kind: a.Kind switch { CrmInviteeKind.User => AttendeeKind.CrmUser, CrmInviteeKind.Contact => AttendeeKind.CrmContact, _ => AttendeeKind.External },
        response: a.Participation switch
        {
            CrmParticipation.Accepted => AttendeeResponse.Accepted,
            CrmParticipation.Declined => AttendeeResponse.Declined,
            _ => AttendeeResponse.NotResponded,
        },
        crmId: a.Kind == CrmInviteeKind.Unresolved ? null : a.CrmId);

    // ---- Tasks ----

    private static readonly (string Crm, TaskState State)[] TaskStates =
    [
        ("Not Started", TaskState.NotStarted), ("In Progress", TaskState.InProgress), ("Completed", TaskState.Completed),
        ("Pending Input", TaskState.WaitingOnOthers), ("Deferred", TaskState.Deferred), ("Planned", TaskState.NotStarted),
    ];

    /// <param name="ownerZone">the zone whose calendar date the task's start is on (its owner's)</param>
    public static TaskItem ToDomain(this CrmTask t, TimeZoneInfo ownerZone) => new()
    {
        Subject = t.Subject,
        Description = Empty(t.Description),
        Status = TaskStates.FirstOrDefault(s => s.Crm == t.Status) is { Crm: not null } match ? match.State : TaskState.NotStarted,
        Priority = t.Priority switch { "High" => TaskPriority.High, "Low" => TaskPriority.Low, _ => TaskPriority.Normal },
        StartDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t.Start, ownerZone).DateTime),
        DueDate = t.DueDate,
    };

    public static CrmTask FromDomain(TaskItem t, TimeZoneInfo ownerZone, CrmTask? existing = null)
    {
        var crm = existing ?? new CrmTask { Subject = t.Subject };
        var keepsStatus = TaskStates.Any(s => s.Crm == crm.Status && s.State == t.Status);
        return crm with
        {
            Subject = t.Subject,
            Description = t.Description ?? "",
            // "Planned" and "Not Started" are both NotStarted: keep the CRM's word when it already says so.
            Status = keepsStatus ? crm.Status : TaskStates.First(s => s.State == t.Status).Crm,
            Priority = t.Priority switch { TaskPriority.High => "High", TaskPriority.Low => "Low", _ => "Medium" },
            Start = t.StartDate is { } start
                ? VtenextZones.ToInstant(start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "00:00", ownerZone)
                : crm.Start,
            DueDate = t.DueDate,
        };
    }

    // ---- Contacts (one way: vtenext to Exchange) ----

    /// <param name="accountName">the name of the contact's account (vtenext returns only its id)</param>
    public static Contact ToDomain(this CrmContact c, string? accountName = null) => new()
    {
        Salutation = Empty(c.Salutation),
        FirstName = Empty(c.FirstName),
        LastName = c.LastName,
        Emails = new[] { c.Email, c.OtherEmail }.Where(e => e.Length > 0).ToValueList(),
        Phones = new[]
        {
            (PhoneKind.Business, c.OfficePhone), (PhoneKind.Mobile, c.Mobile), (PhoneKind.Home, c.HomePhone),
            (PhoneKind.Other, c.OtherPhone), (PhoneKind.Fax, c.Fax),
        }.Where(p => p.Item2.Length > 0).Select(p => new Phone(p.Item1, p.Item2)).ToValueList(),
        MailingAddress = Address(c.MailingAddress),
        OtherAddress = Address(c.OtherAddress),
        Company = Empty(accountName ?? ""),
        JobTitle = Empty(c.Title),
        Department = Empty(c.Department),
        Birthday = c.Birthday,
        Notes = Empty(c.Description),
    };

    private static PostalAddress? Address(CrmAddress a) =>
        a.IsEmpty ? null : new PostalAddress(Empty(a.Street), Empty(a.City), Empty(a.State), Empty(a.Zip), Empty(a.Country), Empty(a.PoBox));

    private static string? Empty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
