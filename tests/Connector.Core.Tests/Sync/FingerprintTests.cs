using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Recurrence;
using Connector.Core.Sync;
using Connector.Core.Tasks;

namespace Connector.Core.Tests.Sync;

public class FingerprintTests
{
    private static readonly CalendarEvent Event = new()
    {
        Subject = "Kick-off",
        Span = EventSpan.Timed(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.FromHours(2)), "Europe/Rome"),
        Location = "Room 1",
        Description = "Agenda:\r\n1. Scope",
        Organizer = new Organizer("Alice@Example.test"),
        Attendees = ValueList.Of(new Attendee("bob@example.test"), new Attendee("carol@example.test", role: AttendeeRole.Optional)),
        ReminderMinutesBefore = 15,
    };

    [Fact]
    public void The_fingerprint_is_stable_across_releases()
    {
        // Stored in every link: if the canonical text changes, every synced item looks changed after an upgrade
        // and is rewritten. Change it only with a migration that recomputes stored fingerprints.
        const string canonical =
            "kind=Event\n" +
            "subject=Kick-off\n" +
            "span=2026-05-04 07:00:00Z..2026-05-04 08:00:00Z\n" +
            "location=Room 1\n" +
            "description=Agenda:\\n1. Scope\n" +
            "organizer=alice@example.test\n" +
            "showAs=Busy\n" +
            "sensitivity=Normal\n" +
            "reminder=15\n" +
            "attendee=bob@example.test|Required|None\n" +
            "attendee=carol@example.test|Optional|None\n";
        var writer = new FingerprintWriter().Add("kind", RecordKind.Event);
        Event.WriteContent(writer);

        Assert.Equal(canonical, writer.ToString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))),
            Fingerprint.Of(Event).Value);
    }

    [Fact]
    public void Representation_differences_between_servers_do_not_change_it()
    {
        var sameFromOtherServer = Event with
        {
            Span = EventSpan.Timed(new DateTimeOffset(2026, 5, 4, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero), "Europe/Berlin"),
            Description = "Agenda:\n1. Scope\n",
            Location = "Room 1 ",
            Organizer = new Organizer("alice@example.test", "Alice"),
            Attendees = ValueList.Of(new Attendee("CAROL@example.test", "Carol", role: AttendeeRole.Optional), new Attendee("bob@example.test")),
        };
        Assert.Equal(Fingerprint.Of(Event), Fingerprint.Of(sameFromOtherServer));
        Assert.Equal(Fingerprint.Of(Event with { Description = "" }), Fingerprint.Of(Event with { Description = null }));
    }

    public static TheoryData<string, CalendarEvent> EventChanges => new()
    {
        { "subject", Event with { Subject = "Kick-off (moved)" } },
        { "start", Event with { Span = EventSpan.Timed(new DateTimeOffset(2026, 5, 4, 7, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero), "Europe/Rome") } },
        { "all day", Event with { Span = EventSpan.AllDay(new DateOnly(2026, 5, 4), new DateOnly(2026, 5, 5)) } },
        { "location", Event with { Location = "Room 2" } },
        { "description", Event with { Description = "Agenda: none" } },
        { "attendee added", Event with { Attendees = ValueList.Of(Event.Attendees.Append(new Attendee("dan@example.test")).ToArray()) } },
        { "attendee response", Event with { Attendees = ValueList.Of(new Attendee("bob@example.test", response: AttendeeResponse.Declined), Event.Attendees[1]) } },
        { "show as", Event with { ShowAs = ShowAs.Free } },
        { "private", Event with { Sensitivity = Sensitivity.Private } },
        { "reminder", Event with { ReminderMinutesBefore = null } },
        { "recurrence", Event with { Recurrence = new RecurrenceRule(RecurrencePattern.Daily(), RecurrenceRange.NoEnd(new DateOnly(2026, 5, 4)), "Europe/Rome") } },
    };

    [Theory]
    [MemberData(nameof(EventChanges))]
    public void Every_synced_event_field_changes_it(string field, CalendarEvent changed) =>
        Assert.True(Fingerprint.Of(Event) != Fingerprint.Of(changed), $"changing the {field} must change the fingerprint");

    [Fact]
    public void Series_exceptions_change_it()
    {
        var series = Event with { Recurrence = new RecurrenceRule(RecurrencePattern.Daily(), RecurrenceRange.NoEnd(new DateOnly(2026, 5, 4)), "Europe/Rome") };
        var oneDeleted = series with { Recurrence = series.Recurrence!.WithDeleted(new DateOnly(2026, 5, 6)) };
        var oneMoved = series with { Recurrence = series.Recurrence!.WithModified(new ModifiedOccurrence(new DateOnly(2026, 5, 6), EventSpan.AllDay(new DateOnly(2026, 5, 6), new DateOnly(2026, 5, 7)))) };

        Assert.Equal(3, new[] { series, oneDeleted, oneMoved }.Select(Fingerprint.Of).Distinct().Count());
    }

    [Fact]
    public void Tasks_and_contacts_fingerprint_their_fields_and_kinds_never_collide()
    {
        var task = new TaskItem { Subject = "Kick-off", DueDate = new DateOnly(2026, 5, 4) };
        Assert.NotEqual(Fingerprint.Of(task), Fingerprint.Of(task with { Status = TaskState.Completed }));
        Assert.NotEqual(Fingerprint.Of(task), Fingerprint.Of(task with { Priority = TaskPriority.High }));
        Assert.NotEqual(Fingerprint.Of(task), Fingerprint.Of(task with { DueDate = new DateOnly(2026, 5, 5) }));
        // A completion time a server rounds or restamps on the same day is the same completion.
        Assert.Equal(Fingerprint.Of(task with { CompletedAt = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero) }),
            Fingerprint.Of(task with { CompletedAt = new DateTimeOffset(2026, 5, 4, 10, 0, 7, TimeSpan.Zero) }));

        var contact = new Contact { FirstName = "Ada", LastName = "Lovelace", Emails = ValueList.Of("ada@example.test"), Phones = ValueList.Of(new Phone(PhoneKind.Mobile, "+39 333 1234567")) };
        Assert.Equal(Fingerprint.Of(contact), Fingerprint.Of(contact with { Emails = ValueList.Of("ADA@example.test"), MailingAddress = new PostalAddress() }));
        Assert.NotEqual(Fingerprint.Of(contact), Fingerprint.Of(contact with { Department = "R&D" }));
        Assert.NotEqual(Fingerprint.Of(contact), Fingerprint.Of(contact with { Birthday = new DateOnly(1815, 12, 10) }));
        Assert.NotEqual(Fingerprint.Of(contact), Fingerprint.Of(contact with { OtherAddress = new PostalAddress(City: "London") }));

        Assert.NotEqual(Fingerprint.Of(new TaskItem { Subject = "x" }), Fingerprint.Of(new CalendarEvent { Subject = "x", Span = EventSpan.AllDay(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2)) }));
    }
}

public class SeriesZoneFingerprintTests
{
    private static CalendarEvent Weekly(string seriesZone) => new()
    {
        Subject = "Stand-up",
        Span = EventSpan.Timed(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(1)), seriesZone),
        Recurrence = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.NoEnd(new DateOnly(2026, 3, 2)), seriesZone),
    };

    [Theory]
    [InlineData("Europe/Rome", "Europe/Berlin", true)]          // both "W. Europe Standard Time": what Graph reads back for Rome
    [InlineData("Asia/Kolkata", "Asia/Calcutta", true)]         // old and new IANA name
    [InlineData("America/New_York", "America/Detroit", true)]   // both "Eastern Standard Time"
    [InlineData("Europe/Rome", "Europe/London", false)]
    [InlineData("America/Regina", "America/Chicago", false)]    // Canada Central (no DST) vs Central
    [InlineData("UTC", "Etc/UTC", true)]
    public void A_series_zone_is_fingerprinted_by_what_it_means(string a, string b, bool same)
    {
        Assert.Equal(same, Fingerprint.Of(Weekly(a)) == Fingerprint.Of(Weekly(b)));
    }
}
