using System.Globalization;
using Connector.Exchange.Graph.Models;
using Connector.Sync.Engine;
using Dapper;

namespace Connector.Sync.Tests;

/// <summary>
/// Two syncs of the same pair at once, set up step by step instead of hoped for (the loop test under load found it):
/// an Exchange change arrives for an item whose CRM record is being re-created from it by the record's own sync.
/// </summary>
public class ConcurrentSyncTests : TwoUserScenario
{
    [Fact]
    public async Task An_exchange_change_that_waited_for_its_record_joins_the_link_made_meanwhile_instead_of_a_second_record()
    {
        var alice = W.Mailbox(SyncWorld.Alice);
        var old = await W.CrmCreateEventAsync("Visit", NextWeek(10), W.AliceId);
        var item = await SyncWorld.Eventually(async () => (await alice.FindEventsByCrmIdAsync(old.CrmId.ToString(CultureInfo.InvariantCulture))).SingleOrDefault(),
            "the CRM event in Exchange, stamped with its id");
        await W.QuietAsync();

        // The record's sync holds its lock: it found the record deleted in vtenext and the item changed, so it unlinks
        // the old record and re-creates it from the item (stamped with the old id) before linking the new one.
        await using var db = await W.ConnectorDatabase.OpenAsync();
        Assert.Equal(1L, await db.ExecuteScalarAsync<long>("SELECT GET_LOCK(@name, 30)", new { name = NamedLock.HashedName(W.ConnectorDatabase.Name, $"crm:Event:{old.CrmId}") }));
        await W.Crm.DeleteAsync(old);
        await db.ExecuteAsync("DELETE FROM exc_links WHERE crm_id = @id", new { id = old.CrmId });

        // Meanwhile Alice changes the item: its sync finds no link, matches the stamp and waits for the record's lock.
        await alice.UpdateEventAsync(item.Id!, new Event { Location = new Location { DisplayName = "Room 9" } });
        await SyncWorld.Eventually(async () => await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM exc_jobs WHERE kind = 'item.sync' AND state = 'Running' AND payload LIKE CONCAT('%', @id, '%')", new { id = item.Id }) > 0
            ? (object)true : null, "the item's sync running");
        await Task.Delay(500);

        var recreated = (await W.SeedCrmEventsAsync(W.AliceId, [("Visit", NextWeek(10))]))[0];
        await db.ExecuteAsync("""
            INSERT INTO exc_links (kind, crm_id, mailbox, item_id, change_key, ical_uid, crm_fingerprint, exchange_fingerprint, role, synced_at)
            VALUES ('Event', @crmId, @mailbox, @itemId, NULL, @uid, '', '', 'Owner', UTC_TIMESTAMP(6))
            """, new { crmId = recreated.CrmId, mailbox = SyncWorld.Alice, itemId = item.Id, uid = item.ICalUId });
        await db.ExecuteScalarAsync<long>("SELECT RELEASE_LOCK(@name)", new { name = NamedLock.HashedName(W.ConnectorDatabase.Name, $"crm:Event:{old.CrmId}") });
        await W.QuietAsync();

        // One CRM event for the one item, linked once; the item is still there.
        var live = await W.CrmQueryAsync<long>("""
            SELECT a.activityid FROM vte_activity a JOIN vte_crmentity e ON e.crmid = a.activityid
            WHERE e.deleted = 0 AND e.smownerid = @owner AND a.subject = 'Visit'
            """, new { owner = W.AliceId });
        Assert.Equal([(long)recreated.CrmId], live);
        Assert.Equal([(long)recreated.CrmId], await W.ConnectorQueryAsync<long>("SELECT crm_id FROM exc_links WHERE item_id = @id", new { id = item.Id }));
        Assert.NotNull(await alice.GetEventAsync(item.Id!));
        Assert.DoesNotContain("Create Crm", await W.ConnectorQueryAsync<string>("SELECT CONCAT(action, ' ', side) FROM exc_sync_log"));
        Assert.Empty(await W.FailedJobsAsync());
    }
}
