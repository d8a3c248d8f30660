using Connector.Vtenext.Database;
using Connector.Vtenext.Mapping;
using Connector.Vtenext.Webservice;
using System.Net.Http.Json;
using Dapper;

namespace Connector.Vtenext.Tests;

/// <summary>
/// Domain ⇄ vtenext round trips through the simulator with vtenext's clocks: the server (database) in Europe/Rome,
/// the integration user in America/New_York. Between the US and the EU DST switches the two zones are 5 h apart,
/// otherwise 6 h.
/// </summary>
public sealed class MappingTests : IAsyncLifetime
{
    private VtenextSimulatorHost _crm = null!;
    private VtenextClient _client = null!;
    private VtenextSimulatorHost.CreatedUser _user = null!;
    private readonly VtenextMapper _mapper = new(VtenextZones.FromIds("Europe/Rome", "America/New_York"), "dd-mm-yyyy");

    public async Task InitializeAsync()
    {
        _crm = await VtenextSimulatorHost.StartAsync();
        (_client, _user) = await _crm.ClientForNewUserAsync("America/New_York");
    }

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    [Theory]
    // US already on summer time, Rome not yet: 5 h apart.
    [InlineData("2026-03-20T14:00:00Z", "2026-03-20", "10:00", "2026-03-20", "15:00")]
    // Both on summer time: 6 h apart.
    [InlineData("2026-07-01T14:00:00Z", "2026-07-01", "10:00", "2026-07-01", "16:00")]
    // Winter, and the Rome date is already the next day.
    [InlineData("2026-01-16T01:30:00Z", "2026-01-15", "20:30", "2026-01-16", "02:30")]
    // Rome back on winter time (25 Oct), New York not yet (1 Nov): 5 h apart.
    [InlineData("2026-10-28T13:00:00Z", "2026-10-28", "09:00", "2026-10-28", "14:00")]
    public async Task Event_times_round_trip_through_user_zone_writes_server_zone_storage_and_both_read_paths(
        string startUtc, string userDate, string userTime, string serverDate, string serverTime)
    {
        var start = DateTimeOffset.Parse(startUtc);
        var crmEvent = new CrmEvent { Subject = "Review", Start = start, End = start.AddMinutes(45) };

        var created = await _client.CreateAsync(VtenextMapper.EventsModule, _mapper.FromEvent(crmEvent));

        // The webservice spoke the user's zone…
        Assert.Equal((userDate, userTime), (created["date_start"], created["time_start"]));
        // …the database keeps the server's…
        await using var db = await _crm.OpenAsync();
        var stored = await db.QuerySingleAsync<(DateTime Date, string Time)>(
            "SELECT date_start, time_start FROM vte_activity WHERE activityid = @id", new { id = created.Id.CrmId });
        Assert.Equal((serverDate, serverTime), (stored.Date.ToString("yyyy-MM-dd"), stored.Time));
        // …query returns stored values, retrieve converted ones, and both map to the same instants.
        var queried = (await _client.QueryAsync($"SELECT * FROM Events WHERE id = '{created.Id}';")).Single();
        Assert.Equal((serverDate, serverTime), (queried["date_start"], queried["time_start"]));
        var fromQuery = _mapper.ToEvent(queried, ValueSource.Query);
        var fromRetrieve = _mapper.ToEvent(await _client.RetrieveAsync(created.Id), ValueSource.Retrieve);
        Assert.Equal((start, start.AddMinutes(45)), (fromQuery.Start, fromQuery.End));
        Assert.Equal((start, start.AddMinutes(45)), (fromRetrieve.Start, fromRetrieve.End));
        // modifiedtime too: stored in Rome, shown by retrieve in New York, the same instant either way.
        var storedModified = await db.ExecuteScalarAsync<DateTime>("SELECT modifiedtime FROM vte_crmentity WHERE crmid = @id", new { id = created.Id.CrmId });
        var rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");
        var modified = new DateTimeOffset(storedModified, rome.GetUtcOffset(storedModified));
        Assert.Equal((modified, modified), (fromQuery.ModifiedTime, fromRetrieve.ModifiedTime));
        Assert.NotEqual(queried["modifiedtime"], (await _client.RetrieveAsync(created.Id))["modifiedtime"]);
    }

