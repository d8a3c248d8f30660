using Connector.Core.Calendar;
using Connector.Core.Contacts;
using Connector.Core.Tasks;
using Connector.Core.Time;
using EwsCalendarEvent = Connector.Exchange.Ews.Items.CalendarEvent;
using EwsContact = Connector.Exchange.Ews.Items.ContactItem;
using EwsTask = Connector.Exchange.Ews.Items.TaskItem;
using Connector.Exchange.Ews.Items;
using DomainAttendee = Connector.Core.Calendar.Attendee;
using DomainContact = Connector.Core.Contacts.Contact;
using DomainEvent = Connector.Core.Calendar.CalendarEvent;
using DomainTask = Connector.Core.Tasks.TaskItem;

namespace Connector.Exchange.Ews.Sync;

/// <summary>
/// EWS items ⇄ the domain, giving the same domain values (and so the same fingerprints) as the Graph mapping for equal
/// content. Times travel in UTC; the EWS item model carries no zone, so timed events read back in UTC (the zone is not
/// part of the fingerprint) and all-day events are written and read as UTC-midnight dates. What the EWS item model does
/// not carry (sensitivity, task reminder and completion time, contact addresses and notes) reads back as the default: the
/// engine stores what was read back after each write, so this loses the field on the Exchange copy but never echoes.
/// </summary>
public static class EwsDomainMapping
{
    // ---- events ----

    public static DomainEvent ToDomain(EwsCalendarEvent e, string mailbox)
    {
        EventSpan span = e.IsAllDay
            ? AllDaySpan.FromInstants(e.Start, e.End <= e.Start ? e.Start.AddDays(1) : e.End, Zones.Utc)
            : EventSpan.Timed(e.Start, e.End < e.Start ? e.Start : e.End, "UTC");
        var isOrganizer = e.IsOrganizer ?? true;
        var attendees = e.RequiredAttendees.Select(a => (a, AttendeeRole.Required))
            .Concat(e.OptionalAttendees.Select(a => (a, AttendeeRole.Optional)))
            .Where(x => !string.IsNullOrWhiteSpace(x.a.Email))
            .Select(x => new DomainAttendee(x.a.Email, x.a.Name, response: Response(x.a.ResponseType), role: x.Item2))
            .ToList();
        // An attendee's own copy: its answer is MyResponseType, not its entry in the attendee list.
        if (!isOrganizer && e.MyResponseType is { } own)
            attendees = attendees.Select(a => a.Email == mailbox.ToLowerInvariant() ? a with { Response = Response(own) } : a).ToList();
        return new DomainEvent
        {
            Subject = e.Subject,
            Span = span,
            Location = NullIfEmpty(e.Location),
            Description = NullIfEmpty(e.Body?.Trim()),
            Organizer = e.Organizer is { Length: > 0 } org ? new Organizer(org) : null,
            Attendees = attendees,
            ShowAs = e.FreeBusy switch
            {
                "Free" => ShowAs.Free, "Tentative" => ShowAs.Tentative, "OOF" => ShowAs.OutOfOffice,
                "WorkingElsewhere" => ShowAs.WorkingElsewhere, _ => ShowAs.Busy,
            },
            ReminderMinutesBefore = e.ReminderMinutesBeforeStart,
        };
    }

