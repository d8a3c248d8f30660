using System.Globalization;
using Connector.Exchange.Graph.Models;

namespace Connector.Sync.Tests;

/// <summary>
/// Issue 6, "create / update / delete on each side lands on the other", end to end: vtenext simulator ⇄ real connector
/// (Kestrel, MariaDB, jobs, channels) ⇄ Exchange simulator through Graph.
/// </summary>
public class CalendarScenarioTests : TwoUserScenario
{
    [Fact]
    public async Task A_crm_event_is_created_updated_and_deleted_in_the_owners_mailbox()
    {
        var alice = W.Mailbox(SyncWorld.Alice);
        var id = await W.CrmCreateEventAsync("Budget review", NextWeek(10), W.AliceId);

        var created = await SyncWorld.Eventually(async () => (await alice.FindEventsByCrmIdAsync(id.CrmId.ToString(CultureInfo.InvariantCulture))).SingleOrDefault(),
            "the event in Alice's calendar, stamped with its CRM id");
        Assert.Equal("Budget review", created.Subject);
        var rome = TimeZoneInfo.FindSystemTimeZoneById(SyncWorld.ServerZone);
        Assert.Equal(TimeZoneInfo.ConvertTimeToUtc(NextWeek(10), rome), created.Start!.ToInstant().UtcDateTime);

        await W.CrmReviseAsync("Events", id, new() { ["subject"] = "Budget review (moved)", ["location"] = "Room 4" });
        var updated = await SyncWorld.Eventually(async () => await alice.GetEventAsync(created.Id!) is { Subject: "Budget review (moved)" } e ? e : null,
            "the CRM change in Exchange");
        Assert.Equal("Room 4", updated.Location?.DisplayName);

        await W.CrmDeleteAsync("Events", id);
        await SyncWorld.Eventually(async () => await alice.GetEventAsync(created.Id!) is null ? (object)true : null, "the event gone from Exchange");
        Assert.Empty(await W.FailedJobsAsync());
    }

    [Fact]
    public async Task An_exchange_event_is_created_updated_and_deleted_in_the_crm()
    {
        var alice = W.Mailbox(SyncWorld.Alice);
        var start = DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(9);
        var item = await alice.CreateEventAsync(new Event
        {
            Subject = "Dentist", Start = DateTimeTimeZone.FromUtc(start), End = DateTimeTimeZone.FromUtc(start.AddMinutes(30)),
            Location = new Location { DisplayName = "Main St" },
        });

        var crmId = await SyncWorld.Eventually(async () => (await W.CrmQueryAsync<int>(
            "SELECT a.activityid FROM vte_activity a JOIN vte_crmentity e ON e.crmid = a.activityid WHERE a.subject = 'Dentist' AND e.deleted = 0")).SingleOrDefault() is var i and > 0 ? (int?)i : null,
            "the Exchange event as a CRM event");
        Assert.Equal(W.AliceId, await W.CrmScalarAsync<int>("SELECT smownerid FROM vte_crmentity WHERE crmid = @crmId", new { crmId }));
        Assert.Equal("Main St", await W.CrmScalarAsync<string>("SELECT location FROM vte_activity WHERE activityid = @crmId", new { crmId }));

        await alice.UpdateEventAsync(item.Id!, new Event { Subject = "Dentist (check-up)" });
        await SyncWorld.Eventually(async () => await W.CrmScalarAsync<string>("SELECT subject FROM vte_activity WHERE activityid = @crmId", new { crmId })
            == "Dentist (check-up)" ? (object)true : null, "the Exchange change in the CRM");

        await alice.DeleteEventAsync(item.Id!);
        await SyncWorld.Eventually(async () => await W.CrmScalarAsync<int>("SELECT deleted FROM vte_crmentity WHERE crmid = @crmId", new { crmId }) == 1
            ? (object)true : null, "the CRM event deleted");

        // Our own writes came back as changes and were recognised: one CRM event, nothing failed, nothing written twice.
        await W.QuietAsync();
        Assert.Equal(1, await W.CrmScalarAsync<int>("SELECT COUNT(*) FROM vte_activity WHERE subject LIKE 'Dentist%'"));
        Assert.Empty(await W.FailedJobsAsync());
        var writes = await W.ConnectorQueryAsync<string>("SELECT CONCAT(action, ' ', side) FROM exc_sync_log WHERE action IN ('Create','Update','Delete') ORDER BY id");
        Assert.Equal(["Create Crm", "Update Crm", "Delete Crm"], writes);
    }
}
