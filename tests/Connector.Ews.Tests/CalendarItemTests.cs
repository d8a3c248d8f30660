using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Simulators.Ews;
using SimCalendarItem = Connector.Simulators.Mailboxes.CalendarItem;

namespace Connector.Ews.Tests;

public sealed class CalendarItemTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;

    private static readonly DateTimeOffset Monday = new(2030, 3, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Create_read_update_delete_a_meeting_with_the_crm_id_stamp()
    {
        var alice = _server.AddMailbox("cal-alice");
        var bob = _server.AddMailbox("cal-bob");
        using var client = _server.Client(alice);

        var id = await client.CreateEventAsync(new CalendarEvent
        {
            Subject = "Quarterly review", Body = "Agenda: numbers", Location = "Room 1",
            Start = Monday, End = Monday.AddHours(1), FreeBusy = "Busy", ReminderMinutesBeforeStart = 15,
            RequiredAttendees = [new EwsAttendee(bob.Address, "Bob")], CrmId = "crm-42",
        }, SendInvitations.SendToAllAndSaveCopy);

        var read = (await client.GetEventsAsync([id])).Single()!;
        Assert.Equal("Quarterly review", read.Subject);
        Assert.Equal("Agenda: numbers", read.Body);
        Assert.Equal("Room 1", read.Location);
        Assert.Equal(Monday, read.Start);
        Assert.Equal(Monday.AddHours(1), read.End);
        Assert.Equal("crm-42", read.CrmId);
        Assert.True(read.IsOrganizer);
        Assert.Equal(bob.Address, Assert.Single(read.RequiredAttendees).Email);
        Assert.False(string.IsNullOrEmpty(read.Uid));
        Assert.Equal(id.ChangeKey, read.Id!.ChangeKey);

        // The invitation landed in Bob's calendar, where Bob is not the organizer.
        var bobCopy = Assert.Single(bob.Items<SimCalendarItem>(bob.Calendar.Id));
        using var bobClient = _server.Client(bob);
        var bobRead = (await bobClient.GetEventsAsync([new EwsItemId(bobCopy.Id)])).Single()!;
        Assert.False(bobRead.IsOrganizer);
        Assert.Equal(read.Uid, bobRead.Uid);

        // Update: move it an hour, clear the location (DeleteItemField), keep the stamp.
        var updated = await client.UpdateEventAsync(read.Id, read with { Start = Monday.AddHours(1), End = Monday.AddHours(2), Location = null },
            SendUpdates.SendToAllAndSaveCopy);
        Assert.NotEqual(read.Id.ChangeKey, updated.ChangeKey);
        var after = (await client.GetEventsAsync([updated])).Single()!;
        Assert.Equal(Monday.AddHours(1), after.Start);
        Assert.Null(after.Location);
        Assert.Equal("crm-42", after.CrmId);
        Assert.Equal(Monday.AddHours(1), bob.Find<SimCalendarItem>(bobCopy.Id)!.Start);

        await client.DeleteEventAsync(updated, SendCancellations.SendToAllAndSaveCopy);
        Assert.Null((await client.GetEventsAsync([updated])).Single());
        Assert.Empty(alice.Items<SimCalendarItem>(alice.Calendar.Id));
        Assert.True(bob.Find<SimCalendarItem>(bobCopy.Id)!.IsCancelled);
    }

    [Fact]
    public async Task An_update_with_a_stale_change_key_is_refused_and_nothing_is_written()
    {
        var alice = _server.AddMailbox("cal-stale");
        using var client = _server.Client(alice);
        var id = await client.CreateEventAsync(new CalendarEvent { Subject = "v1", Start = Monday, End = Monday.AddHours(1) });
        var v1 = (await client.GetEventsAsync([id])).Single()!;
        await client.UpdateEventAsync(v1.Id!, v1 with { Subject = "v2" });

        var e = await Assert.ThrowsAsync<EwsException>(() => client.UpdateEventAsync(v1.Id!, v1 with { Subject = "v3 from stale copy" }));
        Assert.Equal("ErrorIrresolvableConflict", e.ResponseCode);
        Assert.Equal("v2", (await client.GetEventsAsync([new EwsItemId(id.Id)])).Single()!.Subject);
    }

    [Fact]
    public async Task A_series_without_end_with_a_moved_and_a_deleted_occurrence()
    {
        var alice = _server.AddMailbox("cal-series");
        using var client = _server.Client(alice);
        var masterId = await client.CreateEventAsync(new CalendarEvent
        {
            Subject = "Daily stand-up", Start = Monday, End = Monday.AddMinutes(15),
            Recurrence = new Recurrence(RecurrencePattern.Weekly, 1, DateOnly.FromDateTime(Monday.Date),
                [DayOfWeek.Monday, DayOfWeek.Wednesday]),
            CrmId = "crm-series-1",
        });
        var master = (await client.GetEventsAsync([masterId])).Single()!;
        Assert.Equal("RecurringMaster", master.CalendarItemType);
        Assert.NotNull(master.Recurrence);
        Assert.True(master.Recurrence!.HasNoEnd);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Wednesday], master.Recurrence.DaysOfWeek);

        // Occurrence 2 (Wednesday) moves an hour later; occurrence 3 (next Monday) is deleted.
        var second = (await client.GetEventsAsync([new OccurrenceRef(masterId.Id, 2)])).Single()!;
        Assert.Equal("Occurrence", second.CalendarItemType);
        Assert.Equal(Monday.AddDays(2), second.Start);
        await client.UpdateEventAsync(new OccurrenceRef(masterId.Id, 2), second with { Start = second.Start.AddHours(1), End = second.End.AddHours(1) });
        await client.DeleteEventAsync(new OccurrenceRef(masterId.Id, 3));

        master = (await client.GetEventsAsync([new EwsItemId(masterId.Id)])).Single()!;
        var moved = Assert.Single(master.ModifiedOccurrences);
        Assert.Equal(Monday.AddDays(2), moved.OriginalStart);
        Assert.Equal(Monday.AddDays(2).AddHours(1), moved.Start);
        Assert.Equal(Monday.AddDays(7), Assert.Single(master.DeletedOccurrences));
        Assert.Equal("crm-series-1", master.CrmId);

        // The modified occurrence is readable through the id the master lists.
        var exception = (await client.GetEventsAsync([moved.Id])).Single()!;
        Assert.Equal("Exception", exception.CalendarItemType);
        Assert.Equal(moved.Start, exception.Start);
    }

    [Fact]
    public async Task Numbered_and_end_date_ranges_round_trip()
    {
        var alice = _server.AddMailbox("cal-ranges");
        using var client = _server.Client(alice);
        var numbered = await client.CreateEventAsync(new CalendarEvent
        {
            Subject = "Five days", Start = Monday, End = Monday.AddHours(1),
            Recurrence = new Recurrence(RecurrencePattern.Daily, 1, DateOnly.FromDateTime(Monday.Date), NumberOfOccurrences: 5),
        });
        var monthly = await client.CreateEventAsync(new CalendarEvent
        {
            Subject = "Monthly", Start = Monday, End = Monday.AddHours(1),
            Recurrence = new Recurrence(RecurrencePattern.AbsoluteMonthly, 1, DateOnly.FromDateTime(Monday.Date), DayOfMonth: 4,
                EndDate: new DateOnly(2030, 12, 31)),
        });
        var read = await client.GetEventsAsync([numbered, monthly]);
        Assert.Equal(5, read[0]!.Recurrence!.NumberOfOccurrences);
        Assert.Equal(RecurrencePattern.AbsoluteMonthly, read[1]!.Recurrence!.Pattern);
        Assert.Equal(new DateOnly(2030, 12, 31), read[1]!.Recurrence!.EndDate);
    }

    [Fact]
    public async Task GetItem_reads_in_batches_and_reports_missing_items_as_null()
    {
        var alice = _server.AddMailbox("cal-batch");
        using var client = _server.Client(alice, getItemBatchSize: 3);
        var ids = new List<ItemRef>();
        for (var i = 0; i < 7; i++)
            ids.Add(await client.CreateEventAsync(new CalendarEvent { Subject = $"e{i}", Start = Monday.AddDays(i), End = Monday.AddDays(i).AddHours(1) }));
        ids.Insert(3, new EwsItemId("AAMkDoesNotExist"));
        var before = _server.Log.All.Count(r => r.Operation == "GetItem");

        var read = await client.GetEventsAsync(ids);

        Assert.Equal(3, _server.Log.All.Count(r => r.Operation == "GetItem") - before); // 8 ids in batches of 3
        Assert.Equal(["e0", "e1", "e2", null, "e3", "e4", "e5", "e6"], read.Select(e => e?.Subject));
    }

    [Fact]
    public async Task Against_an_Exchange_2010_SP2_server_the_client_falls_back_and_reads_the_organizer_from_MyResponseType()
    {
        await using var server2010 = await EwsServer.StartAsync(o => o.ServerVersion = SimulatedVersion.Exchange2010_SP2);
        var alice = server2010.AddMailbox("cal-2010");
        var existing = server2010.Directory.CreateEvent(alice, new SimCalendarItem
        {
            Id = "", FolderId = "", ICalUId = "", Organizer = alice.Email, Subject = "Old server", Start = Monday, End = Monday.AddHours(1),
        });
        using var client = server2010.Client(alice);

        // The very first call asks for IsOrganizer, which 2010 SP2 does not know: it is rebuilt without it.
        var read = (await client.GetEventsAsync([new EwsItemId(existing.Id)])).Single()!;

        Assert.Equal(ExchangeVersion.Exchange2010_SP2, client.Version);
        Assert.Equal("Organizer", read.MyResponseType);
        Assert.True(read.IsOrganizer);
    }
}