    /// <summary>The writable fields of an event; <paramref name="withAttendees"/> false leaves the attendee lists untouched/empty.</summary>
    public static EwsCalendarEvent FromDomain(DomainEvent e, string? crmId, bool withAttendees)
    {
        var (start, end) = e.Span switch
        {
            AllDaySpan a => (new DateTimeOffset(a.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                new DateTimeOffset(a.EndDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            _ => (e.Span.StartIn(Zones.Utc), e.Span.EndIn(Zones.Utc)),
        };
        var attendees = withAttendees ? e.Attendees : [];
        return new EwsCalendarEvent
        {
            Subject = e.Subject,
            Body = e.Description ?? "",
            Location = e.Location,
            Start = start,
            End = end,
            IsAllDay = e.IsAllDay,
            FreeBusy = e.ShowAs switch
            {
                ShowAs.Free => "Free", ShowAs.Tentative => "Tentative", ShowAs.OutOfOffice => "OOF",
                ShowAs.WorkingElsewhere => "WorkingElsewhere", _ => "Busy",
            },
            ReminderMinutesBeforeStart = e.ReminderMinutesBefore,
            RequiredAttendees = attendees.Where(a => a.Role != AttendeeRole.Optional).Select(a => new EwsAttendee(a.Email, a.Name)).ToList(),
            OptionalAttendees = attendees.Where(a => a.Role == AttendeeRole.Optional).Select(a => new EwsAttendee(a.Email, a.Name)).ToList(),
            CrmId = crmId,
        };
    }

    private static AttendeeResponse Response(string? r) => r switch
    {
        "Organizer" => AttendeeResponse.Organizer,
        "Tentative" => AttendeeResponse.Tentative,
        "Accept" => AttendeeResponse.Accepted,
        "Decline" => AttendeeResponse.Declined,
        "NoResponseReceived" => AttendeeResponse.NotResponded,
        _ => AttendeeResponse.None,
    };

    // ---- tasks ----

    public static DomainTask ToDomain(EwsTask t) => new()
    {
        Subject = t.Subject,
        Description = NullIfEmpty(t.Body?.Trim()),
        Status = t.Status switch
        {
            "InProgress" => TaskState.InProgress, "Completed" => TaskState.Completed, "WaitingOnOthers" => TaskState.WaitingOnOthers,
            "Deferred" => TaskState.Deferred, _ => TaskState.NotStarted,
        },
        Priority = t.Importance switch { "Low" => TaskPriority.Low, "High" => TaskPriority.High, _ => TaskPriority.Normal },
        StartDate = t.StartDate is { } s ? DateOnly.FromDateTime(s.UtcDateTime) : null,
        DueDate = t.DueDate is { } d ? DateOnly.FromDateTime(d.UtcDateTime) : null,
    };

    public static EwsTask FromDomain(DomainTask t, string? crmId) => new()
    {
        Subject = t.Subject,
        Body = t.Description ?? "",
        Status = t.Status switch
        {
            TaskState.InProgress => "InProgress", TaskState.Completed => "Completed", TaskState.WaitingOnOthers => "WaitingOnOthers",
            TaskState.Deferred => "Deferred", _ => "NotStarted",
        },
        Importance = t.Priority switch { TaskPriority.Low => "Low", TaskPriority.High => "High", _ => "Normal" },
        // Task dates are dates: UTC midnight reads back as the same date.
        StartDate = t.StartDate is { } s ? new DateTimeOffset(s.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        DueDate = t.DueDate is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        CrmId = crmId,
    };

    // ---- contacts ----

    public static DomainContact ToDomain(EwsContact c) => new()
    {
        FirstName = NullIfEmpty(c.GivenName),
        LastName = c.Surname ?? c.DisplayName,
        Emails = c.Email is { Length: > 0 } email ? [email] : [],
        Phones = (c.BusinessPhone is { Length: > 0 } b ? new[] { new Phone(PhoneKind.Business, b) } : [])
            .Concat(c.MobilePhone is { Length: > 0 } m ? [new Phone(PhoneKind.Mobile, m)] : []).ToList(),
        Company = NullIfEmpty(c.CompanyName),
        JobTitle = NullIfEmpty(c.JobTitle),
        Department = NullIfEmpty(c.Department),
    };

    public static EwsContact FromDomain(DomainContact c, string? crmId) => new()
    {
        GivenName = NullIfEmpty(c.FirstName),
        Surname = c.LastName,
        CompanyName = NullIfEmpty(c.Company),
        Email = c.Emails.FirstOrDefault(),
        BusinessPhone = c.Phones.FirstOrDefault(p => p.Kind == PhoneKind.Business)?.Number,
        MobilePhone = c.Phones.FirstOrDefault(p => p.Kind == PhoneKind.Mobile)?.Number,
        Department = NullIfEmpty(c.Department),
        JobTitle = NullIfEmpty(c.JobTitle),
        CrmId = crmId,
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
