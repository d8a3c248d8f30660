using System.Globalization;
using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;
using MailTaskStatus = Connector.Simulators.Mailboxes.TaskStatus;

namespace Connector.Simulators.Ews;

/// <summary>
/// Maps the protocol-neutral mailbox items to EWS XML and back. Writing follows the schema's element order;
/// reading applies one element at a time, so CreateItem (all children) and SetItemField (one child) share the code.
/// </summary>
internal static class EwsItemMapper
{
    public static string ElementName(MailItem item) => item switch
    {
        CalendarItem => "CalendarItem",
        TaskItem => "Task",
        ContactItem => "Contact",
        _ => "Item",
    };

    // ---------------------------------------------------------------- reading (request → model)

    /// <summary>Applies every child of an item element (CreateItem) to <paramref name="item"/>.</summary>
    public static T ApplyAll<T>(T item, XElement element) where T : MailItem
    {
        foreach (var child in element.Elements()) item = Apply(item, child);
        return item;
    }

    /// <summary>Applies one property element (a child of CalendarItem/Task/Contact).</summary>
    public static T Apply<T>(T item, XElement e) where T : MailItem
    {
        var name = e.Name.LocalName;
        MailItem result = name switch
        {
            "Body" => item with { Body = e.Value },
            "Categories" => item with { Categories = e.Elements().Select(s => s.Value).ToList() },
            "ExtendedProperty" => WithExtendedProperty(item, e),
            _ => item switch
            {
                CalendarItem c => ApplyCalendar(c, name, e),
                TaskItem t => ApplyTask(t, name, e),
                ContactItem k => ApplyContact(k, name, e),
                _ => item,
            },
        };
        return (T)result;
    }

    /// <summary>DeleteItemField: clears the property named by a FieldURI ("calendar:Location") or an ExtendedFieldURI.</summary>
    public static T Clear<T>(T item, XElement path) where T : MailItem
    {
        if (path.Name.LocalName == "ExtendedFieldURI")
        {
            var key = PropertyKey(path);
            return item with { ExtendedProperties = item.ExtendedProperties.Where(p => p.Key != key).ToDictionary() };
        }
        var field = ((string?)path.Attribute("FieldURI") ?? "").Split(':').Last();
        var index = (string?)path.Attribute("FieldIndex");
        MailItem result = (item, field) switch
        {
            (_, "Body") => item with { Body = null },
            (CalendarItem c, "Location") => c with { Location = null },
            (CalendarItem c, "RequiredAttendees") => c with { Attendees = c.Attendees.Where(a => a.Kind != AttendeeKind.Required).ToList() },
            (CalendarItem c, "OptionalAttendees") => c with { Attendees = c.Attendees.Where(a => a.Kind != AttendeeKind.Optional).ToList() },
            (CalendarItem c, "Recurrence") => c with { Recurrence = null, Exceptions = [], DeletedOccurrences = [] },
            (TaskItem t, "DueDate") => t with { Due = null },
            (TaskItem t, "StartDate") => t with { Start = null },
            (ContactItem k, "GivenName") => k with { GivenName = null },
            (ContactItem k, "Surname") => k with { Surname = null },
            (ContactItem k, "CompanyName") => k with { CompanyName = null },
            (ContactItem k, "Department") => k with { Department = null },
            (ContactItem k, "JobTitle") => k with { JobTitle = null },
            (ContactItem k, "EmailAddress") => k with { EmailAddresses = index == "EmailAddress1" ? k.EmailAddresses.Skip(1).ToList() : k.EmailAddresses },
            (ContactItem k, "PhoneNumber") when index == "MobilePhone" => k with { MobilePhone = null },
            (ContactItem k, "PhoneNumber") when index == "BusinessPhone" => k with { BusinessPhones = [] },
            _ => item,
        };
        return (T)result;
    }