    [Fact]
    public async Task All_day_events_keep_their_dates_in_every_zone()
    {
        var crmEvent = new CrmEvent { Subject = "Holidays", IsAllDay = true, FirstDay = new DateOnly(2026, 12, 24), LastDay = new DateOnly(2026, 12, 26) };

        var created = await _client.CreateAsync(VtenextMapper.EventsModule, _mapper.FromEvent(crmEvent));

        var queried = (await _client.QueryAsync($"SELECT * FROM Events WHERE id = '{created.Id}';")).Single();
        foreach (var read in new[] { _mapper.ToEvent(created, ValueSource.Retrieve), _mapper.ToEvent(queried, ValueSource.Query) })
        {
            Assert.True(read.IsAllDay);
            Assert.Equal((new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 26)), (read.FirstDay, read.LastDay));
        }
    }

    [Theory]
    [InlineData("mm-dd-yyyy", "12-26-2026")]
    [InlineData("dd-mm-yyyy", "26-12-2026")]
    [InlineData("yyyy-mm-dd", "2026-12-26")]
    public async Task Date_fields_come_back_in_the_users_date_format_and_are_read_as_dates(string dateFormat, string shown)
    {
        var accessKey = "AK" + Guid.NewGuid().ToString("N")[..14];
        var response = await _crm.Http.PostAsJsonAsync(new Uri(_crm.BaseAddress, "/_sim/crm/users"),
            new { userName = "fmt", email = "fmt@crm.example", accessKey, isAdmin = true, timeZone = "Europe/Rome", dateFormat });
        response.EnsureSuccessStatusCode();
        var client = new VtenextClient(_crm.Http, new VtenextClientOptions(_crm.BaseAddress, "fmt", accessKey));
        var mapper = new VtenextMapper(VtenextZones.FromIds("Europe/Rome", "Europe/Rome"), dateFormat);

        var created = await client.CreateAsync(VtenextMapper.EventsModule, mapper.FromEvent(
            new CrmEvent { Subject = "Fair", IsAllDay = true, FirstDay = new DateOnly(2026, 12, 24), LastDay = new DateOnly(2026, 12, 26) }));

        Assert.Equal(("2026-12-24", shown), (created["date_start"], created["due_date"]));
        var read = mapper.ToEvent(await client.RetrieveAsync(created.Id), ValueSource.Retrieve);
        Assert.Equal((new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 26)), (read.FirstDay, read.LastDay));
    }

    [Fact]
    public async Task Every_event_field_round_trips_including_invitees_and_links()
    {
        var account = await _client.CreateAsync("Accounts", new Dictionary<string, object?> { ["accountname"] = "ACME" });
        var contact = await _client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Verdi", ["email"] = "verdi@customer.example" });
        var colleague = await _crm.CreateUserAsync("anna", "anna@crm.example", "AKanna000000000", "Europe/Rome");
        var start = new DateTimeOffset(2026, 5, 12, 7, 0, 0, TimeSpan.Zero);
        var crmEvent = new CrmEvent
        {
            Subject = "Quarterly review", ActivityType = "Call", Start = start, End = start.AddHours(2),
            Location = "Via Roma 1, Padova", Description = "Agenda:\n1. numbers\n2. plans", Status = "Held", Visibility = "Private",
            ReminderMinutesBefore = 15, ParentId = account.Id, ContactId = contact.Id,
            Attendees = [new CrmAttendee("anna@crm.example", CrmParticipation.Accepted), new CrmAttendee("verdi@customer.example", CrmParticipation.Declined),
                new CrmAttendee("stranger@nowhere.example", CrmParticipation.NoAnswer)],
        };

        var created = await _client.CreateAsync(VtenextMapper.EventsModule, _mapper.FromEvent(crmEvent));
        var tables = new VtenextTables(_crm.Database.ConnectionString);
        var read = _mapper.ToEvent(await _client.RetrieveAsync(created.Id), ValueSource.Retrieve,
            await tables.ReadAttendeesAsync(created.Id.CrmId, CancellationToken.None));

        Assert.Equal(
            (crmEvent.Subject, crmEvent.ActivityType, crmEvent.Start, crmEvent.End, crmEvent.Location, crmEvent.Description, crmEvent.Status, crmEvent.Visibility),
            (read.Subject, read.ActivityType, read.Start, read.End, read.Location, read.Description, read.Status, read.Visibility));
        Assert.Equal((15, account.Id, contact.Id), (read.ReminderMinutesBefore, read.ParentId, read.ContactId));
        Assert.Equal(ElementId.Parse(_user.WsId), read.OwnerId);
        Assert.Equal("integration@crm.example", read.Organizer);
        // The unknown address is dropped, as vtenext does; the user and the contact keep their answers.
        Assert.Equal(
            [new CrmAttendee("anna@crm.example", CrmParticipation.Accepted, CrmInviteeKind.User, colleague.Id),
             new CrmAttendee("verdi@customer.example", CrmParticipation.Declined, CrmInviteeKind.Contact, contact.Id.CrmId)],
            read.Attendees.OrderBy(a => a.Email));
        Assert.NotNull(read.ModifiedTime);
        Assert.InRange(read.ModifiedTime!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        await using var db = await _crm.OpenAsync();
        Assert.Equal(colleague.Id, await db.ExecuteScalarAsync<int>("SELECT inviteeid FROM vte_invitees WHERE activityid = @id", new { id = created.Id.CrmId }));
        Assert.Equal(15, await db.ExecuteScalarAsync<int>("SELECT reminder_time FROM vte_activity_reminder WHERE activity_id = @id", new { id = created.Id.CrmId }));
    }

    [Fact]
    public async Task A_record_owned_by_a_group_reads_as_the_group_and_its_active_members()
    {
        var anna = await _crm.CreateUserAsync("anna", "anna@crm.example", "AKanna000000000", "Europe/Rome");
        var bruno = await _crm.CreateUserAsync("bruno", "bruno@crm.example", "AKbruno00000000", "Europe/Rome");
        var response = await _crm.Http.PostAsJsonAsync(new Uri(_crm.BaseAddress, "/_sim/crm/groups"),
            new { groupName = "Sales", memberUserIds = new[] { anna.Id, bruno.Id } });
        var group = (await response.Content.ReadFromJsonAsync<VtenextSimulatorHost.CreatedUser>())!;
        await using (var db = await _crm.OpenAsync())
            await db.ExecuteAsync("UPDATE vte_users SET status = 'Inactive' WHERE id = @id", new { id = bruno.Id });

        var created = await _client.CreateAsync(VtenextMapper.TasksModule, _mapper.FromTask(new CrmTask
        {
            Subject = "Team task", Start = DateTimeOffset.UtcNow, OwnerId = ElementId.Parse(group.WsId),
        }));
        var task = _mapper.ToTask(await _client.RetrieveAsync(created.Id), ValueSource.Retrieve);
        var tables = new VtenextTables(_crm.Database.ConnectionString);

        Assert.Equal(group.WsId, task.OwnerId.ToString());
        var owner = Assert.IsType<Connector.Core.Mailboxes.Owner.Group>(await tables.ReadOwnerAsync(task.OwnerId!.Value.CrmId, CancellationToken.None));
        Assert.Equal([anna.Id], owner.MemberUserIds);
        Assert.Equal(new Connector.Core.Mailboxes.Owner.User(_user.Id), await tables.ReadOwnerAsync(_user.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Tasks_round_trip_status_priority_and_due_date()
    {
        var task = new CrmTask
        {
            Subject = "Send offer", Status = "In Progress", Priority = "High",
            Start = new DateTimeOffset(2026, 3, 27, 23, 30, 0, TimeSpan.Zero), DueDate = new DateOnly(2026, 4, 2), Description = "v2",
        };

        var created = await _client.CreateAsync(VtenextMapper.TasksModule, _mapper.FromTask(task));

        Assert.Equal("Task", (await _client.QueryAsync($"SELECT activitytype FROM Calendar WHERE id = '{created.Id}';")).Single()["activitytype"]);
        var read = _mapper.ToTask(await _client.RetrieveAsync(created.Id), ValueSource.Retrieve);
        Assert.Equal((task.Subject, task.Status, task.Priority, task.Start, task.DueDate, task.Description),
            (read.Subject, read.Status, read.Priority, read.Start, read.DueDate, read.Description));
        var queried = _mapper.ToTask((await _client.QueryAsync($"SELECT * FROM Calendar WHERE id = '{created.Id}';")).Single(), ValueSource.Query);
        Assert.Equal(task.Start, queried.Start);
        // Tasks are not events: the Events module does not list them.
        Assert.Empty(await _client.QueryAsync($"SELECT * FROM Events WHERE id = '{created.Id}';"));
    }

    [Fact]
    public async Task Contacts_round_trip_every_mapped_field()
    {
        var account = await _client.CreateAsync("Accounts", new Dictionary<string, object?> { ["accountname"] = "Rossi SpA" });
        var contact = new CrmContact
        {
            Salutation = "Mrs.", FirstName = "Giulia", LastName = "Rossi", Email = "giulia@rossi.example", OtherEmail = "g.rossi@home.example",
            OfficePhone = "+39 049 123", Mobile = "+39 333 456", HomePhone = "+39 049 789", OtherPhone = "+39 02 000", Fax = "+39 049 124",
            Title = "CFO", Department = "Finance", AccountId = account.Id, Birthday = new DateOnly(1980, 2, 29),
            MailingAddress = new CrmAddress("Via Roma 1", "Padova", "PD", "35100", "Italy", "PO 12"),
            OtherAddress = new CrmAddress("Corso Como 5", "Milano", "MI", "20154", "Italy"),
            Description = "Prefers e-mail",
        };

        var created = await _client.CreateAsync(VtenextMapper.ContactsModule, _mapper.FromContact(contact));
        var read = _mapper.ToContact(await _client.RetrieveAsync(created.Id));

        Assert.Equal(contact with { Id = created.Id, OwnerId = read.OwnerId, ModifiedTime = read.ModifiedTime }, read);
        Assert.Equal(ElementId.Parse(_user.WsId), read.OwnerId);
    }

    [Theory]
    // Rome springs forward at 02:00 on 29 March 2026: 02:30 does not exist and is read as 03:30 summer time (PHP's rule).
    [InlineData("2026-03-29", "02:30", "2026-03-29T01:30:00Z")]
    // Rome falls back at 03:00 on 25 October 2026: 02:30 happens twice and is read as the first (summer time).
    [InlineData("2026-10-25", "02:30", "2026-10-25T00:30:00Z")]
    [InlineData("2026-10-25", "03:30", "2026-10-25T02:30:00Z")]
    public void Server_wall_times_at_dst_switches_resolve_like_vtenext(string date, string time, string expectedUtc) =>
        Assert.Equal(DateTimeOffset.Parse(expectedUtc), VtenextZones.ToInstant(date, time, TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome")));
}
