using System.Globalization;
using System.Text.RegularExpressions;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Tasks;
using Connector.Core.Time;
using Connector.Exchange.Graph.Models;
using DomainAttendee = Connector.Core.Calendar.Attendee;
using DomainContact = Connector.Core.Contacts.Contact;
using GraphAttendee = Connector.Exchange.Graph.Models.Attendee;
using GraphContact = Connector.Exchange.Graph.Models.Contact;

namespace Connector.Exchange.Graph.Sync;

/// <summary>
/// Graph resources ⇄ the domain. Times are read in UTC (the transport asks for it); an event's zone comes from
/// <c>originalStartTimeZone</c> (Windows id, mapped to IANA). All-day events are read as dates in that zone. Series
/// (recurrence) are left to the recurrence mapping of issue 7: a master's pattern is not carried here.
/// </summary>
public static partial class GraphDomainMapping
{
    // ---- events ----

    public static CalendarEvent ToDomain(Event e, string mailbox)
    {
        var zoneId = ZoneOf(e.OriginalStartTimeZone);
        var zone = Zones.Find(zoneId) ?? Zones.Utc;
        var start = e.Start?.ToInstant() ?? throw new FormatException($"Event {e.Id} has no start.");
        var end = e.End?.ToInstant() ?? start;
        EventSpan span = e.IsAllDay == true ? AllDaySpan.FromInstants(start, end, zone) : EventSpan.Timed(start, end < start ? start : end, zoneId);
        var isOrganizer = e.IsOrganizer ?? true;
        var attendees = (e.Attendees ?? []).Where(a => !string.IsNullOrWhiteSpace(a.EmailAddress?.Address))
            .Select(a => new DomainAttendee(a.EmailAddress!.Address!, a.EmailAddress.Name, response: Response(a.Status?.Response), role: Role(a.Type)))
            .ToList();
        // An attendee's own copy: its answer is the event's responseStatus, not its entry in the attendee list.
        if (!isOrganizer && e.ResponseStatus?.Response is { } own)
            attendees = attendees.Select(a => a.Email == mailbox.ToLowerInvariant() ? a with { Response = Response(own) } : a).ToList();
        return new CalendarEvent
        {
            Subject = e.Subject ?? "",
            Span = span,
            Location = NullIfEmpty(e.Location?.DisplayName),
            Description = PlainText(e.Body),
            Organizer = e.Organizer?.EmailAddress?.Address is { Length: > 0 } org ? new Organizer(org, e.Organizer.EmailAddress.Name) : null,
            Attendees = attendees,
            ShowAs = e.ShowAs switch { "free" => ShowAs.Free, "tentative" => ShowAs.Tentative, "oof" => ShowAs.OutOfOffice, "workingElsewhere" => ShowAs.WorkingElsewhere, _ => ShowAs.Busy },
            Sensitivity = e.Sensitivity is "private" or "confidential" ? Sensitivity.Private : Sensitivity.Normal,
            ReminderMinutesBefore = e.IsReminderOn == true ? e.ReminderMinutesBeforeStart : null,
        };
    }

