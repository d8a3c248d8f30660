using System.Globalization;
using Connector.Exchange.Graph.Models;
using M = Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph;

/// <summary>Between the mailbox model and Graph's JSON resources. Times go out in the zone the caller asked for
/// with <c>Prefer: outlook.timezone</c> (UTC otherwise).</summary>
public static class GraphMapping
{
    // ---- events --------------------------------------------------------------------------------------------

    public static Event ToEvent(M.CalendarItem item, TimeZoneInfo outZone, bool withExtendedProperties = true) => new()
    {
        ODataEtag = $"W/\"{item.ChangeKey}\"",
        Id = item.Id,
        ChangeKey = item.ChangeKey,
        CreatedDateTime = item.CreatedAt,
        LastModifiedDateTime = item.LastModifiedAt,
        TransactionId = item.TransactionId,
        Subject = item.Subject,
        Body = new ItemBody { ContentType = "html", Content = item.Body ?? "" },
        Start = Out(item.Start, outZone),
        End = Out(item.End, outZone),
        OriginalStartTimeZone = item.TimeZone,
        OriginalEndTimeZone = item.TimeZone,
        IsAllDay = item.IsAllDay,
        Location = new Location { DisplayName = item.Location ?? "", LocationType = "default" },
        ShowAs = Camel(item.ShowAs.ToString()),
        Categories = [.. item.Categories],
        ICalUId = item.ICalUId,
        Organizer = new Recipient { EmailAddress = new EmailAddressValue { Address = item.Organizer.Address, Name = item.Organizer.Name } },
        Attendees = item.Attendees.Select(a => new Attendee
        {
            Type = Camel(a.Kind.ToString()),
            Status = new ResponseStatus { Response = Camel(a.Response.ToString()), Time = a.ResponseTime ?? DateTimeOffset.MinValue },
            EmailAddress = new EmailAddressValue { Address = a.Email.Address, Name = a.Email.Name },
        }).ToList(),
        ResponseStatus = new ResponseStatus { Response = Camel(item.MyResponse.ToString()), Time = DateTimeOffset.MinValue },
        IsOrganizer = item.IsOrganizer,
        IsCancelled = item.IsCancelled,
        IsReminderOn = true,
        ReminderMinutesBeforeStart = 15,
        ResponseRequested = true,
        Type = item.Recurrence is null ? "singleInstance" : "seriesMaster",
        Recurrence = item.Recurrence is { } r ? ToPatternedRecurrence(r) : null,
        SingleValueExtendedProperties = withExtendedProperties && item.ExtendedProperties.Count > 0
            ? item.ExtendedProperties.Select(p => new SingleValueExtendedProperty { Id = p.Key, Value = p.Value }).ToList() : null,
    };

    public static Event ToEvent(M.CalendarItem master, M.Occurrence occurrence, TimeZoneInfo outZone)
    {
        var e = ToEvent(master, outZone, withExtendedProperties: false);
        e.Id = occurrence.Id;
        e.Type = occurrence.Exception is null ? "occurrence" : "exception";
        e.SeriesMasterId = master.Id;
        e.Recurrence = null;
        e.OriginalStart = occurrence.OriginalStart;
        e.Start = Out(occurrence.Start, outZone);
        e.End = Out(occurrence.End, outZone);
        if (occurrence.Exception is { } x)
        {
            e.Subject = x.Subject ?? master.Subject;
            e.Location = new Location { DisplayName = x.Location ?? master.Location ?? "", LocationType = "default" };
            e.ChangeKey = x.ChangeKey;
            e.ODataEtag = $"W/\"{x.ChangeKey}\"";
        }
        return e;
    }

