using System.Globalization;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Dapper;

namespace Connector.Sync.Tests;

/// <summary>
/// A person deletes an event the connector has just created, before the mailbox's change feed was read again. EWS (like
/// Exchange's ICS) then reports nothing at all for it: created and deleted since the last read. The CRM record must
/// still go (the loop test over EWS under load kept it, linked to an item that no longer existed).
/// </summary>
public class FeedGapTests : TwoUserScenario
{
    [Fact]
    public async Task An_item_the_connector_created_and_the_person_deleted_before_the_feed_read_it_deletes_the_crm_record()
    {
        var alice = W.Mailbox(SyncWorld.Alice);
        await using var db = await W.ConnectorDatabase.OpenAsync();
        async Task<DateTime> CursorMovedAsync() => await db.ExecuteScalarAsync<DateTime>(
            "SELECT updated_at FROM exc_sync_cursors WHERE mailbox = @m AND folder = 'Calendar'", new { m = SyncWorld.Alice });
        // Alice's first sync is over: her calendar feed has a cursor.
        await SyncWorld.Eventually(async () => await CursorMovedAsync() != default ? (object)true : null, "Alice's calendar feed started");
        await W.QuietAsync();
        // Hold Alice's calendar feed (a running job with its ordering key) so the create and the delete fall between two reads.
        var feedKey = SyncJobs.Feed(new SyncJobs.FeedPayload(W.AliceId, SyncWorld.Alice, SyncFolder.Calendar)).OrderingKey;
        await db.ExecuteAsync("""
            INSERT INTO exc_jobs (kind, payload, ordering_key, state, attempts, max_attempts, next_attempt_at, locked_by, locked_until, created_at, updated_at)
            VALUES ('test.hold', '{}', @feedKey, 'Running', 0, 1, UTC_TIMESTAMP(6), 'test', DATE_ADD(UTC_TIMESTAMP(6), INTERVAL 10 MINUTE),
                    UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
            """, new { feedKey });
        var holdId = await db.ExecuteScalarAsync<long>("SELECT MAX(id) FROM exc_jobs WHERE kind = 'test.hold'");
        // A feed read already under way (or due before the hold) ends first; later ones wait behind the hold.
        await SyncWorld.Eventually(async () => await db.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM exc_jobs WHERE ordering_key = @feedKey AND id < @holdId AND state IN ('Pending', 'Running')
            """, new { feedKey, holdId }) == 0 ? (object)true : null, "the feed read under way done");
        var heldAt = await CursorMovedAsync();

        var id = await W.CrmCreateEventAsync("Site visit", NextWeek(11), W.AliceId);
        var item = await SyncWorld.Eventually(async () => (await alice.FindEventsByCrmIdAsync(id.CrmId.ToString(CultureInfo.InvariantCulture))).SingleOrDefault(),
            "the CRM event in Exchange");
        await SyncWorld.Eventually(async () => (await W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_links WHERE crm_id = @id", new { id = id.CrmId }))[0] > 0
            ? (object)true : null, "the event linked");
        Assert.Equal(heldAt, await CursorMovedAsync()); // the feed has not read the create
        Assert.True(await alice.DeleteEventAsync(item.Id!));
        await db.ExecuteAsync("DELETE FROM exc_jobs WHERE id = @holdId", new { holdId });

        await SyncWorld.Eventually(async () => await W.CrmScalarAsync<int>("SELECT deleted FROM vte_crmentity WHERE crmid = @id", new { id = id.CrmId }) == 1
            ? (object)true : null, "the CRM event deleted", 30);
        await W.QuietAsync(); // the link goes right after the record
        Assert.Empty(await W.ConnectorQueryAsync<long>("SELECT crm_id FROM exc_links WHERE crm_id = @id", new { id = id.CrmId }));
        Assert.Empty(await W.FailedJobsAsync());
    }
}

public sealed class EwsFeedGapTests : FeedGapTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}