    /// <summary>The writable fields of an event (organizer is the mailbox itself; responses are read-only).</summary>
    public static Event FromDomain(CalendarEvent e)
    {
        var zoneId = e.Span is TimedSpan t ? t.TimeZone : "UTC";
        var windowsZone = Zones.IanaToWindows(zoneId) ?? "UTC";
        var zone = Zones.Find(zoneId) ?? Zones.Utc;
        var (start, end) = e.Span switch
        {
            AllDaySpan a => (Local(a.StartDate.ToDateTime(TimeOnly.MinValue), windowsZone), Local(a.EndDate.ToDateTime(TimeOnly.MinValue), windowsZone)),
            _ => (Local(Zones.ToLocal(e.Span.StartIn(zone), zone), windowsZone), Local(Zones.ToLocal(e.Span.EndIn(zone), zone), windowsZone)),
        };
        return new Event
        {
            Subject = e.Subject,
            Body = new ItemBody { ContentType = "text", Content = e.Description ?? "" },
            Start = start,
            End = end,
            IsAllDay = e.IsAllDay,
            Location = new Location { DisplayName = e.Location ?? "" },
            ShowAs = e.ShowAs switch { ShowAs.Free => "free", ShowAs.Tentative => "tentative", ShowAs.OutOfOffice => "oof", ShowAs.WorkingElsewhere => "workingElsewhere", _ => "busy" },
            Sensitivity = e.Sensitivity == Sensitivity.Private ? "private" : "normal",
            IsReminderOn = e.ReminderMinutesBefore is not null,
            ReminderMinutesBeforeStart = e.ReminderMinutesBefore ?? 0,
            Attendees = e.Attendees.Select(a => new GraphAttendee
            {
                Type = a.Role switch { AttendeeRole.Optional => "optional", AttendeeRole.Resource => "resource", _ => "required" },
                EmailAddress = new EmailAddressValue { Address = a.Email, Name = a.Name },
            }).ToList(),
        };
    }

    private static DateTimeTimeZone Local(DateTime local, string windowsZone) =>
        new() { DateTime = local.ToString(DateTimeTimeZone.Format, CultureInfo.InvariantCulture), TimeZone = windowsZone };

    internal static string ZoneOf(string? windowsOrIana)
    {
        if (string.IsNullOrWhiteSpace(windowsOrIana) || windowsOrIana.Equals("UTC", StringComparison.OrdinalIgnoreCase)) return "UTC";
        return Zones.WindowsToIana(windowsOrIana) ?? (Zones.Find(windowsOrIana) is not null ? windowsOrIana : "UTC");
    }

    private static AttendeeResponse Response(string? r) => r switch
    {
        "organizer" => AttendeeResponse.Organizer,
        "tentativelyAccepted" => AttendeeResponse.Tentative,
        "accepted" => AttendeeResponse.Accepted,
        "declined" => AttendeeResponse.Declined,
        "notResponded" => AttendeeResponse.NotResponded,
        _ => AttendeeResponse.None,
    };

    private static AttendeeRole Role(string? type) => type switch
    {
        "optional" => AttendeeRole.Optional,
        "resource" => AttendeeRole.Resource,
        _ => AttendeeRole.Required,
    };

    // ---- tasks ----

    public static TaskItem ToDomain(TodoTask t) => new()
    {
        Subject = t.Title ?? "",
        Description = PlainText(t.Body),
        Status = t.Status switch
        {
            "inProgress" => TaskState.InProgress, "completed" => TaskState.Completed, "waitingOnOthers" => TaskState.WaitingOnOthers,
            "deferred" => TaskState.Deferred, _ => TaskState.NotStarted,
        },
        Priority = t.Importance switch { "low" => TaskPriority.Low, "high" => TaskPriority.High, _ => TaskPriority.Normal },
        StartDate = DateOf(t.StartDateTime),
        DueDate = DateOf(t.DueDateTime),
        CompletedAt = t.Status == "completed" && t.CompletedDateTime is { DateTime: not null } c ? c.ToInstant() : null,
        ReminderAt = t.IsReminderOn == true && t.ReminderDateTime is { DateTime: not null } r ? r.ToInstant() : null,
    };

