using System.Diagnostics;
using System.Net.Http.Json;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Simulators.Ews;
using Connector.Simulators.Mailboxes;
using Recurrence = Connector.Simulators.Mailboxes.Recurrence;
using RecurrencePattern = Connector.Simulators.Mailboxes.RecurrencePattern;
using SimCalendarItem = Connector.Simulators.Mailboxes.CalendarItem;

namespace Connector.Ews.Tests;

public sealed class ThrottlingAndAvailabilityTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;

    private static readonly DateTimeOffset Day = new(2030, 9, 2, 9, 0, 0, TimeSpan.Zero);
    private static CalendarEvent Event(string subject) => new() { Subject = subject, Start = Day, End = Day.AddHours(1) };

    [Fact]
    public async Task ErrorServerBusy_is_retried_after_the_servers_BackOffMilliseconds()
    {
        var alice = _server.AddMailbox("busy-alice");
        using var client = _server.Client(alice);
        await client.CreateEventAsync(Event("warm-up")); // NTLM handshake done before the clock starts
        _server.Faults.Add(new EwsFault("ErrorServerBusy", Count: 2, BackOffMilliseconds: 300));

        var watch = Stopwatch.StartNew();
        await client.CreateEventAsync(Event("after backoff"));

        Assert.InRange(watch.ElapsedMilliseconds, 600, 5000); // waited the hint twice, then succeeded
        Assert.Equal(2, alice.Items<SimCalendarItem>(alice.Calendar.Id).Count);
    }

    [Fact]
    public async Task A_backoff_longer_than_allowed_surfaces_as_server_busy_with_the_hint()
    {
        var alice = _server.AddMailbox("busy-long");
        using var client = _server.Client(alice);
        _server.Faults.Add(new EwsFault("ErrorServerBusy", BackOffMilliseconds: 297749));

        var e = await Assert.ThrowsAsync<EwsServerBusyException>(() => client.CreateEventAsync(Event("refused")));
        Assert.Equal(TimeSpan.FromMilliseconds(297749), e.BackOff);
        Assert.Empty(alice.Items<SimCalendarItem>(alice.Calendar.Id));
    }

    [Fact]
    public async Task Http_503_and_connection_count_errors_are_retried()
    {
        var alice = _server.AddMailbox("busy-503");
        using var client = _server.Client(alice);
        _server.Faults.Add(new EwsFault("Http503", BackOffMilliseconds: 1000));
        _server.Faults.Add(new EwsFault("ErrorExceededConnectionCount"));

        await client.CreateEventAsync(Event("eventually"));

        Assert.Single(alice.Items<SimCalendarItem>(alice.Calendar.Id));
    }

    [Fact]
    public async Task Faults_are_scriptable_through_the_shared_fault_endpoint()
    {
        var alice = _server.AddMailbox("busy-http");
        using var client = _server.Client(alice);
        using var http = new HttpClient { BaseAddress = _server.Http };
        var posted = await http.PostAsJsonAsync("/_sim/faults", new { kind = "ErrorServerBusy", count = 1, backOffMilliseconds = 297749 });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, posted.StatusCode);

        var e = await Assert.ThrowsAsync<EwsServerBusyException>(() => client.CreateEventAsync(Event("refused")));
        Assert.Equal("ErrorServerBusy", e.ResponseCode);

        await http.PostAsJsonAsync("/_sim/faults", new { kind = "ErrorServerBusy", count = 5, backOffMilliseconds = 297749 });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.DeleteAsync("/_sim/faults")).StatusCode);
        await client.CreateEventAsync(Event("after clearing"));
    }

    [Fact]
    public async Task GetUserAvailability_returns_busy_blocks_including_series_occurrences_and_unknown_mailboxes_as_errors()
    {
        var alice = _server.AddMailbox("fb-alice");
        var bob = _server.AddMailbox("fb-bob");
        _server.Directory.CreateEvent(bob, new SimCalendarItem
        {
            Id = "", FolderId = "", ICalUId = "", Organizer = bob.Email, Subject = "busy", Start = Day, End = Day.AddHours(2),
        });
        _server.Directory.CreateEvent(bob, new SimCalendarItem
        {
            Id = "", FolderId = "", ICalUId = "", Organizer = bob.Email, Subject = "daily", Start = Day.AddHours(3), End = Day.AddHours(4),
            ShowAs = ShowAs.Tentative,
            Recurrence = new Recurrence(new RecurrencePattern { Kind = RecurrencePatternKind.Daily, Interval = 1 },
                new RecurrenceRange { Kind = RecurrenceRangeKind.NoEnd, StartDate = DateOnly.FromDateTime(Day.Date) }),
        });
        using var client = _server.Client(alice);

        var result = await client.GetUserAvailabilityAsync([bob.Address, "nobody@contoso.com"], Day, Day.AddDays(2));

        var bobs = result[0];
        Assert.Null(bobs.Error);
        Assert.Equal(
            [(Day, Day.AddHours(2), "Busy"), (Day.AddHours(3), Day.AddHours(4), "Tentative"), (Day.AddDays(1).AddHours(3), Day.AddDays(1).AddHours(4), "Tentative")],
            bobs.Slots.Select(s => (s.Start, s.End, s.BusyType)));
        Assert.Equal("ErrorMailRecipientNotFound", result[1].Error);
    }

    [Fact]
    public async Task GetUserAvailability_asks_at_most_100_mailboxes_per_call()
    {
        var alice = _server.AddMailbox("fb-many");
        using var client = _server.Client(alice);
        var before = _server.Log.All.Count(r => r.Operation == "GetUserAvailabilityRequest");

        var result = await client.GetUserAvailabilityAsync(Enumerable.Range(0, 150).Select(i => $"x{i}@contoso.com").ToList(), Day, Day.AddDays(1));

        Assert.Equal(150, result.Count);
        Assert.Equal(2, _server.Log.All.Count(r => r.Operation == "GetUserAvailabilityRequest") - before);
    }
}