    private static CalendarItem ApplyCalendar(CalendarItem c, string name, XElement e) => name switch
    {
        "Subject" => c with { Subject = e.Value },
        "Start" => c with { Start = ParseTime(e.Value) },
        "End" => c with { End = ParseTime(e.Value) },
        "IsAllDayEvent" => c with { IsAllDay = (bool)e },
        "LegacyFreeBusyStatus" => c with { ShowAs = e.Value switch
        {
            "Free" => ShowAs.Free, "Tentative" => ShowAs.Tentative, "OOF" => ShowAs.Oof,
            "WorkingElsewhere" => ShowAs.WorkingElsewhere, "NoData" => ShowAs.Unknown, _ => ShowAs.Busy,
        } },
        "Location" => c with { Location = e.Value },
        "RequiredAttendees" => c with { Attendees = [.. c.Attendees.Where(a => a.Kind != AttendeeKind.Required), .. ReadAttendees(e, AttendeeKind.Required)] },
        "OptionalAttendees" => c with { Attendees = [.. c.Attendees.Where(a => a.Kind != AttendeeKind.Optional), .. ReadAttendees(e, AttendeeKind.Optional)] },
        "Resources" => c with { Attendees = [.. c.Attendees.Where(a => a.Kind != AttendeeKind.Resource), .. ReadAttendees(e, AttendeeKind.Resource)] },
        // Writing the recurrence rewrites the series: Exchange cancels its exceptions and deleted occurrences.
        "Recurrence" => c with { Recurrence = ReadRecurrence(e), Exceptions = [], DeletedOccurrences = [] },
        "StartTimeZone" or "MeetingTimeZone" => c with { TimeZone = (string?)e.Attribute("Id") ?? c.TimeZone },
        _ => c,
    };

    private static TaskItem ApplyTask(TaskItem t, string name, XElement e) => name switch
    {
        "Subject" => t with { Title = e.Value },
        "DueDate" => t with { Due = ParseTime(e.Value) },
        "StartDate" => t with { Start = ParseTime(e.Value) },
        "CompleteDate" => t with { Completed = ParseTime(e.Value) },
        "Status" => t with { Status = Enum.TryParse<MailTaskStatus>(e.Value, out var s) ? s : t.Status },
        "PercentComplete" => t with { Status = double.Parse(e.Value, CultureInfo.InvariantCulture) >= 100 ? MailTaskStatus.Completed : t.Status },
        "Importance" => t with { Importance = Enum.TryParse<Importance>(e.Value, out var i) ? i : t.Importance },
        _ => t,
    };

    private static ContactItem ApplyContact(ContactItem k, string name, XElement e) => name switch
    {
        "DisplayName" => k with { DisplayName = e.Value },
        "GivenName" => k with { GivenName = e.Value },
        "Surname" => k with { Surname = e.Value },
        "CompanyName" => k with { CompanyName = e.Value },
        "Department" => k with { Department = e.Value },
        "JobTitle" => k with { JobTitle = e.Value },
        "EmailAddresses" => e.Elements(T + "Entry").Aggregate(k, (c, entry) => (string?)entry.Attribute("Key") switch
        {
            "EmailAddress1" => c with { EmailAddresses = [new EmailAddress(entry.Value, null), .. c.EmailAddresses.Skip(1)] },
            "EmailAddress2" or "EmailAddress3" => c with { EmailAddresses = [.. c.EmailAddresses, new EmailAddress(entry.Value, null)] },
            _ => c,
        }),
        "PhoneNumbers" => e.Elements(T + "Entry").Aggregate(k, (c, entry) => (string?)entry.Attribute("Key") switch
        {
            "BusinessPhone" => c with { BusinessPhones = [entry.Value] },
            "MobilePhone" => c with { MobilePhone = entry.Value },
            "HomePhone" => c with { HomePhones = [entry.Value] },
            _ => c,
        }),
        _ => k,
    };

    private static IEnumerable<Attendee> ReadAttendees(XElement list, AttendeeKind kind) =>
        list.Elements(T + "Attendee").Select(a => a.Element(T + "Mailbox")!).Select(m =>
            new Attendee(new EmailAddress(m.Text("EmailAddress") ?? "", m.Text("Name")), kind));