    /// <summary>A new event from a POST body; validation problems are returned as (field, message).</summary>
    public static (M.CalendarItem? Item, string? Field, string? Error) FromNewEvent(Event e)
    {
        if (e.Start?.DateTime is null) return (null, "start", "start is required.");
        if (e.End?.DateTime is null) return (null, "end", "end is required.");
        DateTimeOffset start, end;
        try { (start, end) = (e.Start.ToInstant(), e.End.ToInstant()); }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException) { return (null, "start", ex.Message); }
        if (end < start) return (null, "end", "The end of the event must be after its start.");
        var item = new M.CalendarItem
        {
            Id = "", FolderId = "", ICalUId = "", Organizer = new("", null),
            Subject = e.Subject ?? "", Body = e.Body?.Content, Start = start, End = end,
            TimeZone = e.Start.TimeZone ?? "UTC", IsAllDay = e.IsAllDay ?? false, Location = e.Location?.DisplayName,
            ShowAs = ParseEnum(e.ShowAs, M.ShowAs.Busy), Categories = e.Categories ?? [],
            Attendees = (e.Attendees ?? []).Where(a => a.EmailAddress?.Address is not null).Select(ToAttendee).ToList(),
            Recurrence = e.Recurrence is { } r ? FromPatternedRecurrence(r) : null,
            ExtendedProperties = MergeProperties(new Dictionary<string, string>(), e.SingleValueExtendedProperties),
            TransactionId = e.TransactionId,
        };
        return (item, null, null);
    }

    /// <summary>Applies the properties present in a PATCH body.</summary>
    public static M.CalendarItem Patch(M.CalendarItem item, Event e) => item with
    {
        Subject = e.Subject ?? item.Subject,
        Body = e.Body?.Content ?? item.Body,
        Start = e.Start?.DateTime is not null ? e.Start.ToInstant() : item.Start,
        End = e.End?.DateTime is not null ? e.End.ToInstant() : item.End,
        TimeZone = e.Start?.TimeZone ?? item.TimeZone,
        IsAllDay = e.IsAllDay ?? item.IsAllDay,
        Location = e.Location?.DisplayName ?? item.Location,
        ShowAs = ParseEnum(e.ShowAs, item.ShowAs),
        Categories = e.Categories ?? item.Categories,
        Attendees = e.Attendees is null ? item.Attendees : e.Attendees.Where(a => a.EmailAddress?.Address is not null).Select(a =>
        {
            var existing = item.Attendees.FirstOrDefault(x => x.Email.Address.Equals(a.EmailAddress!.Address, StringComparison.OrdinalIgnoreCase));
            return ToAttendee(a) with { Response = existing?.Response ?? M.ResponseKind.None, ResponseTime = existing?.ResponseTime };
        }).ToList(),
        Recurrence = e.Recurrence is { } r ? FromPatternedRecurrence(r) : item.Recurrence,
        ExtendedProperties = MergeProperties(item.ExtendedProperties, e.SingleValueExtendedProperties),
    };

    private static M.Attendee ToAttendee(Attendee a) => new(
        new M.EmailAddress(a.EmailAddress!.Address!, a.EmailAddress.Name), ParseEnum(a.Type, M.AttendeeKind.Required), M.ResponseKind.None);

    private static IReadOnlyDictionary<string, string> MergeProperties(IReadOnlyDictionary<string, string> current, List<SingleValueExtendedProperty>? changes)
    {
        if (changes is null || changes.Count == 0) return current;
        var merged = new Dictionary<string, string>(current);
        foreach (var p in changes)
            if (p.Id is not null && M.ExtendedPropertyKey.Normalize(p.Id) is { } key)
            {
                if (p.Value is null) merged.Remove(key); else merged[key] = p.Value;
            }
        return merged;
    }

    public static PatternedRecurrence ToPatternedRecurrence(M.Recurrence r) => new()
    {
        Pattern = new RecurrencePattern
        {
            Type = Camel(r.Pattern.Kind.ToString()), Interval = r.Pattern.Interval, Month = r.Pattern.Month, DayOfMonth = r.Pattern.DayOfMonth,
            DaysOfWeek = r.Pattern.DaysOfWeek.Select(d => Camel(d.ToString())).ToList(),
            FirstDayOfWeek = Camel(r.Pattern.FirstDayOfWeek.ToString()), Index = Camel(r.Pattern.Index.ToString()),
        },
        Range = new RecurrenceRange
        {
            Type = Camel(r.Range.Kind.ToString()), StartDate = r.Range.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            EndDate = (r.Range.EndDate ?? DateOnly.MinValue).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RecurrenceTimeZone = r.Range.TimeZone ?? "UTC", NumberOfOccurrences = r.Range.NumberOfOccurrences,
        },
    };

    public static M.Recurrence FromPatternedRecurrence(PatternedRecurrence r)
    {
        var p = r.Pattern ?? throw new FormatException("recurrence.pattern is required.");
        var range = r.Range ?? throw new FormatException("recurrence.range is required.");
        var kind = ParseEnum(range.Type, M.RecurrenceRangeKind.NoEnd);
        var end = range.EndDate is { } e && DateOnly.TryParse(e, CultureInfo.InvariantCulture, out var d) && d != DateOnly.MinValue ? d : (DateOnly?)null;
        if (kind == M.RecurrenceRangeKind.EndDate && end is null) throw new FormatException("recurrence.range.endDate is required for an endDate range.");
        return new M.Recurrence(
            new M.RecurrencePattern
            {
                Kind = ParseEnum(p.Type, M.RecurrencePatternKind.Daily), Interval = p.Interval ?? 1, Month = p.Month ?? 0, DayOfMonth = p.DayOfMonth ?? 0,
                DaysOfWeek = (p.DaysOfWeek ?? []).Select(x => ParseEnum(x, DayOfWeek.Monday)).ToList(),
                FirstDayOfWeek = ParseEnum(p.FirstDayOfWeek, DayOfWeek.Sunday), Index = ParseEnum(p.Index, M.WeekIndex.First),
            },
            new M.RecurrenceRange
            {
                Kind = kind, StartDate = DateOnly.Parse(range.StartDate ?? throw new FormatException("recurrence.range.startDate is required."), CultureInfo.InvariantCulture),
                EndDate = end, NumberOfOccurrences = range.NumberOfOccurrences ?? 0, TimeZone = range.RecurrenceTimeZone,
            });
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    public static TodoTask ToTask(M.TaskItem t, TimeZoneInfo outZone) => new()
    {
        ODataEtag = $"W/\"{t.ChangeKey}\"",
        Id = t.Id, Title = t.Title, Body = new ItemBody { ContentType = "text", Content = t.Body ?? "" },
        Status = Camel(t.Status.ToString()), Importance = Camel(t.Importance.ToString()),
        IsReminderOn = t.Reminder is not null, ReminderDateTime = t.Reminder is { } r ? Out(r, outZone) : null,
        StartDateTime = t.Start is { } s ? Out(s, outZone) : null, DueDateTime = t.Due is { } d ? Out(d, outZone) : null,
        CompletedDateTime = t.Completed is { } c ? Out(c, outZone) : null,
        CreatedDateTime = t.CreatedAt, LastModifiedDateTime = t.LastModifiedAt, Categories = [.. t.Categories],
        LinkedResources = t.LinkedResources.Select(ToLinkedResource).ToList(),
    };

    public static LinkedResource ToLinkedResource(M.LinkedResource l) => new()
    {
        Id = l.Id, WebUrl = l.WebUrl, ApplicationName = l.ApplicationName, DisplayName = l.DisplayName, ExternalId = l.ExternalId,
    };

    public static M.LinkedResource FromLinkedResource(LinkedResource l) =>
        new(string.IsNullOrEmpty(l.Id) ? Guid.NewGuid().ToString() : l.Id, l.WebUrl, l.ApplicationName, l.DisplayName, l.ExternalId);

    public static M.TaskItem PatchTask(M.TaskItem t, TodoTask x) => t with
    {
        Title = x.Title ?? t.Title,
        Body = x.Body?.Content ?? t.Body,
        Status = ParseEnum(x.Status, t.Status),
        Importance = ParseEnum(x.Importance, t.Importance),
        Start = x.StartDateTime?.DateTime is not null ? x.StartDateTime.ToInstant() : t.Start,
        Due = x.DueDateTime?.DateTime is not null ? x.DueDateTime.ToInstant() : t.Due,
        Completed = x.CompletedDateTime?.DateTime is not null ? x.CompletedDateTime.ToInstant()
            : x.Status is not null && ParseEnum(x.Status, t.Status) != M.TaskStatus.Completed ? null : t.Completed,
        Reminder = x.ReminderDateTime?.DateTime is not null ? x.ReminderDateTime.ToInstant() : t.Reminder,
        Categories = x.Categories ?? t.Categories,
        LinkedResources = x.LinkedResources is null ? t.LinkedResources : [.. t.LinkedResources, .. x.LinkedResources.Select(FromLinkedResource)],
    };

    // ---- contacts --------------------------------------------------------------------------------------------

    public static Contact ToContact(M.ContactItem c) => new()
    {
        ODataEtag = $"W/\"{c.ChangeKey}\"",
        Id = c.Id, ChangeKey = c.ChangeKey, CreatedDateTime = c.CreatedAt, LastModifiedDateTime = c.LastModifiedAt, ParentFolderId = c.FolderId,
        DisplayName = c.DisplayName, GivenName = c.GivenName, Surname = c.Surname, CompanyName = c.CompanyName, Department = c.Department,
        JobTitle = c.JobTitle, EmailAddresses = c.EmailAddresses.Select(e => new EmailAddressValue { Address = e.Address, Name = e.Name }).ToList(),
        BusinessPhones = [.. c.BusinessPhones], HomePhones = [.. c.HomePhones], MobilePhone = c.MobilePhone,
        BusinessAddress = ToAddress(c.BusinessAddress), HomeAddress = ToAddress(c.HomeAddress), Categories = [.. c.Categories],
        PersonalNotes = c.Body ?? "",
        SingleValueExtendedProperties = c.ExtendedProperties.Count > 0
            ? c.ExtendedProperties.Select(p => new SingleValueExtendedProperty { Id = p.Key, Value = p.Value }).ToList() : null,
    };

    public static M.ContactItem PatchContact(M.ContactItem c, Contact x) => c with
    {
        DisplayName = x.DisplayName ?? c.DisplayName ?? string.Join(' ', new[] { x.GivenName ?? c.GivenName, x.Surname ?? c.Surname }.Where(s => !string.IsNullOrEmpty(s))),
        GivenName = x.GivenName ?? c.GivenName, Surname = x.Surname ?? c.Surname, CompanyName = x.CompanyName ?? c.CompanyName,
        Department = x.Department ?? c.Department, JobTitle = x.JobTitle ?? c.JobTitle,
        EmailAddresses = x.EmailAddresses?.Where(e => e.Address is not null).Select(e => new M.EmailAddress(e.Address!, e.Name)).ToList() ?? c.EmailAddresses,
        BusinessPhones = x.BusinessPhones ?? c.BusinessPhones, HomePhones = x.HomePhones ?? c.HomePhones, MobilePhone = x.MobilePhone ?? c.MobilePhone,
        BusinessAddress = FromAddress(x.BusinessAddress) ?? c.BusinessAddress, HomeAddress = FromAddress(x.HomeAddress) ?? c.HomeAddress,
        Categories = x.Categories ?? c.Categories, Body = x.PersonalNotes ?? c.Body,
        ExtendedProperties = MergeProperties(c.ExtendedProperties, x.SingleValueExtendedProperties),
    };

    private static PhysicalAddress? ToAddress(M.PhysicalAddress? a) => a is null ? new PhysicalAddress() :
        new PhysicalAddress { Street = a.Street, City = a.City, State = a.State, PostalCode = a.PostalCode, CountryOrRegion = a.Country };

    private static M.PhysicalAddress? FromAddress(PhysicalAddress? a) => a is null ? null : new(a.Street, a.City, a.State, a.PostalCode, a.CountryOrRegion);

    // ---- helpers ---------------------------------------------------------------------------------------------

    public static DateTimeTimeZone Out(DateTimeOffset instant, TimeZoneInfo zone) => zone == TimeZoneInfo.Utc
        ? DateTimeTimeZone.FromUtc(instant)
        : new DateTimeTimeZone
        {
            DateTime = TimeZoneInfo.ConvertTime(instant, zone).DateTime.ToString(DateTimeTimeZone.Format, CultureInfo.InvariantCulture),
            TimeZone = zone.Id,
        };

    public static string Camel(string pascal) => pascal.Length == 0 ? pascal : char.ToLowerInvariant(pascal[0]) + pascal[1..];

    public static T ParseEnum<T>(string? value, T fallback) where T : struct, Enum =>
        value is not null && Enum.TryParse<T>(value, ignoreCase: true, out var parsed) ? parsed : fallback;
}
