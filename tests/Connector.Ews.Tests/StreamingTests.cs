using System.Diagnostics;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Streaming;
using Connector.Simulators.Ews;
using Connector.Simulators.Mailboxes;
using SimCalendarItem = Connector.Simulators.Mailboxes.CalendarItem;

namespace Connector.Ews.Tests;

public sealed class StreamingTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private EwsServer _server = null!;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public async Task InitializeAsync() => _server = await EwsServer.StartAsync(o => o.Heartbeat = TimeSpan.FromMilliseconds(300));

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _server.DisposeAsync();
        // A group ends only by cancellation; anything else (e.g. a request failing schema validation) fails the test.
        foreach (var running in _running)
        {
            var ended = await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(5)));
            Assert.Same(running, ended);
            Assert.False(running.IsFaulted, running.Exception?.ToString());
        }
    }

    private static readonly DateTimeOffset Day = new(2030, 7, 1, 10, 0, 0, TimeSpan.Zero);
    // The server beats every 300 ms; the client allows 2 s of silence so a busy CI machine does not cause reconnects.
    private static readonly StreamingOptions FastOptions = new() { Heartbeat = TimeSpan.FromSeconds(1), ReconnectDelay = TimeSpan.FromMilliseconds(50) };

    private SimCalendarItem CreateEvent(Mailbox owner, string subject) => _server.Directory.CreateEvent(owner, new SimCalendarItem
    {
        Id = "", FolderId = "", ICalUId = "", Organizer = owner.Email, Subject = subject, Start = Day, End = Day.AddHours(1),
    });

    /// <summary>A streaming group for the mailboxes (the first one's credentials, delegate access to the others'
    /// calendars), already fully synced, running in the background.</summary>
    private async Task<(StreamingGroup Group, MirrorListener Listener, Task Running)> StartGroupAsync(IReadOnlyList<Mailbox> mailboxes,
        StreamingOptions? options = null)
    {
        var client = _server.Client(mailboxes[0]);
        var listener = new MirrorListener(_ => client);
        var targets = mailboxes.Select(m => new StreamTarget(m.Address, m.Address, [FolderRef.WellKnown("calendar", m.Address)])).ToList();
        foreach (var target in targets) await listener.SyncAsync(target);
        var group = client.CreateStreamingGroup(targets, listener, options ?? FastOptions);
        var connected = new TaskCompletionSource();
        group.Connected += _ => connected.TrySetResult();
        var running = Task.Run(() => group.RunAsync(_stop.Token));
        _running.Add(running);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (group, listener, running);
    }

    private static void AssertMirrors(Mailbox mailbox, MirrorListener listener)
    {
        var expected = mailbox.Items<SimCalendarItem>(mailbox.Calendar.Id).ToDictionary(i => i.Id, i => (string?)i.ChangeKey);
        Assert.Equal(expected.OrderBy(p => p.Key), listener.Mirror(mailbox.Address).OrderBy(p => p.Key));
    }

    private static bool Mirrors(Mailbox mailbox, MirrorListener listener)
    {
        var expected = mailbox.Items<SimCalendarItem>(mailbox.Calendar.Id).ToDictionary(i => i.Id, i => (string?)i.ChangeKey);
        var actual = listener.Mirror(mailbox.Address);
        return expected.Count == actual.Count && expected.All(p => actual.TryGetValue(p.Key, out var ck) && ck == p.Value);
    }

    [Fact]
    public async Task A_change_in_the_simulator_reaches_the_streaming_client_within_one_second()
    {
        var alice = _server.AddMailbox("stream-fast");
        var (_, listener, _) = await StartGroupAsync([alice]);

        var latencies = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var item = CreateEvent(alice, $"push {i}");
            await Eventually.TrueAsync(() => listener.Events.Any(e => e.Event.ItemId?.Id == item.Id), TimeSpan.FromSeconds(1), "the CreatedEvent");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.ElapsedMilliseconds} ms");
            latencies.Add(watch.ElapsedMilliseconds);
        }
        output.WriteLine($"change → streaming client: {string.Join(", ", latencies)} ms (includes 20 ms polling of the check)");
        Assert.All(listener.Events, e => Assert.Equal("CreatedEvent", e.Event.EventType));
        await Eventually.TrueAsync(() => Mirrors(alice, listener), TimeSpan.FromSeconds(2), "mirror caught up");
    }

    [Fact]
    public async Task Many_mailboxes_share_one_connection_with_affinity_to_the_anchor_mailbox()
    {
        var mailboxes = new[] { "stream-g-carol", "stream-g-alfred", "stream-g-bea" }.Select(_server.AddMailbox).ToList();
        var (group, listener, _) = await StartGroupAsync(mailboxes);

        foreach (var m in mailboxes) CreateEvent(m, "for " + m.Address);
        foreach (var m in mailboxes)
            await Eventually.TrueAsync(() => Mirrors(m, listener) && listener.Mirror(m.Address).Count == 1, TimeSpan.FromSeconds(2), m.Address);

        Assert.Equal("stream-g-alfred@contoso.com", group.Anchor);
        var log = _server.Log.All;
        var streams = log.Where(r => r.Operation == "GetStreamingEvents").ToList();
        Assert.Single(streams); // one connection carries all three subscriptions (no reconnect needed here)
        Assert.All(log.Where(r => r.Operation is "Subscribe" or "GetStreamingEvents"), r =>
        {
            Assert.Equal(group.Anchor, r.AnchorMailbox);
            Assert.Equal("true", r.PreferServerAffinity);
        });
        // The anchor subscribes first; the cookie its answer set goes with every later request of the group.
        var subscribes = log.Where(r => r.Operation == "Subscribe").ToList();
        Assert.Null(subscribes[0].BackEndCookie);
        Assert.All(subscribes.Skip(1).Append(streams[0]), r => Assert.Equal("SIMBE01.sim.local~1941996295", r.BackEndCookie));
    }

    [Fact]
    public void A_group_holds_at_most_200_mailboxes()
    {
        using var client = _server.Client(_server.AddMailbox("stream-limit"));
        var targets = Enumerable.Range(0, 201).Select(i => new StreamTarget($"k{i}", $"m{i}@contoso.com", [FolderRef.Calendar])).ToList();
        Assert.Throws<ArgumentOutOfRangeException>(() => client.CreateStreamingGroup(targets, new MirrorListener(_ => client)));
        Assert.NotNull(client.CreateStreamingGroup(targets[..200], new MirrorListener(_ => client)));
    }

    [Fact]
    public async Task A_service_account_carries_several_users_on_one_connection_through_impersonation()
    {
        var service = _server.AddMailbox("stream-svc");
        var users = new[] { "stream-imp-b", "stream-imp-a" }.Select(_server.AddMailbox).ToList();
        var client = _server.Client(service); // lives as long as its group (stopped in DisposeAsync)
        var listener = new MirrorListener(_ => client);
        var targets = users.Select(u => new StreamTarget(u.Address, u.Address, [FolderRef.Calendar])).ToList();
        var group = client.CreateStreamingGroup(targets, listener, FastOptions with { Impersonate = true });
        var connected = new TaskCompletionSource();
        group.Connected += _ => connected.TrySetResult();
        _running.Add(Task.Run(() => group.RunAsync(_stop.Token)));
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var made = users.Select(u => CreateEvent(u, "for " + u.Address)).ToList();

        foreach (var item in made)
            await Eventually.TrueAsync(() => listener.Events.Any(e => e.Event.ItemId?.Id == item.Id), TimeSpan.FromSeconds(2), item.Subject);
        var log = _server.Log.All;
        Assert.Equal(["stream-imp-a@contoso.com", "stream-imp-b@contoso.com"], log.Where(r => r.Operation == "Subscribe").Select(r => r.User));
        Assert.Equal(service.Address, Assert.Single(log, r => r.Operation == "GetStreamingEvents").User);

        // The same account writes into a user's calendar by impersonating them.
        using var asUserA = _server.Client(service, impersonate: users[1].Address);
        var id = await asUserA.CreateEventAsync(new CalendarEvent { Subject = "written as a", Start = Day, End = Day.AddHours(1) });
        Assert.NotNull(users[1].Find<SimCalendarItem>(id.Id));
        Assert.Empty(service.Items<SimCalendarItem>(service.Calendar.Id));
    }

    [Fact]
    public async Task The_stream_never_blocks_other_calls_of_the_same_client()
    {
        var alice = _server.AddMailbox("stream-parallel");
        var client = _server.Client(alice);
        var listener = new MirrorListener(_ => client);
        var group = client.CreateStreamingGroup([new StreamTarget("a", alice.Address, [FolderRef.Calendar])], listener, FastOptions);
        var connected = new TaskCompletionSource();
        group.Connected += _ => connected.TrySetResult();
        _running.Add(Task.Run(() => group.RunAsync(_stop.Token)));
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // While the GetStreamingEvents request hangs, ordinary calls on the same client still complete at once.
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++) await client.CreateEventAsync(new CalendarEvent { Subject = $"p{i}", Start = Day, End = Day.AddHours(1) });
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"10 creates took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task When_the_server_closes_at_the_requested_timeout_the_client_reopens()
    {
        _server.Options.ConnectionTimeoutOverride = TimeSpan.FromMilliseconds(700);
        var alice = _server.AddMailbox("stream-close");
        var (group, listener, _) = await StartGroupAsync([alice]);
        var connections = 0;
        group.Connected += n => connections = n;

        await Eventually.TrueAsync(() => connections >= 2, TimeSpan.FromSeconds(5), "a reopened connection");
        var item = CreateEvent(alice, "after reopen");
        await Eventually.TrueAsync(() => listener.Events.Any(e => e.Event.ItemId?.Id == item.Id), TimeSpan.FromSeconds(2), "the event on the new connection");
        Assert.Empty(listener.CatchUps); // a Closed frame is routine: nothing was lost, no catch-up needed
    }

    [Fact]
    public async Task A_dropped_connection_ends_with_every_change_caught_up()
    {
        var alice = _server.AddMailbox("stream-drop");
        var (group, listener, _) = await StartGroupAsync([alice]);
        var connections = 1;
        group.Connected += n => connections = n;

        // Changes whose events are in flight when the connection is cut are lost with it.
        _server.Options.Heartbeat = TimeSpan.FromSeconds(30); // no frame goes out before the cut
        var lost = CreateEvent(alice, "lost with the connection");
        _server.Faults.Add(new EwsFault("DropConnection"));
        var meanwhile = CreateEvent(alice, "made while reconnecting");
        _server.Options.Heartbeat = TimeSpan.FromMilliseconds(300);

        await Eventually.TrueAsync(() => connections >= 2, TimeSpan.FromSeconds(5), "a new connection");
        await Eventually.TrueAsync(() => Mirrors(alice, listener), TimeSpan.FromSeconds(5), "everything caught up");
        Assert.Contains(lost.Id, listener.Mirror(alice.Address).Keys);
        Assert.Contains(meanwhile.Id, listener.Mirror(alice.Address).Keys);
        Assert.NotEmpty(listener.CatchUps);
    }

    [Fact]
    public async Task A_drop_followed_by_a_busy_server_still_ends_with_every_change_caught_up()
    {
        var alice = _server.AddMailbox("stream-busy");
        var (group, listener, _) = await StartGroupAsync([alice]);
        var connections = 1;
        group.Connected += n => connections = n;

        _server.Faults.Add(new EwsFault("Http503", Count: 2, BackOffMilliseconds: 200)); // the reopen is refused twice
        _server.Faults.Add(new EwsFault("ErrorServerBusy", Count: 1, BackOffMilliseconds: 200));
        _server.Faults.Add(new EwsFault("DropConnection"));
        var made = CreateEvent(alice, "while the server was busy");

        await Eventually.TrueAsync(() => connections >= 2, TimeSpan.FromSeconds(8), "a new connection");
        await Eventually.TrueAsync(() => Mirrors(alice, listener), TimeSpan.FromSeconds(5), "everything caught up");
        Assert.Contains(made.Id, listener.Mirror(alice.Address).Keys);
    }

    [Fact]
    public async Task Missed_notifications_end_with_a_new_subscription_and_every_change_caught_up()
    {
        var alice = _server.AddMailbox("stream-missed");
        var bob = _server.AddMailbox("stream-missed-bob");
        var (_, listener, _) = await StartGroupAsync([alice, bob]);
        var subscriptionsBefore = _server.Log.All.Count(r => r.Operation == "Subscribe");

        // The server loses alice's queued events and tells us so; bob's subscription is unaffected.
        _server.Options.Heartbeat = TimeSpan.FromSeconds(30);
        var first = CreateEvent(alice, "missed 1");
        var second = CreateEvent(alice, "missed 2");
        _server.Faults.Add(new EwsFault("ErrorMissedNotificationEvents", Mailbox: alice.Address));
        _server.Options.Heartbeat = TimeSpan.FromMilliseconds(300);

        await Eventually.TrueAsync(() => listener.CatchUps.Any(c => c.Reason == "ErrorMissedNotificationEvents"), TimeSpan.FromSeconds(5), "the catch-up");
        await Eventually.TrueAsync(() => Mirrors(alice, listener) && listener.Mirror(alice.Address).Count == 2, TimeSpan.FromSeconds(5), "alice caught up");
        Assert.Equal(subscriptionsBefore + 1, _server.Log.All.Count(r => r.Operation == "Subscribe")); // only alice resubscribed
        Assert.DoesNotContain(listener.CatchUps, c => c.Key == bob.Address);

        // And the new subscription streams: a later change arrives as an event.
        var later = CreateEvent(alice, "after resubscribe");
        await Eventually.TrueAsync(() => listener.Events.Any(e => e.Event.ItemId?.Id == later.Id), TimeSpan.FromSeconds(2), "event on the new subscription");
        Assert.True(first.Id != second.Id);
    }

    [Fact]
    public async Task A_lost_subscription_is_recreated_and_caught_up()
    {
        var alice = _server.AddMailbox("stream-notfound");
        var (_, listener, _) = await StartGroupAsync([alice], FastOptions);
        // The server forgets the subscription (e.g. after a restart); the stream ends and the reopen is refused.
        _server.Options.ConnectionTimeoutOverride = TimeSpan.FromMilliseconds(300);
        var before = _server.Subscriptions.Count;
        _server.Subscriptions.RemoveAll();
        var made = CreateEvent(alice, "while unsubscribed");

        await Eventually.TrueAsync(() => listener.CatchUps.Any(c => c.Reason == "ErrorSubscriptionNotFound"), TimeSpan.FromSeconds(5), "resubscribe");
        await Eventually.TrueAsync(() => listener.Mirror(alice.Address).ContainsKey(made.Id), TimeSpan.FromSeconds(5), "caught up");
        Assert.True(before >= 1);
    }

    [Fact]
    public async Task Silence_for_twice_the_heartbeat_makes_the_client_reconnect_and_catch_up()
    {
        var alice = _server.AddMailbox("stream-silent");
        // The server's heartbeat is far longer than the client expects: the watchdog must fire.
        _server.Options.Heartbeat = TimeSpan.FromSeconds(20);
        var (group, listener, _) = await StartGroupAsync([alice], new StreamingOptions { Heartbeat = TimeSpan.FromMilliseconds(200), ReconnectDelay = TimeSpan.FromMilliseconds(50) });
        var connections = 1;
        group.Connected += n => connections = n;

        await Eventually.TrueAsync(() => connections >= 2, TimeSpan.FromSeconds(5), "a reconnect after silence");
        Assert.Contains(listener.CatchUps, c => c.Reason == nameof(StreamSilentException));

        // The abandoned connection does not swallow events: the new one (which took the subscription over) gets them.
        _server.Options.Heartbeat = TimeSpan.FromMilliseconds(100);
        var item = CreateEvent(alice, "after the reconnect");
        await Eventually.TrueAsync(() => listener.Mirror(alice.Address).ContainsKey(item.Id), TimeSpan.FromSeconds(3), "the change after the reconnect");
    }
}
