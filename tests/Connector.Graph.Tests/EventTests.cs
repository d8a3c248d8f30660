using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;

namespace Connector.Graph.Tests;

/// <summary>Events through the client against the simulator: CRUD, transactionId, CRM stamp, meetings, cancel, recurrence.</summary>
public sealed class EventTests : IAsyncLifetime
{
    private SimulatorHost _sim = null!;

    public async Task InitializeAsync()
    {
        _sim = await SimulatorHost.StartAsync();
        await _sim.AddMailboxAsync("alice@contoso.com", "Alice Organizer");
        await _sim.AddMailboxAsync("bob@contoso.com", "Bob Attendee");
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private static Event NewMeeting(string subject, params string[] attendees) => new()
    {
        Subject = subject,
        Start = new DateTimeTimeZone { DateTime = "2030-03-04T09:00:00", TimeZone = "W. Europe Standard Time" },
        End = new DateTimeTimeZone { DateTime = "2030-03-04T10:00:00", TimeZone = "W. Europe Standard Time" },
        Attendees = attendees.Select(a => new Attendee { Type = "required", EmailAddress = new EmailAddressValue { Address = a } }).ToList(),
    };

    [Fact]
    public async Task Create_get_update_delete_with_crm_stamp_and_changing_change_key()
    {
        var alice = _sim.Mailbox("alice@contoso.com");
        var e = NewMeeting("Quarterly review");
        GraphMailboxClient.StampCrmId(e, "crm-123");
        var created = await alice.CreateEventAsync(e);

        Assert.NotNull(created.Id);
        Assert.Equal("2030-03-04T08:00:00.0000000", created.Start!.DateTime); // UTC out (Prefer outlook.timezone="UTC")
        Assert.Equal("UTC", created.Start.TimeZone);
        Assert.True(created.IsOrganizer);

        var read = await alice.GetEventAsync(created.Id!);
        Assert.Equal("crm-123", GraphMailboxClient.CrmIdOf(read!));
        Assert.Single(await alice.FindEventsByCrmIdAsync("crm-123"));
        Assert.Empty(await alice.FindEventsByCrmIdAsync("crm-999"));

        var updated = await alice.UpdateEventAsync(created.Id!, new Event { Subject = "Quarterly review (moved)" });
        Assert.Equal("Quarterly review (moved)", updated.Subject);
        Assert.Equal(created.Id, updated.Id);
        Assert.NotEqual(created.ChangeKey, updated.ChangeKey);

        Assert.True(await alice.DeleteEventAsync(created.Id!));
        Assert.Null(await alice.GetEventAsync(created.Id!));
        Assert.False(await alice.DeleteEventAsync(created.Id!));
    }

    [Fact]
    public async Task A_repeated_create_with_the_same_transaction_id_returns_the_first_event()
    {
        var alice = _sim.Mailbox("alice@contoso.com");
        var first = await alice.CreateEventAsync(new Event { Subject = "Once", TransactionId = "tx-1", Start = NewMeeting("x").Start, End = NewMeeting("x").End });
        var again = await alice.CreateEventAsync(new Event { Subject = "Once", TransactionId = "tx-1", Start = NewMeeting("x").Start, End = NewMeeting("x").End });
        Assert.Equal(first.Id, again.Id);
    }

    [Fact]
    public async Task A_meeting_lands_in_the_attendee_mailbox_with_the_same_iCalUId_and_responses_reach_the_organizer()
    {
        var alice = _sim.Mailbox("alice@contoso.com");
        var bob = _sim.Mailbox("bob@contoso.com");
        var meeting = await alice.CreateEventAsync(NewMeeting("Kick-off", "bob@contoso.com"));

        var invitation = (await bob.CalendarViewDeltaAsync(new(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2030, 4, 1, 0, 0, 0, TimeSpan.Zero), null)).Items.Single();
        Assert.Equal(meeting.ICalUId, invitation.ICalUId);
        Assert.NotEqual(meeting.Id, invitation.Id);
        Assert.False(invitation.IsOrganizer);
        Assert.Equal("alice@contoso.com", invitation.Organizer!.EmailAddress!.Address);
        Assert.Equal("notResponded", invitation.ResponseStatus!.Response);

        await bob.RespondAsync(invitation.Id!, "accept");
        var seenByOrganizer = await alice.GetEventAsync(meeting.Id!);
        Assert.Equal("accepted", seenByOrganizer!.Attendees!.Single().Status!.Response);

        // The attendee may not cancel; the organizer may, and the attendee's copy is marked cancelled.
        var refused = await Assert.ThrowsAsync<GraphException>(() => bob.CancelEventAsync(invitation.Id!, "no"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.Status);
        await alice.CancelEventAsync(meeting.Id!, "Sorry");
        Assert.Null(await alice.GetEventAsync(meeting.Id!));
        var cancelled = await bob.GetEventAsync(invitation.Id!);
        Assert.True(cancelled!.IsCancelled);
    }

    [Fact]
    public async Task Organizer_updates_reach_the_attendee_copy()
    {
        var alice = _sim.Mailbox("alice@contoso.com");
        var bob = _sim.Mailbox("bob@contoso.com");
        var meeting = await alice.CreateEventAsync(NewMeeting("Planning", "bob@contoso.com"));
        await alice.UpdateEventAsync(meeting.Id!, new Event { Location = new Location { DisplayName = "Room 4" } });
        var copy = (await bob.CalendarViewDeltaAsync(new(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2030, 4, 1, 0, 0, 0, TimeSpan.Zero), null)).Items.Single();
        Assert.Equal("Room 4", copy.Location!.DisplayName);
    }

    [Theory]
    [InlineData("noEnd", null, null, 10)]      // cut by the window: 10 weekly occurrences in 10 weeks
    [InlineData("endDate", "2030-03-25", null, 4)]
    [InlineData("numbered", null, 3, 3)]
    public async Task Recurrence_ranges_expand_into_instances(string range, string? endDate, int? count, int expected)
    {
        var alice = _sim.Mailbox("alice@contoso.com");
        var e = NewMeeting("Weekly");
        e.Recurrence = new PatternedRecurrence
        {
            Pattern = new RecurrencePattern { Type = "weekly", Interval = 1, DaysOfWeek = ["monday"] },
            Range = new RecurrenceRange { Type = range, StartDate = "2030-03-04", EndDate = endDate, NumberOfOccurrences = count, RecurrenceTimeZone = "W. Europe Standard Time" },
        };
        var master = await alice.CreateEventAsync(e);
        Assert.Equal("seriesMaster", master.Type);
        Assert.Equal(range, master.Recurrence!.Range!.Type);

        var instances = await alice.ListInstancesAsync(master.Id!, new(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2030, 5, 13, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(expected, instances.Count);
        Assert.All(instances, i => Assert.Equal(master.Id, i.SeriesMasterId));
        // The series keeps 09:00 local time across the DST change (08:00 UTC in March, 07:00 UTC from April).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("W. Europe Standard Time");
        Assert.All(instances, i => Assert.Equal(new TimeSpan(9, 0, 0), TimeZoneInfo.ConvertTime(i.Start!.ToInstant(), zone).TimeOfDay));
        if (expected == 10) Assert.Contains(instances, i => i.Start!.DateTime!.EndsWith("T07:00:00.0000000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Occurrence_edits_become_exceptions_and_deleted_occurrences_disappear()
    {
        var alice = _sim.Mailbox("alice@contoso.com");
        var e = NewMeeting("Daily stand-up");
        e.Recurrence = new PatternedRecurrence
        {
            Pattern = new RecurrencePattern { Type = "daily", Interval = 1 },
            Range = new RecurrenceRange { Type = "numbered", StartDate = "2030-03-04", NumberOfOccurrences = 5, RecurrenceTimeZone = "W. Europe Standard Time" },
        };
        var master = await alice.CreateEventAsync(e);
        var (from, to) = (new DateTimeOffset(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 31, 0, 0, 0, TimeSpan.Zero));
        var instances = await alice.ListInstancesAsync(master.Id!, from, to);
        Assert.Equal(5, instances.Count);

        var moved = await alice.UpdateEventAsync(instances[1].Id!, new Event
        {
            Subject = "Stand-up (late)",
            Start = new DateTimeTimeZone { DateTime = "2030-03-05T15:00:00", TimeZone = "UTC" },
            End = new DateTimeTimeZone { DateTime = "2030-03-05T15:30:00", TimeZone = "UTC" },
        });
        Assert.Equal("exception", moved.Type);
        Assert.True(await alice.DeleteEventAsync(instances[3].Id!));

        var after = await alice.ListInstancesAsync(master.Id!, from, to);
        Assert.Equal(4, after.Count);
        Assert.DoesNotContain(after, i => i.Id == instances[3].Id);
        var exception = after.Single(i => i.Type == "exception");
        Assert.Equal("Stand-up (late)", exception.Subject);
        Assert.Equal("2030-03-05T15:00:00.0000000", exception.Start!.DateTime);
    }
}
