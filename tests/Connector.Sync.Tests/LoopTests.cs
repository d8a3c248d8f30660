using System.Globalization;
using Connector.Exchange.Graph.Models;
using Connector.Vtenext.Webservice;

namespace Connector.Sync.Tests;

/// <summary>
/// Issue 6, loop test: 200 random edits on both sides (creates, updates, deletes; some hitting the same record on both
/// sides at once), then quiet. Both sides must hold the same events, no edit may cause more than one write, and
/// nothing may be duplicated (no echo, no ping-pong).
/// </summary>
public class LoopTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The protocol the connector speaks to Exchange (<see cref="EwsLoopTests"/> runs the loop over EWS).</summary>
    protected virtual ExchangeProtocol Protocol => ExchangeProtocol.Graph;

    private SyncWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await SyncWorld.StartAsync(protocol: Protocol);
        await _w.EnableAsync(_w.AliceId, SyncWorld.Alice);
    }

    public async Task DisposeAsync() => await _w.DisposeAsync();

    [Fact]
    public async Task Two_hundred_random_edits_on_both_sides_settle_equal_without_echo_or_duplicates()
    {
        var random = new Random(6);
        var alice = _w.Mailbox(SyncWorld.Alice);
        var eventsPrefix = (await _w.Crm.DescribeAsync("Events")).IdPrefix;
        var day = DateTime.SpecifyKind(DateTime.Today.AddDays(3), DateTimeKind.Unspecified);
        var edits = 0;
        // vtenext's modifiedtime has one-second resolution, so two saves of one record within a second give identical
        // notices; the person here saves as fast as they like and the intake must still lose nothing.
        long PickCrm(List<long> ids) => ids.Count > 0 ? ids[random.Next(ids.Count)] : -1;

        async Task<List<long>> LinkedCrmIdsAsync() => (await _w.ConnectorQueryAsync<long>(
            "SELECT crm_id FROM exc_links WHERE mailbox = @m AND kind = 'Event'", new { m = SyncWorld.Alice })).ToList();
        async Task<List<string>> LinkedItemIdsAsync() => (await _w.ConnectorQueryAsync<string>(
            "SELECT item_id FROM exc_links WHERE mailbox = @m AND kind = 'Event'", new { m = SyncWorld.Alice })).ToList();

        while (edits < 200)
        {
            var crmIds = await LinkedCrmIdsAsync();
            var itemIds = await LinkedItemIdsAsync();
            var n = edits++;
            var choice = random.Next(10);
            // Too few linked records to edit or delete: create instead (on either side).
            if (crmIds.Count < 3 && choice is 2 or 3 or 4 or 8) choice = 0;
            if (itemIds.Count < 3 && choice is 5 or 6 or 7 or 9) choice = 1;
            switch (choice)
            {
                case 0:
                    await _w.CrmCreateEventAsync($"CRM new {n}", day.AddHours(random.Next(8, 18)).AddDays(random.Next(0, 20)), _w.AliceId);
                    break;
                case 1:
                {
                    var start = new DateTimeOffset(day.AddDays(random.Next(0, 20)).AddHours(random.Next(8, 18)), TimeSpan.Zero);
                    await alice.CreateEventAsync(new Event { Subject = $"Exchange new {n}", Start = DateTimeTimeZone.FromUtc(start), End = DateTimeTimeZone.FromUtc(start.AddHours(1)) });
                    break;
                }
                case 2 or 3 or 4:
                {
                    var id = PickCrm(crmIds);
                    if (id < 0) { edits--; continue; }
                    try { await _w.CrmReviseAsync("Events", new ElementId(eventsPrefix, (int)id), new() { ["subject"] = $"CRM edit {n}" }); }
                    catch (VtenextException) { edits--; } // deleted from Exchange meanwhile: not an edit
                    break;
                }
                case 5 or 6 or 7:
                    try { await alice.UpdateEventAsync(itemIds[random.Next(itemIds.Count)], new Event { Location = new Location { DisplayName = $"Room {n}" } }); }
                    catch (Connector.Exchange.Graph.Http.GraphException) { edits--; } // deleted by the CRM meanwhile: not an edit
                    break;
                case 8:
                {
                    var id = PickCrm(crmIds);
                    if (id < 0) { edits--; continue; }
                    try { await _w.CrmDeleteAsync("Events", new ElementId(eventsPrefix, (int)id)); }
                    catch (VtenextException) { edits--; } // deleted from Exchange meanwhile: not an edit
                    break;
                }
                default:
                    if (!await alice.DeleteEventAsync(itemIds[random.Next(itemIds.Count)])) edits--;
                    break;
            }
            // Mostly let each edit settle a little; now and then edit on without waiting (both sides change at once).
            if (random.Next(4) > 0) await Task.Delay(random.Next(30, 200));
        }

        await Task.Delay(1500); // the last Exchange edits reach the next poll
        await _w.QuietAsync(60);

        // Both sides equal: every live CRM event of Alice's is linked to one Exchange item with the same content.
        var crm = (await _w.CrmQueryAsync<(int Id, string Subject, string Location)>("""
            SELECT a.activityid, a.subject, COALESCE(a.location, '') FROM vte_activity a JOIN vte_crmentity e ON e.crmid = a.activityid
            WHERE e.deleted = 0 AND e.smownerid = @owner AND a.activitytype <> 'Task'
            """, new { owner = _w.AliceId })).ToDictionary(r => (long)r.Id);
        var exchange = (await alice.CalendarViewDeltaAsync(DateTimeOffset.UtcNow.AddDays(-5), DateTimeOffset.UtcNow.AddDays(60), null)).Items
            .ToDictionary(e => e.Id!);
        var links = (await _w.ConnectorQueryAsync<(long CrmId, string ItemId)>(
            "SELECT crm_id, item_id FROM exc_links WHERE mailbox = @m", new { m = SyncWorld.Alice })).ToList();
        Assert.NotEmpty(crm);
        // When a side differs, the test's output tells each record's story.
        await SyncStory.WriteDifferencesAsync(_w, output, crm.ToDictionary(c => c.Key, c => (c.Value.Subject, c.Value.Location)),
            exchange.ToDictionary(e => e.Key, e => (e.Value.Subject ?? "", e.Value.Location?.DisplayName ?? "")), links);
        Assert.Equal(crm.Count, exchange.Count);
        Assert.Equal(crm.Count, links.Count);
        Assert.Equal(links.Count, links.Select(l => l.ItemId).Distinct().Count());
        foreach (var (crmId, itemId) in links)
        {
            Assert.True(crm.ContainsKey(crmId), $"link to missing CRM event {crmId}");
            Assert.True(exchange.ContainsKey(itemId), $"link to missing Exchange item {itemId}");
            Assert.Equal(crm[crmId].Subject, exchange[itemId].Subject);
            Assert.Equal(crm[crmId].Location, exchange[itemId].Location?.DisplayName ?? "");
        }

        // No echo or ping-pong: at most one write per edit (conflicting edits write once, for the winner).
        var writes = (await _w.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_sync_log WHERE action IN ('Create','Update','Delete')"))[0];
        Assert.InRange(writes, 100, edits);
        Assert.Empty(await _w.FailedJobsAsync());
    }
}
