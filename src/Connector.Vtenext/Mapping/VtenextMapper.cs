using System.Globalization;
using Connector.Vtenext.Webservice;

namespace Connector.Vtenext.Mapping;

/// <summary>
/// vtenext webservice fields ⇄ CRM records. Reads say where the values came from (<see cref="ValueSource"/>), because
/// retrieve speaks the integration user's zone and query the server's; writes (create/revise) are always in the
/// integration user's zone, for calendar dates/times and for createdtime/modifiedtime alike. vtenext answers "date"
/// fields (due_date, birthday) in the integration user's date format (<paramref name="dateFormat"/>, vtenext's spelling
/// such as dd-mm-yyyy) and takes Y-m-d on input.
/// </summary>
public sealed class VtenextMapper(VtenextZones zones, string dateFormat = "yyyy-mm-dd")
{
    private readonly string _userDateFormat = dateFormat.Replace("mm", "MM");

    public const string EventsModule = "Events";
    public const string TasksModule = "Calendar";
    public const string ContactsModule = "Contacts";

    public VtenextZones Zones => zones;

    public CrmEvent ToEvent(VtenextRecord r, ValueSource source, IReadOnlyList<CrmAttendee>? attendees = null)
    {
        var allDay = r["is_all_day_event"] == "1";
        var zone = zones.Of(source);
        var first = Date(r["date_start"]) ?? throw new FormatException($"Event {r["id"]} has no date_start.");
        var last = Date(r["due_date"]) ?? first;
        var lastText = Format(last);
        return new CrmEvent
        {
            Id = Id(r["id"]),
            Subject = r["subject"],
            ActivityType = r["activitytype"],
            IsAllDay = allDay,
            FirstDay = allDay ? first : null,
            LastDay = allDay ? last : null,
            Start = allDay ? Midnight(first) : VtenextZones.ToInstant(Format(first), r["time_start"], zone),
            End = allDay ? Midnight(last.AddDays(1)) : VtenextZones.ToInstant(lastText, r["time_end"], zone),
            Location = r["location"],
            Description = r["description"],
            Status = r["eventstatus"],
            Visibility = r["visibility"],
            // Stored and returned in minutes (input is seconds, see FromEvent).
            ReminderMinutesBefore = int.TryParse(r["reminder_time"], CultureInfo.InvariantCulture, out var m) && m > 0 ? m : null,
            OwnerId = Id(r["assigned_user_id"]),
            ParentId = Id(r["parent_id"]),
            ContactId = Id(r["contact_id"]),
            Organizer = r["organizer"],
            Attendees = attendees ?? [],
            ICalUid = r["ical_uuid"],
            RecurrIdx = int.TryParse(r["recurr_idx"], CultureInfo.InvariantCulture, out var idx) ? idx : 0,
            RecurringType = r["recurringtype"] is "--None--" ? "" : r["recurringtype"],
            ModifiedTime = Timestamp(r["modifiedtime"], source),
        };
    }

    /// <summary>Fields for create or revise of an Events record. Attendees go out as vtenext's <c>invitees</c>.</summary>
    public Dictionary<string, object?> FromEvent(CrmEvent e)
    {
        var fields = new Dictionary<string, object?>
        {
            ["subject"] = e.Subject,
            ["activitytype"] = e.ActivityType,
            ["is_all_day_event"] = e.IsAllDay ? "1" : "0",
            ["location"] = e.Location,
            ["description"] = e.Description,
            ["eventstatus"] = e.Status,
            ["visibility"] = e.Visibility,
            // The webservice takes an Events reminder in seconds and stores minutes (DataTransform::sanitizeForInsert).
            ["reminder_time"] = e.ReminderMinutesBefore is { } m ? (m * 60).ToString(CultureInfo.InvariantCulture) : "",
            ["parent_id"] = e.ParentId?.ToString() ?? "",
            ["contact_id"] = e.ContactId?.ToString() ?? "",
            ["invitees"] = e.Attendees.Select(a => new Dictionary<string, object> { ["email"] = a.Email, ["partecipation"] = (int)a.Participation }).ToArray(),
        };
        if (e.OwnerId is { } owner) fields["assigned_user_id"] = owner.ToString();
        if (e.IsAllDay)
        {
            var first = e.FirstDay ?? DateOnly.FromDateTime(e.Start.UtcDateTime);
            var last = e.LastDay ?? first;
            fields["date_start"] = Format(first);
            fields["time_start"] = "00:00";
            fields["due_date"] = Format(last);
            fields["time_end"] = "23:59";
        }
        else
        {
            (fields["date_start"], fields["time_start"]) = VtenextZones.FromInstant(e.Start, zones.User);
            (fields["due_date"], fields["time_end"]) = VtenextZones.FromInstant(e.End, zones.User);
        }
        return fields;
    }

