using System.Globalization;
using Connector.Exchange.Graph.Models;
using Connector.Vtenext.Webservice;

namespace Connector.Sync.Tests;

/// <summary>
/// Issue 6: the meeting organised by one CRM user with another invited is one CRM event; the attendee's copy is never
/// written by the connector and the attendee's edits do not change the CRM event; reassignment moves the item; a group's
/// task reaches every member; contacts go one way.
/// </summary>
public class AssignmentScenarioTests : TwoUserScenario
{
    [Fact]
    public async Task A_meeting_with_a_crm_attendee_is_one_crm_event_and_the_attendees_edits_stay_out_of_the_crm()
    {
        var alice = W.Mailbox(SyncWorld.Alice);
        var bob = W.Mailbox(SyncWorld.Bob);
        var start = DateTimeOffset.UtcNow.Date.AddDays(2).AddHours(14);
        var meeting = await alice.CreateEventAsync(new Event
        {
            Subject = "Kick-off", Start = DateTimeTimeZone.FromUtc(start), End = DateTimeTimeZone.FromUtc(start.AddHours(1)),
            Attendees = [new Attendee { Type = "required", EmailAddress = new EmailAddressValue { Address = SyncWorld.Bob, Name = "Bob" } }],
        });
        var bobsCopy = (await bob.FindEventsByICalUIdAsync(meeting.ICalUId!)).Single();

        var crmId = await SyncWorld.Eventually(async () => (await W.ConnectorQueryAsync<long>(
            "SELECT crm_id FROM exc_links WHERE kind = 'Event' GROUP BY crm_id HAVING COUNT(*) = 2")).SingleOrDefault() is var i and > 0 ? (long?)i : null,
            "one CRM event linked in both mailboxes");
        await W.QuietAsync();
        Assert.Equal(1, await W.CrmScalarAsync<int>("SELECT COUNT(*) FROM vte_activity a JOIN vte_crmentity e ON e.crmid = a.activityid WHERE a.subject = 'Kick-off' AND e.deleted = 0"));
        Assert.Equal(W.AliceId, await W.CrmScalarAsync<int>("SELECT smownerid FROM vte_crmentity WHERE crmid = @crmId", new { crmId }));
        Assert.Equal(W.BobId, await W.CrmScalarAsync<int>("SELECT inviteeid FROM vte_invitees WHERE activityid = @crmId", new { crmId }));
        var roles = await W.ConnectorQueryAsync<string>("SELECT CONCAT(mailbox, ' ', role) FROM exc_links WHERE crm_id = @crmId ORDER BY mailbox", new { crmId });
        Assert.Equal([$"{SyncWorld.Alice} Owner", $"{SyncWorld.Bob} Attendee"], roles);

        // Bob edits his copy: the CRM event keeps the organizer's subject; only his answer may flow in.
        await bob.UpdateEventAsync(bobsCopy.Id!, new Event { Subject = "Bob's private title" });
        await bob.RespondAsync(bobsCopy.Id!, "accept");
        await SyncWorld.Eventually(async () => await W.CrmScalarAsync<int>("SELECT partecipation FROM vte_invitees WHERE activityid = @crmId", new { crmId }) == 2
            ? (object)true : null, "Bob's acceptance in vtenext (partecipation = 2)");
        await W.QuietAsync();
        Assert.Equal("Kick-off", await W.CrmScalarAsync<string>("SELECT subject FROM vte_activity WHERE activityid = @crmId", new { crmId }));

        // A CRM change of the meeting goes to the organizer's item; the connector never writes Bob's copy.
        var events = (await W.Crm.DescribeAsync("Events")).IdPrefix;
        await W.CrmReviseAsync("Events", new ElementId(events, (int)crmId!.Value), new() { ["location"] = "Board room" });
        await SyncWorld.Eventually(async () => await alice.GetEventAsync(meeting.Id!) is { Location.DisplayName: "Board room" } ? (object)true : null,
            "the CRM change in the organizer's item");
        await W.QuietAsync();
        var writesToBob = await W.ConnectorQueryAsync<string>(
            "SELECT CONCAT(action, ' ', reason) FROM exc_sync_log WHERE mailbox = @bob AND side = 'Exchange' AND action IN ('Create','Update','Delete')", new { bob = SyncWorld.Bob });
        Assert.Empty(writesToBob);
        Assert.Empty(await W.FailedJobsAsync());
    }

    [Fact]
    public async Task Reassigning_a_crm_event_moves_it_from_the_old_owners_mailbox_to_the_new_one()
    {
        var id = await W.CrmCreateEventAsync("Supplier call", NextWeek(11), W.AliceId);
        var stamp = id.CrmId.ToString(CultureInfo.InvariantCulture);
        var alice = W.Mailbox(SyncWorld.Alice);
        var bob = W.Mailbox(SyncWorld.Bob);
        await SyncWorld.Eventually(async () => (await alice.FindEventsByCrmIdAsync(stamp)).SingleOrDefault(), "the event in Alice's mailbox");

        await W.CrmReviseAsync("Events", id, new() { ["assigned_user_id"] = await W.OwnerIdAsync(W.BobId) });
        var moved = await SyncWorld.Eventually(async () => (await bob.FindEventsByCrmIdAsync(stamp)).SingleOrDefault(), "the event in Bob's mailbox");
        Assert.Equal("Supplier call", moved.Subject);
        await SyncWorld.Eventually(async () => (await alice.FindEventsByCrmIdAsync(stamp)).Count == 0 ? (object)true : null, "the event gone from Alice's");
        await W.QuietAsync();
        Assert.Equal([SyncWorld.Bob], await W.ConnectorQueryAsync<string>("SELECT mailbox FROM exc_links WHERE crm_id = @id", new { id = id.CrmId }));
    }