    public static TodoTask FromDomain(TaskItem t) => new()
    {
        Title = t.Subject,
        Body = new ItemBody { ContentType = "text", Content = t.Description ?? "" },
        Status = t.Status switch
        {
            TaskState.InProgress => "inProgress", TaskState.Completed => "completed", TaskState.WaitingOnOthers => "waitingOnOthers",
            TaskState.Deferred => "deferred", _ => "notStarted",
        },
        Importance = t.Priority switch { TaskPriority.Low => "low", TaskPriority.High => "high", _ => "normal" },
        // To Do keeps dates as midnight in a zone; UTC midnight reads back as the same date.
        StartDateTime = t.StartDate is { } s ? DateTimeTimeZone.FromUtc(new DateTimeOffset(s.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) : null,
        DueDateTime = t.DueDate is { } d ? DateTimeTimeZone.FromUtc(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) : null,
        CompletedDateTime = t.CompletedAt is { } c ? DateTimeTimeZone.FromUtc(c) : null,
        IsReminderOn = t.ReminderAt is not null,
        ReminderDateTime = t.ReminderAt is { } r ? DateTimeTimeZone.FromUtc(r) : null,
    };

    private static DateOnly? DateOf(DateTimeTimeZone? value) =>
        value?.DateTime is { Length: >= 10 } text ? DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    // ---- contacts ----

    public static DomainContact ToDomain(GraphContact c) => new()
    {
        FirstName = NullIfEmpty(c.GivenName),
        LastName = c.Surname ?? c.DisplayName ?? "",
        Emails = (c.EmailAddresses ?? []).Select(a => a.Address).OfType<string>().Where(a => a.Length > 0).ToList(),
        Phones = (c.BusinessPhones ?? []).Select(p => new Phone(PhoneKind.Business, p))
            .Concat((c.HomePhones ?? []).Select(p => new Phone(PhoneKind.Home, p)))
            .Concat(c.MobilePhone is { Length: > 0 } m ? [new Phone(PhoneKind.Mobile, m)] : []).ToList(),
        MailingAddress = Address(c.BusinessAddress),
        OtherAddress = Address(c.HomeAddress),
        Company = NullIfEmpty(c.CompanyName),
        JobTitle = NullIfEmpty(c.JobTitle),
        Department = NullIfEmpty(c.Department),
        Notes = NullIfEmpty(c.PersonalNotes),
    };

    public static GraphContact FromDomain(DomainContact c) => new()
    {
        GivenName = c.FirstName ?? "",
        Surname = c.LastName,
        DisplayName = c.DisplayName,
        EmailAddresses = c.Emails.Select(e => new EmailAddressValue { Address = e, Name = c.DisplayName }).ToList(),
        BusinessPhones = c.Phones.Where(p => p.Kind is PhoneKind.Business).Select(p => p.Number).ToList(),
        HomePhones = c.Phones.Where(p => p.Kind is PhoneKind.Home).Select(p => p.Number).ToList(),
        MobilePhone = c.Phones.FirstOrDefault(p => p.Kind == PhoneKind.Mobile)?.Number ?? "",
        BusinessAddress = Address(c.MailingAddress),
        HomeAddress = Address(c.OtherAddress),
        CompanyName = c.Company ?? "",
        JobTitle = c.JobTitle ?? "",
        Department = c.Department ?? "",
        PersonalNotes = c.Notes ?? "",
    };

    private static PostalAddress? Address(PhysicalAddress? a) =>
        a is null ? null : new PostalAddress(NullIfEmpty(a.Street), NullIfEmpty(a.City), NullIfEmpty(a.State), NullIfEmpty(a.PostalCode), NullIfEmpty(a.CountryOrRegion));

    private static PhysicalAddress Address(PostalAddress? a) => new()
    {
        Street = a?.Street ?? "", City = a?.City ?? "", State = a?.State ?? "", PostalCode = a?.PostalCode ?? "", CountryOrRegion = a?.Country ?? "",
    };

    // ---- text ----

    private static string? PlainText(ItemBody? body)
    {
        if (body?.Content is not { Length: > 0 } content) return null;
        if (!string.Equals(body.ContentType, "html", StringComparison.OrdinalIgnoreCase)) return content;
        var text = Tags().Replace(Breaks().Replace(content, "\n"), "");
        return System.Net.WebUtility.HtmlDecode(text).Trim();
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    [GeneratedRegex(@"<br\s*/?>|</p>", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