    public CrmTask ToTask(VtenextRecord r, ValueSource source) => new()
    {
        Id = Id(r["id"]),
        Subject = r["subject"],
        Status = r["taskstatus"],
        Priority = r["taskpriority"],
        Start = VtenextZones.ToInstant(Format(Date(r["date_start"]) ?? throw new FormatException($"Task {r["id"]} has no date_start.")),
            r["time_start"] is { Length: > 0 } t ? t : "00:00", zones.Of(source)),
        DueDate = Date(r["due_date"]),
        Description = r["description"],
        OwnerId = Id(r["assigned_user_id"]),
        ParentId = Id(r["parent_id"]),
        ContactId = Id(r["contact_id"]),
        ModifiedTime = Timestamp(r["modifiedtime"], source),
    };

    public Dictionary<string, object?> FromTask(CrmTask t)
    {
        var (date, time) = VtenextZones.FromInstant(t.Start, zones.User);
        var fields = new Dictionary<string, object?>
        {
            ["subject"] = t.Subject,
            ["taskstatus"] = t.Status,
            ["taskpriority"] = t.Priority,
            ["date_start"] = date,
            ["time_start"] = time,
            ["due_date"] = t.DueDate is { } due ? Format(due) : "",
            ["description"] = t.Description,
            ["parent_id"] = t.ParentId?.ToString() ?? "",
            ["contact_id"] = t.ContactId?.ToString() ?? "",
        };
        if (t.OwnerId is { } owner) fields["assigned_user_id"] = owner.ToString();
        return fields;
    }

    public CrmContact ToContact(VtenextRecord r, ValueSource source = ValueSource.Retrieve) => new()
    {
        Id = Id(r["id"]),
        Salutation = r["salutationtype"],
        FirstName = r["firstname"],
        LastName = r["lastname"],
        Email = r["email"],
        OtherEmail = r["otheremail"],
        OfficePhone = r["phone"],
        Mobile = r["mobile"],
        HomePhone = r["homephone"],
        OtherPhone = r["otherphone"],
        Fax = r["fax"],
        Title = r["title"],
        Department = r["department"],
        AccountId = Id(r["account_id"]),
        Birthday = Date(r["birthday"]),
        MailingAddress = new CrmAddress(r["mailingstreet"], r["mailingcity"], r["mailingstate"], r["mailingzip"], r["mailingcountry"], r["mailingpobox"]),
        OtherAddress = new CrmAddress(r["otherstreet"], r["othercity"], r["otherstate"], r["otherzip"], r["othercountry"], r["otherpobox"]),
        Description = r["description"],
        OwnerId = Id(r["assigned_user_id"]),
        ModifiedTime = Timestamp(r["modifiedtime"], source),
    };

    public Dictionary<string, object?> FromContact(CrmContact c)
    {
        var fields = new Dictionary<string, object?>
        {
            ["salutationtype"] = c.Salutation,
            ["firstname"] = c.FirstName,
            ["lastname"] = c.LastName,
            ["email"] = c.Email,
            ["otheremail"] = c.OtherEmail,
            ["phone"] = c.OfficePhone,
            ["mobile"] = c.Mobile,
            ["homephone"] = c.HomePhone,
            ["otherphone"] = c.OtherPhone,
            ["fax"] = c.Fax,
            ["title"] = c.Title,
            ["department"] = c.Department,
            ["account_id"] = c.AccountId?.ToString() ?? "",
            ["birthday"] = c.Birthday is { } b ? Format(b) : "",
            ["mailingstreet"] = c.MailingAddress.Street, ["mailingcity"] = c.MailingAddress.City, ["mailingstate"] = c.MailingAddress.State,
            ["mailingzip"] = c.MailingAddress.Zip, ["mailingcountry"] = c.MailingAddress.Country, ["mailingpobox"] = c.MailingAddress.PoBox,
            ["otherstreet"] = c.OtherAddress.Street, ["othercity"] = c.OtherAddress.City, ["otherstate"] = c.OtherAddress.State,
            ["otherzip"] = c.OtherAddress.Zip, ["othercountry"] = c.OtherAddress.Country, ["otherpobox"] = c.OtherAddress.PoBox,
            ["description"] = c.Description,
        };
        if (c.OwnerId is { } owner) fields["assigned_user_id"] = owner.ToString();
        return fields;
    }

    private DateTimeOffset? Timestamp(string value, ValueSource source) => value.Length >= 10 ? zones.Timestamp(value, source) : null;

    private static ElementId? Id(string value) => ElementId.TryParse(value, out var id) ? id : null;

    /// <summary>Y-m-d (date_start, and what the webservice takes) or the integration user's display format.</summary>
    private DateOnly? Date(string value) =>
        DateOnly.TryParseExact(value, ["yyyy-MM-dd", _userDateFormat], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : value.Length == 0 ? null
        : throw new FormatException($"'{value}' is neither Y-m-d nor the integration user's date format ({dateFormat}).");

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