    [Fact]
    public async Task A_task_owned_by_a_group_reaches_every_members_mailbox()
    {
        var group = await W.CreateCrmGroupAsync("Support", W.AliceId, W.BobId);
        var due = DateTime.Today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var task = await W.Crm.CreateAsync("Calendar", new Dictionary<string, object?>
        {
            ["subject"] = "Renew certificates", ["taskstatus"] = "Not Started", ["taskpriority"] = "High",
            ["date_start"] = DateTime.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["time_start"] = "09:00", ["due_date"] = due,
            ["assigned_user_id"] = group,
        });
        await W.NoticeAsync("Calendar", task.Id, "save");

        foreach (var address in new[] { SyncWorld.Alice, SyncWorld.Bob })
        {
            var mailbox = W.Mailbox(address);
            var list = await mailbox.GetDefaultTaskListAsync();
            var todo = await SyncWorld.Eventually(async () => (await mailbox.TasksDeltaAsync(list.Id!, null)).Items.SingleOrDefault(t => t.Title == "Renew certificates"),
                $"the group's task in {address}");
            Assert.Equal("high", todo.Importance);
            Assert.Equal(due, todo.DueDateTime!.DateTime![..10]);
        }
        await W.QuietAsync();
        Assert.Equal(2, (await W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_links WHERE crm_id = @id", new { id = task.Id.CrmId }))[0]);
        Assert.Empty(await W.FailedJobsAsync());
    }

    [Fact]
    public async Task An_exchange_task_whose_crm_copy_exists_unlinked_is_matched_not_created_again()
    {
        await W.QuietAsync(); // initialisation done: what follows goes through the live change path
        // The state a crash leaves behind: the CRM task was created from the Exchange task, the link was never stored.
        var due = DateTime.Today.AddDays(4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var crmTask = await W.Crm.CreateAsync("Calendar", new Dictionary<string, object?>
        {
            ["subject"] = "Call the notary", ["taskstatus"] = "Not Started", ["taskpriority"] = "Medium",
            ["date_start"] = DateTime.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["time_start"] = "09:00", ["due_date"] = due,
            ["assigned_user_id"] = await W.OwnerIdAsync(W.AliceId),
        });
        var mailbox = W.Mailbox(SyncWorld.Alice);
        var list = await mailbox.GetDefaultTaskListAsync();
        await mailbox.CreateTaskAsync(list.Id!, new TodoTask
        {
            Title = "Call the notary", Status = "notStarted", Importance = "normal",
            DueDateTime = new DateTimeTimeZone { DateTime = due + "T00:00:00.0000000", TimeZone = "UTC" },
        });

        await SyncWorld.Eventually(async () => (await W.ConnectorQueryAsync<long>(
            "SELECT COUNT(*) FROM exc_links WHERE crm_id = @id", new { id = crmTask.Id.CrmId }))[0] == 1 ? "" : null,
            "the Exchange task linked to the existing CRM task");
        await W.QuietAsync();
        Assert.Equal(1, await W.CrmScalarAsync<long>(
            "SELECT COUNT(*) FROM vte_activity a JOIN vte_crmentity e ON e.crmid = a.activityid WHERE e.deleted = 0 AND a.subject = 'Call the notary'"));
        Assert.Empty(await W.FailedJobsAsync());
    }

    [Fact]
    public async Task Contacts_go_one_way_and_the_next_crm_change_overwrites_an_exchange_edit()
    {
        var contact = await W.Crm.CreateAsync("Contacts", new Dictionary<string, object?>
        {
            ["firstname"] = "Carla", ["lastname"] = "Bianchi", ["email"] = "carla@customer.example", ["title"] = "Buyer",
            ["assigned_user_id"] = await W.OwnerIdAsync(W.AliceId),
        });
        await W.NoticeAsync("Contacts", contact.Id, "save");
        var alice = W.Mailbox(SyncWorld.Alice);
        var folder = await alice.EnsureContactFolderAsync();
        var stamp = contact.Id.CrmId.ToString(CultureInfo.InvariantCulture);
        var copy = await SyncWorld.Eventually(async () => (await alice.FindContactsByCrmIdAsync(folder.Id!, stamp)).SingleOrDefault(), "the contact in Alice's vtenext folder");
        Assert.Equal("Bianchi", copy.Surname);
        Assert.Equal("Buyer", copy.JobTitle);

        // An Exchange-side edit never reaches the CRM ...
        await alice.UpdateContactAsync(folder.Id!, copy.Id!, new Contact { JobTitle = "Edited in Outlook" });
        await Task.Delay(1500);
        await W.QuietAsync();
        Assert.Equal("Buyer", await W.CrmScalarAsync<string>("SELECT title FROM vte_contactdetails WHERE contactid = @id", new { id = contact.Id.CrmId }));

        // ... and the next CRM change overwrites it.
        await W.CrmReviseAsync("Contacts", contact.Id, new() { ["lastname"] = "Bianchi-Rossi" });
        var updated = await SyncWorld.Eventually(async () => await alice.GetContactAsync(folder.Id!, copy.Id!) is { Surname: "Bianchi-Rossi" } c ? c : null,
            "the CRM change in Exchange");
        Assert.Equal("Buyer", updated.JobTitle);
        Assert.Empty(await W.FailedJobsAsync());
    }
}
