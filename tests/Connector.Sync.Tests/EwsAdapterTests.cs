using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Sync;
using Connector.Core.Tasks;
using Connector.Exchange.Common.Tls;
using Connector.Exchange.Ews;
using Connector.Exchange.Ews.Sync;
using Connector.Exchange.Ews.Transport;
using Connector.Exchange.Graph.Sync;
using Connector.Sync.Ports;

namespace Connector.Sync.Tests;

/// <summary>
/// The EWS mailbox adapter on its own, against the simulator that serves one mailbox model through Graph and EWS:
/// equal content gives equal fingerprints through both adapters (so echo suppression works whichever wrote it), the
/// CRM-id stamp written by one is found by the other, and change reads list updates and explicit deletes.
/// </summary>
public sealed class EwsAdapterTests : IAsyncLifetime
{
    private SyncWorld _w = null!;
    private EwsClient _client = null!;
    private static readonly MailboxAccount Alice = new(1, SyncWorld.Alice);

    public async Task InitializeAsync()
    {
        _w = await SyncWorld.StartAsync(startConnector: false);
        _client = new EwsClient(new EwsConnectionOptions
        {
            Endpoint = EwsWorld.EwsUrl(_w), Credentials = new EwsCredentials(EwsAuthKind.Basic, "alice", EwsWorld.Password),
            Trust = ExtraCaTrust.FromPemFile(_w.CaPath),
        });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _w.DisposeAsync();
    }

    private EwsMailbox Ews() => new(_client, Alice);
    private GraphMailbox Graph() => new(_w.Mailbox(SyncWorld.Alice), Alice);

    private static readonly DateTimeOffset Start = new(2030, 3, 4, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Equal_content_has_the_same_fingerprint_through_ews_and_graph_and_the_stamp_is_shared()
    {
        var meeting = new CalendarEvent
        {
            Subject = "Quarterly planning", Span = EventSpan.Timed(Start, Start.AddMinutes(90), "Europe/Rome"), Location = "Room 4",
            Description = "Agenda: numbers", ShowAs = ShowAs.Tentative, ReminderMinutesBefore = 15,
            Attendees = [new Attendee(SyncWorld.Bob, "Bob", role: AttendeeRole.Required)],
        };
        var task = new TaskItem { Subject = "File the report", Description = "Before Friday", Status = TaskState.InProgress, Priority = TaskPriority.High, DueDate = new DateOnly(2030, 3, 8) };

        var eventKey = new CrmKey(RecordKind.Event, 4711);
        var taskKey = new CrmKey(RecordKind.Task, 4712);
        var createdEvent = await Ews().CreateAsync(eventKey, meeting, sendInvitations: false, default);
        var createdTask = await Ews().CreateAsync(taskKey, task, sendInvitations: false, default);
        Assert.Equal(4711, createdEvent.StampedCrmId);

        // The other adapter finds both by the same stamp and reads the same content.
        var viaGraph = Assert.Single(await Graph().FindByStampAsync(eventKey, default));
        var viaEws = Assert.Single(await Ews().FindByStampAsync(eventKey, default));
        // The simulator's mailbox model keeps no event reminder: its Graph face always answers Graph's default (15 minutes),
        // its EWS face none. Everything else must read the same.
        static ISyncEntity SansReminder(ISyncEntity e) => ((CalendarEvent)e) with { ReminderMinutesBefore = null };
        Assert.True(Fingerprint.Of(SansReminder(viaGraph.Entity)) == Fingerprint.Of(SansReminder(viaEws.Entity)),
            $"graph: {Describe(viaGraph.Entity)}\news: {Describe(viaEws.Entity)}");
        Assert.Equal(viaGraph.Key.ICalUId, viaEws.Key.ICalUId);
        Assert.Single(await Ews().FindByICalUIdAsync(viaGraph.Key.ICalUId!, default));

        // (To Do stamps tasks with a linkedResource, not the extended property: the task is compared with what was written.)
        var taskViaEws = Assert.Single(await Ews().FindByStampAsync(taskKey, default));
        Assert.True(Fingerprint.Of(task) == Fingerprint.Of(taskViaEws.Entity), $"written: {Describe(task)}\news: {Describe(taskViaEws.Entity)}");
        Assert.Equal(createdTask.Key.ItemId, taskViaEws.Key.ItemId);
    }

    /// <summary>What a fingerprint is taken from, readable (a failure shows which field differs).</summary>
    private static string Describe(ISyncEntity entity) => entity switch
    {
        CalendarEvent e => $"{e with { Attendees = [] }} attendees: {string.Join(", ", e.Attendees.Select(a => $"{a.Email}|{a.Role}|{a.Response}"))}",
        _ => entity.ToString()!,
    };

    [Fact]
    public async Task Changes_since_a_sync_state_list_updates_and_explicit_deletes_and_a_stale_change_key_is_refused()
    {
        var mailbox = Ews();
        var (from, to) = (Start.AddDays(-30), Start.AddDays(30));
        var first = await mailbox.ReadChangesAsync(SyncFolder.Calendar, null, from, to, default);
        Assert.Empty(first.Changed);

        var one = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 1), new CalendarEvent { Subject = "One", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") }, false, default);
        var two = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 2), new CalendarEvent { Subject = "Two", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") }, false, default);
        var created = await mailbox.ReadChangesAsync(SyncFolder.Calendar, first.Cursor, from, to, default);
        Assert.Equal(["One", "Two"], created.Changed.Select(i => ((CalendarEvent)i.Entity).Subject).Order());
        Assert.Empty(created.DeletedIds);

        var updated = await mailbox.UpdateAsync(one.Key, new CalendarEvent { Subject = "One (moved)", Span = EventSpan.Timed(Start.AddHours(2), Start.AddHours(3), "UTC") }, false, default);
        Assert.NotEqual(one.Key.ChangeKey, updated.Key.ChangeKey);
        // The ChangeKey we held is stale now: the write is refused rather than overwriting a newer version.
        await Assert.ThrowsAsync<StaleChangeKeyException>(() => mailbox.UpdateAsync(one.Key, new CalendarEvent { Subject = "Lost", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") }, false, default));
        await mailbox.DeleteAsync(RecordKind.Event, two.Key, sendCancellations: false, default);

        var changes = await mailbox.ReadChangesAsync(SyncFolder.Calendar, created.Cursor, from, to, default);
        Assert.Equal("One (moved)", ((CalendarEvent)Assert.Single(changes.Changed).Entity).Subject);
        Assert.Equal([two.Key.ItemId], changes.DeletedIds);
        Assert.Null(await mailbox.ReadAsync(RecordKind.Event, two.Key.ItemId, default));
        await mailbox.DeleteAsync(RecordKind.Event, two.Key, sendCancellations: false, default); // already gone: no error

        var nothing = await mailbox.ReadChangesAsync(SyncFolder.Calendar, changes.Cursor, from, to, default);
        Assert.Empty(nothing.Changed);
        Assert.Empty(nothing.DeletedIds);
        Assert.False(nothing.WasReset);
    }
}