    private static Recurrence? ReadRecurrence(XElement e)
    {
        var parts = e.Elements().ToList();
        if (parts.Count < 2) return null;
        var (p, r) = (parts[0], parts[1]);
        var pattern = new RecurrencePattern
        {
            Kind = p.Name.LocalName switch
            {
                "DailyRecurrence" => RecurrencePatternKind.Daily,
                "WeeklyRecurrence" => RecurrencePatternKind.Weekly,
                "AbsoluteMonthlyRecurrence" => RecurrencePatternKind.AbsoluteMonthly,
                "RelativeMonthlyRecurrence" => RecurrencePatternKind.RelativeMonthly,
                "AbsoluteYearlyRecurrence" => RecurrencePatternKind.AbsoluteYearly,
                "RelativeYearlyRecurrence" => RecurrencePatternKind.RelativeYearly,
                var other => throw new EwsSimError("ErrorInvalidRecurrence", $"Unsupported pattern {other}."),
            },
            Interval = (int?)p.Element(T + "Interval") ?? 1,
            DaysOfWeek = p.Text("DaysOfWeek")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(DayOfWeekType).Distinct().ToList() ?? [],
            DayOfMonth = (int?)p.Element(T + "DayOfMonth") ?? 0,
            Month = p.Text("Month") is { } m ? Array.IndexOf(CultureInfo.InvariantCulture.DateTimeFormat.MonthNames, m) + 1 : 0,
            FirstDayOfWeek = p.Text("FirstDayOfWeek") is { } f ? Enum.Parse<DayOfWeek>(f) : DayOfWeek.Sunday,
            Index = p.Text("DayOfWeekIndex") is { } i ? Enum.Parse<WeekIndex>(i) : WeekIndex.First,
        };
        var range = new RecurrenceRange
        {
            Kind = r.Name.LocalName switch
            {
                "EndDateRecurrence" => RecurrenceRangeKind.EndDate,
                "NumberedRecurrence" => RecurrenceRangeKind.Numbered,
                _ => RecurrenceRangeKind.NoEnd,
            },
            StartDate = ParseDate(r.Text("StartDate")!),
            EndDate = r.Text("EndDate") is { } end ? ParseDate(end) : null,
            NumberOfOccurrences = (int?)r.Element(T + "NumberOfOccurrences") ?? 0,
        };
        return new Recurrence(pattern, range);
    }

