using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Items;

public sealed record EwsAttendee(string Email, string? Name = null, string? ResponseType = null);

/// <summary>An exception of a series: a moved/edited occurrence (with its own id) or a deleted one.</summary>
public sealed record ModifiedOccurrence(EwsItemId Id, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset OriginalStart);

/// <summary>A calendar item as the connector reads and writes it. Times are UTC instants.</summary>
public sealed record CalendarEvent
{
    public EwsItemId? Id { get; init; }
    public required string Subject { get; init; }
    public string? Body { get; init; }
    public string? Location { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public bool IsAllDay { get; init; }
    /// <summary>Free, Tentative, Busy, OOF, WorkingElsewhere or NoData.</summary>
    public string? FreeBusy { get; init; }
    public int? ReminderMinutesBeforeStart { get; init; }
    public IReadOnlyList<EwsAttendee> RequiredAttendees { get; init; } = [];
    public IReadOnlyList<EwsAttendee> OptionalAttendees { get; init; } = [];
    public Recurrence? Recurrence { get; init; }
    /// <summary>
    /// The <c>t:Recurrence</c> element as read, or to write when <see cref="Recurrence"/> is null: all six patterns
    /// (<see cref="Sync.EwsRecurrenceMapping"/> converts it to and from the domain's rule).
    /// </summary>
    public XElement? RecurrenceXml { get; init; }
    /// <summary>False: an update leaves the series' recurrence alone (writing it makes Exchange drop the exceptions).</summary>
    public bool WriteRecurrence { get; init; } = true;
    /// <summary>The Windows zone id of <c>StartTimeZone</c> (and <c>EndTimeZone</c>): the zone a series keeps its wall clock in.</summary>
    public string? StartTimeZoneId { get; init; }
    /// <summary>The <c>StartTimeZone</c> definition as read (periods and transitions: the rules of a zone whose id is unknown).</summary>
    public XElement? StartTimeZoneXml { get; init; }
    /// <summary>The IANA name of the series' zone (see <see cref="SeriesZoneProperty"/>); written with the recurrence.</summary>
    public string? SeriesZone { get; init; }
    public string? CrmId { get; init; }

    // Read-only, from the server
    public string? Uid { get; init; }
    public string? Organizer { get; init; }
    /// <summary>Single, Occurrence, Exception or RecurringMaster.</summary>
    public string? CalendarItemType { get; init; }
    /// <summary>Unknown, Organizer, Tentative, Accept, Decline, NoResponseReceived.</summary>
    public string? MyResponseType { get; init; }
    /// <summary>From <c>IsOrganizer</c> (2013 SP1), or from <c>MyResponseType = Organizer</c> on 2010 SP2.</summary>
    public bool? IsOrganizer { get; init; }
    /// <summary>An occurrence's or exception's start as the series pattern gives it.</summary>
    public DateTimeOffset? OriginalStart { get; init; }
    public IReadOnlyList<ModifiedOccurrence> ModifiedOccurrences { get; init; } = [];
    public IReadOnlyList<DateTimeOffset> DeletedOccurrences { get; init; } = [];

    /// <summary>The writable fields in schema order (ItemType fields, the CRM-id property, then CalendarItemType fields).</summary>
    internal IEnumerable<ItemField> Fields()
    {
        yield return ItemField.Uri("item:Subject", X.T("Subject", Subject));
        yield return ItemField.Uri("item:Body", Body is null ? null : X.T("Body", new XAttribute("BodyType", "Text"), Body));
        yield return ItemField.Uri("item:ReminderIsSet", X.T("ReminderIsSet", ReminderMinutesBeforeStart is not null));
        if (ReminderMinutesBeforeStart is { } minutes)
            yield return ItemField.Uri("item:ReminderMinutesBeforeStart", X.T("ReminderMinutesBeforeStart", minutes));
        if (CrmId is not null) yield return new ItemField(CrmIdProperty.FieldUri(), CrmIdProperty.Value(CrmId));
        if (SeriesZone is not null) yield return new ItemField(SeriesZoneProperty.FieldUri(), SeriesZoneProperty.Value(SeriesZone));
        yield return ItemField.Uri("calendar:Start", X.T("Start", EwsTime.Format(Start)));
        yield return ItemField.Uri("calendar:End", X.T("End", EwsTime.Format(End)));
        yield return ItemField.Uri("calendar:IsAllDayEvent", X.T("IsAllDayEvent", IsAllDay));
        if (FreeBusy is not null) yield return ItemField.Uri("calendar:LegacyFreeBusyStatus", X.T("LegacyFreeBusyStatus", FreeBusy));
        yield return ItemField.Uri("calendar:Location", X.TextOrNull("Location", Location));
        yield return ItemField.Uri("calendar:RequiredAttendees", Attendees("RequiredAttendees", RequiredAttendees));
        yield return ItemField.Uri("calendar:OptionalAttendees", Attendees("OptionalAttendees", OptionalAttendees));
        // A series keeps its rule on the master only; occurrences are addressed with OccurrenceItemId instead.
        if (CalendarItemType is null or "Single" or "RecurringMaster" && WriteRecurrence)
        {
            yield return ItemField.Uri("calendar:Recurrence", Recurrence?.ToXml() ?? RecurrenceXml);
            if (StartTimeZoneId is not null)
            {
                yield return ItemField.Uri("calendar:StartTimeZone", X.T("StartTimeZone", new XAttribute("Id", StartTimeZoneId)));
                yield return ItemField.Uri("calendar:EndTimeZone", X.T("EndTimeZone", new XAttribute("Id", StartTimeZoneId)));
            }
        }
    }

    /// <summary>What an exception of a series may change (UpdateItem on an OccurrenceItemId), in schema order.</summary>
    internal IEnumerable<ItemField> OccurrenceFields()
    {
        yield return ItemField.Uri("item:Subject", X.T("Subject", Subject));
        yield return ItemField.Uri("item:Body", X.T("Body", new XAttribute("BodyType", "Text"), Body ?? ""));
        yield return ItemField.Uri("calendar:Start", X.T("Start", EwsTime.Format(Start)));
        yield return ItemField.Uri("calendar:End", X.T("End", EwsTime.Format(End)));
        yield return ItemField.Uri("calendar:Location", X.TextOrNull("Location", Location));
    }

    private static XElement? Attendees(string name, IReadOnlyList<EwsAttendee> attendees) => attendees.Count == 0
        ? null
        : X.T(name, attendees.Select(a => X.T("Attendee",
            X.T("Mailbox", X.TextOrNull("Name", a.Name), X.T("EmailAddress", a.Email)))));

    internal static CalendarEvent Parse(XElement item)
    {
        var myResponse = item.Text("MyResponseType");
        return new CalendarEvent
        {
            Id = item.Element(Ns.T + "ItemId") is { } id ? EwsItemId.From(id) : null,
            Subject = item.Text("Subject") ?? "",
            Body = item.Text("Body"),
            Location = item.Text("Location"),
            Start = item.Time("Start") ?? default,
            End = item.Time("End") ?? default,
            IsAllDay = item.Bool("IsAllDayEvent") ?? false,
            FreeBusy = item.Text("LegacyFreeBusyStatus"),
            ReminderMinutesBeforeStart = item.Bool("ReminderIsSet") == true ? item.Int("ReminderMinutesBeforeStart") : null,
            RequiredAttendees = ParseAttendees(item.Element(Ns.T + "RequiredAttendees")),
            OptionalAttendees = ParseAttendees(item.Element(Ns.T + "OptionalAttendees")),
            Recurrence = Recurrence.Parse(item.Element(Ns.T + "Recurrence")),
            RecurrenceXml = item.Element(Ns.T + "Recurrence") is { } recurrence ? new XElement(recurrence) : null,
            StartTimeZoneId = (string?)item.Element(Ns.T + "StartTimeZone")?.Attribute("Id")
                ?? (string?)item.Element(Ns.T + "MeetingTimeZone")?.Attribute("TimeZoneName"),
            StartTimeZoneXml = item.Element(Ns.T + "StartTimeZone") is { } zone ? new XElement(zone) : null,
            OriginalStart = item.Time("OriginalStart"),
            CrmId = CrmIdProperty.Read(item),
            SeriesZone = SeriesZoneProperty.Read(item),
            Uid = item.Text("UID"),
            Organizer = item.Element(Ns.T + "Organizer")?.Element(Ns.T + "Mailbox")?.Text("EmailAddress"),
            CalendarItemType = item.Text("CalendarItemType"),
            MyResponseType = myResponse,
            IsOrganizer = item.Bool("IsOrganizer") ?? (myResponse is null ? null : myResponse == "Organizer"),
            ModifiedOccurrences = item.Element(Ns.T + "ModifiedOccurrences")?.Elements(Ns.T + "Occurrence")
                .Select(o => new ModifiedOccurrence(EwsItemId.From(o.Element(Ns.T + "ItemId")!),
                    o.Time("Start")!.Value, o.Time("End")!.Value, o.Time("OriginalStart")!.Value)).ToList() ?? [],
            DeletedOccurrences = item.Element(Ns.T + "DeletedOccurrences")?.Elements(Ns.T + "DeletedOccurrence")
                .Select(d => d.Time("Start")!.Value).ToList() ?? [],
        };
    }

    private static IReadOnlyList<EwsAttendee> ParseAttendees(XElement? list) => list?.Elements(Ns.T + "Attendee")
        .Select(a => new EwsAttendee(a.Element(Ns.T + "Mailbox")?.Text("EmailAddress") ?? "",
            a.Element(Ns.T + "Mailbox")?.Text("Name"), a.Text("ResponseType"))).ToList() ?? [];
}
