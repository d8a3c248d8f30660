using System.Collections.Concurrent;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Streaming;
using Connector.Exchange.Ews.Sync;
using Connector.Exchange.Ews.Transport;
using Connector.Simulators.Ews;
using Connector.Simulators.Mailboxes;
using Connector.Sync.Ports;
using SimCalendarItem = Connector.Simulators.Mailboxes.CalendarItem;

namespace Connector.Ews.Tests;

/// <summary>
/// The engine's EWS change channels (<see cref="EwsChangeChannels"/>) against the simulator: mailboxes signed in with the
/// same account share one GetStreamingEvents connection (at most 200 per connection), a change signals its mailbox
/// within a second, and every (re)opened stream signals a catch-up.
/// </summary>
public sealed class EwsChangeChannelTests : IAsyncLifetime
{
    private EwsServer _server = null!;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _channels = [];
    private readonly ConcurrentQueue<(string Mailbox, SyncFolder Folder, DateTime At)> _signals = new();

    private static readonly StreamingOptions Fast = new() { Heartbeat = TimeSpan.FromSeconds(1), ReconnectDelay = TimeSpan.FromMilliseconds(50) };

    public async Task InitializeAsync() => _server = await EwsServer.StartAsync(o => o.Heartbeat = TimeSpan.FromMilliseconds(300));

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var channel in _channels)
        {
            // A channel ends only by cancellation here; a failure (e.g. a refused request) fails the test.
            Assert.Same(channel, await Task.WhenAny(channel, Task.Delay(TimeSpan.FromSeconds(5))));
            Assert.False(channel.IsFaulted, channel.Exception?.ToString());
        }
        await _server.DisposeAsync();
    }

    /// <summary>Channels whose connection signs in as <paramref name="signIn"/> (delegate access to the others).</summary>
    private EwsChangeChannels Channels(Func<MailboxAccount, Mailbox> signIn) => new((account, _) =>
    {
        var user = signIn(account);
        return Task.FromResult(new EwsChannelConnection($"sim|{user.Address}", () => _server.Client(user, EwsAuthKind.Basic)));
    }, Fast);

    private void Start(EwsChangeChannels channels, Mailbox mailbox)
    {
        var channel = channels.Create(new MailboxAccount(1, mailbox.Address));
        _channels.Add(Task.Run(() => channel.RunAsync((folder, _) =>
        {
            _signals.Enqueue((mailbox.Address, folder, DateTime.UtcNow));
            return Task.CompletedTask;
        }, _stop.Token)));
    }

    private bool Signalled(string address, DateTime after) => _signals.Any(s => s.Mailbox == address && s.At > after && s.Folder == SyncFolder.Calendar);

    private static async Task Until(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    private void CreateEvent(Mailbox owner, string subject)
    {
        var day = new DateTimeOffset(2030, 7, 1, 10, 0, 0, TimeSpan.Zero);
        _server.Directory.CreateEvent(owner, new SimCalendarItem
        {
            Id = "", FolderId = "", ICalUId = "", Organizer = owner.Email, Subject = subject, Start = day, End = day.AddHours(1),
        });
    }

    private int OpenStreams() => _server.Log.All.Count(r => r.Operation == "GetStreamingEvents");

    [Fact]
    public async Task Mailboxes_of_one_sign_in_share_one_stream_and_a_change_signals_its_mailbox_within_a_second()
    {
        var service = _server.AddMailbox("svc-one");
        var mailboxes = Enumerable.Range(0, 3).Select(i => _server.AddMailbox($"shared-{i}")).ToList();
        var channels = Channels(_ => service);
        foreach (var m in mailboxes) Start(channels, m);

        // Every start is a catch-up: each mailbox is signalled once its subscription is live.
        await Until(() => mailboxes.All(m => Signalled(m.Address, DateTime.MinValue)), "a first catch-up signal per mailbox");
        Assert.Equal([3], Assert.Single(channels.GroupSizes).Value);
        await Task.Delay(500); // let membership restarts settle: one live stream remains
        var before = OpenStreams();
        var anchorRequests = _server.Log.All.Where(r => r.Operation == "GetStreamingEvents").Select(r => r.AnchorMailbox).Distinct().ToList();
        Assert.All(anchorRequests, a => Assert.Equal(mailboxes.Select(m => m.Address).Order(StringComparer.OrdinalIgnoreCase).First(), a));

        var changedAt = DateTime.UtcNow;
        CreateEvent(mailboxes[1], "Made on the server");
        await Until(() => Signalled(mailboxes[1].Address, changedAt), "the change signalled", seconds: 1);
        Assert.Equal(before, OpenStreams()); // delivered on the open stream, not by a reconnect
    }

    [Fact]
    public async Task Different_sign_ins_get_their_own_streams_and_more_than_200_mailboxes_take_a_second_stream()
    {
        var serviceA = _server.AddMailbox("svc-a");
        var serviceB = _server.AddMailbox("svc-b");
        var many = Enumerable.Range(0, 201).Select(i => _server.AddMailbox($"many-{i:000}")).ToList();
        var lone = _server.AddMailbox("lone");
        var channels = Channels(a => a.Address == lone.Address ? serviceB : serviceA);
        foreach (var m in many) Start(channels, m);
        Start(channels, lone);

        await Until(() => many.Append(lone).All(m => Signalled(m.Address, DateTime.MinValue)), "every mailbox subscribed and caught up", seconds: 60);
        var sizes = channels.GroupSizes;
        Assert.Equal([1], sizes[$"sim|{serviceB.Address}"]);
        Assert.Equal([1, 200], sizes[$"sim|{serviceA.Address}"].Order());

        var changedAt = DateTime.UtcNow;
        CreateEvent(many[200], "In the second group");
        CreateEvent(lone, "On its own stream");
        await Until(() => Signalled(many[200].Address, changedAt) && Signalled(lone.Address, changedAt), "both changes signalled", seconds: 2);
    }

    [Fact]
    public async Task A_dropped_stream_reconnects_and_signals_a_catch_up_of_every_mailbox()
    {
        var service = _server.AddMailbox("svc-drop");
        var mailboxes = Enumerable.Range(0, 2).Select(i => _server.AddMailbox($"drop-{i}")).ToList();
        var channels = Channels(_ => service);
        foreach (var m in mailboxes) Start(channels, m);
        await Until(() => mailboxes.All(m => Signalled(m.Address, DateTime.MinValue)), "first catch-up");
        await Task.Delay(500);

        var connections = channels.Connections;
        var droppedAt = DateTime.UtcNow;
        _server.Faults.Add(new EwsFault("DropConnection"));
        // Changes made while the stream is down are found by the catch-up read each signal triggers.
        await Until(() => channels.Connections > connections, "the stream reopened");
        await Until(() => mailboxes.All(m => Signalled(m.Address, droppedAt)), "a catch-up signal for every mailbox after the drop");
    }
}