    // A relative pattern's DayOfWeekType may name a set: Day, Weekday or WeekendDay.
    private static IEnumerable<DayOfWeek> DayOfWeekType(string name) => name switch
    {
        "Day" => Enum.GetValues<DayOfWeek>(),
        "Weekday" => [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        "WeekendDay" => [DayOfWeek.Saturday, DayOfWeek.Sunday],
        _ => Enum.TryParse<DayOfWeek>(name, out var d) ? [d] : throw new EwsSimError("ErrorSchemaValidation", $"'{name}' is not a day of the week."),
    };

    private static string DayOfWeekTypeName(IReadOnlyList<DayOfWeek> days) => days.Count switch
    {
        7 => "Day",
        5 when !days.Contains(DayOfWeek.Saturday) && !days.Contains(DayOfWeek.Sunday) => "Weekday",
        2 when days.Contains(DayOfWeek.Saturday) && days.Contains(DayOfWeek.Sunday) => "WeekendDay",
        _ => days[0].ToString(),
    };

    private static TItem WithExtendedProperty<TItem>(TItem item, XElement e) where TItem : MailItem
    {
        var key = PropertyKey(e.Element(T + "ExtendedFieldURI")!);
        var values = item.ExtendedProperties.ToDictionary();
        values[key] = e.Text("Value") ?? "";
        return item with { ExtendedProperties = values };
    }

    /// <summary>The protocol-neutral key Graph uses too: "String {GUID} Name CrmId".</summary>
    public static string PropertyKey(XElement uri)
    {
        var type = (string?)uri.Attribute("PropertyType") ?? "String";
        var set = Guid.Parse((string?)uri.Attribute("PropertySetId") ?? throw new EwsSimError("ErrorInvalidExtendedProperty",
            "Only named properties with a PropertySetId are supported."));
        return ExtendedPropertyKey.From(type, set, (string?)uri.Attribute("PropertyName") ?? "");
    }

    // ---------------------------------------------------------------- writing (model → response)

    public static XElement ItemIdXml(string id, string changeKey) => Tx("ItemId", new XAttribute("Id", id), new XAttribute("ChangeKey", changeKey));

    /// <summary>The item as GetItem returns it (AllProperties plus extended properties), in schema order.</summary>
    public static XElement Write(Mailbox mailbox, MailItem item, SimulatedVersion version, bool idOnly = false)
    {
        var element = new XElement(T + ElementName(item), ItemIdXml(item.Id, item.ChangeKey));
        if (idOnly) return element;
        element.Add(Tx("ParentFolderId", new XAttribute("Id", item.FolderId)));
        element.Add(Tx("ItemClass", item switch { CalendarItem => "IPM.Appointment", TaskItem => "IPM.Task", _ => "IPM.Contact" }));
        var subject = item switch { CalendarItem c => c.Subject, TaskItem t => t.Title, ContactItem k => k.DisplayName, _ => null };
        if (subject is not null) element.Add(Tx("Subject", subject));
        if (item.Body is not null) element.Add(Tx("Body", new XAttribute("BodyType", "Text"), item.Body));
        if (item.Categories.Count > 0) element.Add(Tx("Categories", item.Categories.Select(c => Tx("String", c))));
        if (item is TaskItem task) element.Add(Tx("Importance", task.Importance.ToString()));
        element.Add(Tx("DateTimeCreated", Time(item.CreatedAt)));
        foreach (var (key, value) in item.ExtendedProperties)
        {
            var parts = key.Split(' ', 4);
            if (parts.Length != 4) continue;
            element.Add(Tx("ExtendedProperty",
                Tx("ExtendedFieldURI", new XAttribute("PropertySetId", parts[1].Trim('{', '}')),
                    new XAttribute("PropertyName", parts[3]), new XAttribute("PropertyType", parts[0])),
                Tx("Value", value)));
        }
        element.Add(Tx("LastModifiedTime", Time(item.LastModifiedAt)));
        switch (item)
        {
            case CalendarItem c: element.Add(CalendarFields(mailbox, c, version)); break;
            case TaskItem t: element.Add(TaskFields(t)); break;
            case ContactItem k: element.Add(ContactFields(k)); break;
        }
        return element;
    }

    private static IEnumerable<XElement> CalendarFields(Mailbox mailbox, CalendarItem c, SimulatedVersion version)
    {
        yield return Tx("UID", c.ICalUId);
        yield return Tx("Start", Time(c.Start));
        yield return Tx("End", Time(c.End));
        yield return Tx("IsAllDayEvent", c.IsAllDay);
        yield return Tx("LegacyFreeBusyStatus", FreeBusy(c.ShowAs));
        if (c.Location is not null) yield return Tx("Location", c.Location);
        yield return Tx("IsMeeting", c.IsMeeting);
        yield return Tx("IsCancelled", c.IsCancelled);
        yield return Tx("IsRecurring", c.Recurrence is not null);
        yield return Tx("CalendarItemType", c.Recurrence is not null ? "RecurringMaster" : "Single");
        yield return Tx("MyResponseType", Response(c.MyResponse));
        yield return Tx("Organizer", Tx("Mailbox", Mailbox(c.Organizer).ToArray()));
        foreach (var (kind, name) in new[] { (AttendeeKind.Required, "RequiredAttendees"), (AttendeeKind.Optional, "OptionalAttendees"), (AttendeeKind.Resource, "Resources") })
        {
            var list = c.Attendees.Where(a => a.Kind == kind).ToList();
            if (list.Count > 0)
                yield return Tx(name, list.Select(a => Tx("Attendee", Tx("Mailbox", Mailbox(a.Email).ToArray()), Tx("ResponseType", Response(a.Response)))));
        }
        if (c.Recurrence is { } r)
        {
            yield return RecurrenceXml(r);
            if (c.Exceptions.Count > 0)
                yield return Tx("ModifiedOccurrences", c.Exceptions.Select(x => Tx("Occurrence",
                    ItemIdXml(RecurrenceExpander.OccurrenceId(c.Id, x.OriginalStart), c.ChangeKey),
                    Tx("Start", Time(x.Start)), Tx("End", Time(x.End)), Tx("OriginalStart", Time(x.OriginalStart)))));
            if (c.DeletedOccurrences.Count > 0)
                yield return Tx("DeletedOccurrences", c.DeletedOccurrences.Select(d => Tx("DeletedOccurrence", Tx("Start", Time(d)))));
        }
        var windowsZone = WindowsZoneId(c.TimeZone);
        yield return Tx("StartTimeZone", new XAttribute("Id", windowsZone));
        yield return Tx("EndTimeZone", new XAttribute("Id", windowsZone));
        if (version >= SimulatedVersion.Exchange2013_SP1) yield return Tx("IsOrganizer", c.IsOrganizer);
    }

    /// <summary>One computed occurrence as an item (CalendarItemType Occurrence or Exception).</summary>
    public static XElement WriteOccurrence(CalendarItem master, Occurrence o, SimulatedVersion version)
    {
        var changeKey = master.ChangeKey; // occurrences share the master's ChangeKey
        return new XElement(T + "CalendarItem",
            ItemIdXml(o.Id, changeKey),
            Tx("ParentFolderId", new XAttribute("Id", master.FolderId)),
            Tx("ItemClass", "IPM.Appointment"),
            Tx("Subject", o.Exception?.Subject ?? master.Subject),
            (o.Exception?.Body ?? master.Body) is { } body ? Tx("Body", new XAttribute("BodyType", "Text"), body) : null,
            Tx("UID", master.ICalUId),
            Tx("Start", Time(o.Start)), Tx("End", Time(o.End)), Tx("OriginalStart", Time(o.OriginalStart)),
            Tx("IsAllDayEvent", master.IsAllDay),
            Tx("LegacyFreeBusyStatus", FreeBusy(master.ShowAs)),
            (o.Exception?.Location ?? master.Location) is { } location ? Tx("Location", location) : null,
            Tx("IsRecurring", true),
            Tx("CalendarItemType", o.Exception is null ? "Occurrence" : "Exception"),
            Tx("MyResponseType", Response(master.MyResponse)),
            Tx("Organizer", Tx("Mailbox", Mailbox(master.Organizer).ToArray())),
            version >= SimulatedVersion.Exchange2013_SP1 ? Tx("IsOrganizer", master.IsOrganizer) : null);
    }

    private static IEnumerable<XElement> TaskFields(TaskItem t)
    {
        if (t.Completed is { } done) yield return Tx("CompleteDate", Time(done));
        if (t.Due is { } due) yield return Tx("DueDate", Time(due));
        yield return Tx("IsComplete", t.Status == MailTaskStatus.Completed);
        yield return Tx("PercentComplete", t.Status switch { MailTaskStatus.Completed => 100, MailTaskStatus.InProgress => 50, _ => 0 });
        if (t.Start is { } start) yield return Tx("StartDate", Time(start));
        yield return Tx("Status", t.Status.ToString());
    }

    private static IEnumerable<XElement> ContactFields(ContactItem k)
    {
        var fileAs = string.Join(", ", new[] { k.Surname, k.GivenName }.Where(s => !string.IsNullOrEmpty(s)));
        yield return Tx("FileAs", fileAs);
        if (k.DisplayName is not null) yield return Tx("DisplayName", k.DisplayName);
        if (k.GivenName is not null) yield return Tx("GivenName", k.GivenName);
        if (k.CompanyName is not null) yield return Tx("CompanyName", k.CompanyName);
        if (k.EmailAddresses.Count > 0)
            yield return Tx("EmailAddresses", k.EmailAddresses.Take(3).Select((a, i) => Tx("Entry", new XAttribute("Key", $"EmailAddress{i + 1}"), a.Address)));
        var phones = k.BusinessPhones.Take(1).Select(p => ("BusinessPhone", p))
            .Concat(k.HomePhones.Take(1).Select(p => ("HomePhone", p)))
            .Concat(k.MobilePhone is null ? [] : new[] { ("MobilePhone", k.MobilePhone) }).ToList();
        if (phones.Count > 0) yield return Tx("PhoneNumbers", phones.Select(p => Tx("Entry", new XAttribute("Key", p.Item1), p.Item2)));
        if (k.Department is not null) yield return Tx("Department", k.Department);
        if (k.JobTitle is not null) yield return Tx("JobTitle", k.JobTitle);
        if (k.Surname is not null) yield return Tx("Surname", k.Surname);
    }

    private static XElement RecurrenceXml(Recurrence r)
    {
        var p = r.Pattern;
        var dayList = p.DaysOfWeek.Count > 0 ? p.DaysOfWeek : [r.Range.StartDate.DayOfWeek];
        var days = p.Kind is RecurrencePatternKind.RelativeMonthly or RecurrencePatternKind.RelativeYearly
            ? DayOfWeekTypeName(dayList)
            : string.Join(' ', dayList.Select(d => d.ToString()));
        var month = p.Month > 0 ? CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(p.Month) : null;
        XElement pattern = p.Kind switch
        {
            RecurrencePatternKind.Daily => Tx("DailyRecurrence", Tx("Interval", p.Interval)),
            RecurrencePatternKind.Weekly => Tx("WeeklyRecurrence", Tx("Interval", p.Interval), Tx("DaysOfWeek", days), Tx("FirstDayOfWeek", p.FirstDayOfWeek.ToString())),
            RecurrencePatternKind.AbsoluteMonthly => Tx("AbsoluteMonthlyRecurrence", Tx("Interval", p.Interval), Tx("DayOfMonth", p.DayOfMonth)),
            RecurrencePatternKind.RelativeMonthly => Tx("RelativeMonthlyRecurrence", Tx("Interval", p.Interval), Tx("DaysOfWeek", days), Tx("DayOfWeekIndex", p.Index.ToString())),
            RecurrencePatternKind.AbsoluteYearly => Tx("AbsoluteYearlyRecurrence", Tx("DayOfMonth", p.DayOfMonth), Tx("Month", month)),
            _ => Tx("RelativeYearlyRecurrence", Tx("DaysOfWeek", days), Tx("DayOfWeekIndex", p.Index.ToString()), Tx("Month", month)),
        };
        var start = Tx("StartDate", r.Range.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        XElement range = r.Range.Kind switch
        {
            RecurrenceRangeKind.EndDate => Tx("EndDateRecurrence", start, Tx("EndDate", r.Range.EndDate!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
            RecurrenceRangeKind.Numbered => Tx("NumberedRecurrence", start, Tx("NumberOfOccurrences", r.Range.NumberOfOccurrences)),
            _ => Tx("NoEndRecurrence", start),
        };
        return Tx("Recurrence", pattern, range);
    }

    /// <summary>Exchange names zones by Windows id; items written through Graph may carry an IANA id.</summary>
    private static string WindowsZoneId(string zone) =>
        TimeZoneInfo.TryConvertIanaIdToWindowsId(zone, out var windows) ? windows : zone;

    private static IEnumerable<XElement> Mailbox(EmailAddress email)
    {
        if (email.Name is not null) yield return Tx("Name", email.Name);
        yield return Tx("EmailAddress", email.Address);
        yield return Tx("RoutingType", "SMTP");
    }

    public static string FreeBusy(ShowAs showAs) => showAs switch
    {
        ShowAs.Free => "Free", ShowAs.Tentative => "Tentative", ShowAs.Oof => "OOF",
        ShowAs.WorkingElsewhere => "WorkingElsewhere", ShowAs.Unknown => "NoData", _ => "Busy",
    };

    private static string Response(ResponseKind response) => response switch
    {
        ResponseKind.Organizer => "Organizer", ResponseKind.TentativelyAccepted => "Tentative", ResponseKind.Accepted => "Accept",
        ResponseKind.Declined => "Decline", ResponseKind.NotResponded => "NoResponseReceived", _ => "Unknown",
    };
}
