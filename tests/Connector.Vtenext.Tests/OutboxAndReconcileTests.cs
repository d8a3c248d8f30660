using System.Net.Http.Json;
using Connector.Api.Features.CrmChanges;
using Connector.Simulators.Vtenext;
using Connector.Storage.CrmChanges;
using Connector.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Vtenext.Tests;

/// <summary>The bridge's outbox drain and the crmentity reconciliation, on the real connector host with a vtenext
/// database (the simulator's) next to the connector's own.</summary>
public sealed class OutboxAndReconcileTests : VtenextWithConnectorDatabase
{
    /// <summary>The connector with its background drain and reconciliation off (0) unless asked for, so a test that
    /// runs them itself is not raced by the hosted services.</summary>
    private Task<ConnectorTestHost> StartConnectorAsync(double drainSeconds = 0, double reconcileSeconds = 0) =>
        ConnectorTestHost.StartAsync(Db, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Vtenext"] = Crm.Database.ConnectionString,
            ["Connector:VtenextServerTimeZone"] = VtenextSimulatorHost.ServerZone,
            ["Connector:OutboxDrainIntervalSeconds"] = drainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Connector:CrmReconcileIntervalSeconds"] = reconcileSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    private async Task<int> OutboxAsync(string module, int crmid, string operation, string modifiedtime, int actingUser = 5)
    {
        await using var c = await Crm.OpenAsync();
        return await c.ExecuteScalarAsync<int>("""
            INSERT INTO vte_exchange_outbox (module, crmid, operation, modifiedtime, acting_user, created_at)
            VALUES (@module, @crmid, @operation, @modifiedtime, @actingUser, NOW());
            SELECT LAST_INSERT_ID();
            """, new { module, crmid, operation, modifiedtime, actingUser });
    }

    private async Task<List<StoredCrmChange>> ChangesAsync(ConnectorTestHost host) =>
        (await host.App.Services.GetRequiredService<CrmChangeStore>().ListAsync()).ToList();

    [Fact]
    public async Task Outbox_rows_are_copied_then_deleted_and_a_recopy_adds_nothing()
    {
        await using var host = await StartConnectorAsync();
        var drainer = host.App.Services.GetRequiredService<OutboxDrainer>();
        var first = await OutboxAsync("Events", 301, "save", "2026-04-01T09:00:00+02:00");
        await OutboxAsync("Contacts", 302, "delete", "2026-04-01T09:05:00+02:00");
        await OutboxAsync("Activity", 303, "save", "2026-04-01T09:06:00+02:00"); // not a webservice module: dropped, logged

        Assert.Equal(3, await drainer.DrainAsync());

        var changes = await ChangesAsync(host);
        Assert.Equal([("Events", 301, "save", "outbox", (int?)first), ("Contacts", 302, "delete", "outbox", first + 1)],
            changes.Select(c => (c.Module, c.CrmId, c.Operation, c.Source, c.OutboxId)));
        await using (var c = await Crm.OpenAsync())
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vte_exchange_outbox"));

        // A crash between the copy and the delete leaves the row to be copied again; and the hook's POST may have
        // got through after all. Neither adds a second change.
        await OutboxAsync("Events", 301, "save", "2026-04-01T09:00:00+02:00");
        await host.Client().PostAsJsonAsync("/api/v1/crm/changes",
            new { module = "Contacts", crmid = 302, operation = "delete", modifiedtime = "2026-04-01T07:05:00Z", actingUser = 5 });
        Assert.Equal(1, await drainer.DrainAsync());
        Assert.Equal(2, (await ChangesAsync(host)).Count);
    }

    [Fact]
    public async Task The_drain_service_empties_the_outbox_by_itself()
    {
        await using var host = await StartConnectorAsync(drainSeconds: 0.2);
        await OutboxAsync("Calendar", 77, "save", "2026-04-01T09:00:00Z");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await ChangesAsync(host)).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);

        Assert.Equal(("Calendar", 77, "outbox"), (await ChangesAsync(host)).Select(c => (c.Module, c.CrmId, c.Source)).Single());
        await using var c = await Crm.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vte_exchange_outbox"));
    }

    [Fact]
    public async Task The_reconcile_service_takes_a_baseline_then_finds_changes_by_itself()
    {
        var (client, _) = await Crm.ClientForNewUserAsync();
        var before = await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Before" });
        await using (var c = await Crm.OpenAsync())
            await c.ExecuteAsync("UPDATE vte_crmentity SET modifiedtime = modifiedtime - INTERVAL 1 HOUR WHERE crmid = @id", new { id = before.Id.CrmId });
        await using var host = await StartConnectorAsync(reconcileSeconds: 0.3);
        var store = host.App.Services.GetRequiredService<CrmReconcileStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await store.GetWatermarkAsync()).BaselineDone && DateTime.UtcNow < deadline) await Task.Delay(50);

        var after = await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "After" });
        while ((await ChangesAsync(host)).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);

        Assert.Equal([("Contacts", after.Id.CrmId, "save", "reconcile")],
            (await ChangesAsync(host)).Select(c => (c.Module, c.CrmId, c.Operation, c.Source)));
    }

    [Fact]
    public async Task Reconciliation_finds_what_no_notice_reported_including_raw_sql_deletes()
    {
        var (client, _) = await Crm.ClientForNewUserAsync();
        var old = await client.CreateAsync("Events", Event("Existing"));
        var archived = await client.CreateAsync("Events", Event("Long past"));
        await using (var c = await Crm.OpenAsync())
            await c.ExecuteAsync("UPDATE vte_crmentity SET modifiedtime = modifiedtime - INTERVAL 1 HOUR WHERE crmid IN @ids",
                new { ids = new[] { old.Id.CrmId, archived.Id.CrmId } });
        await using var host = await StartConnectorAsync();
        var reconciler = host.App.Services.GetRequiredService<CrmReconciler>();

        // The first pass takes a baseline: existing records are not changes.
        await reconciler.RunIncrementalAsync();
        Assert.Empty(await ChangesAsync(host));

        // Changes made with the hooks off (here: straight through the webservice, no bridge).
        var created = await client.CreateAsync("Events", Event("New meeting"));
        await client.ReviseAsync(old.Id, new Dictionary<string, object?> { ["location"] = "Moved" });
        var task = await client.CreateAsync("Calendar", new Dictionary<string, object?> { ["subject"] = "Call back", ["taskstatus"] = "Not Started", ["date_start"] = "2026-06-01" });
        var contact = await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Neri" });
        await reconciler.RunIncrementalAsync();

        var found = (await ChangesAsync(host)).Where(c => c.Source == "reconcile").ToList();
        Assert.Equal(
            new[] { ("Events", created.Id.CrmId, "save"), ("Events", old.Id.CrmId, "save"), ("Calendar", task.Id.CrmId, "save"), ("Contacts", contact.Id.CrmId, "save") }.OrderBy(x => x.Item2),
            found.Select(c => (c.Module, c.CrmId, c.Operation)).OrderBy(x => x.Item2));
        // The reported modifiedtime is vtenext's, with the server's offset.
        var stored = await ServerModifiedTimeAsync(created.Id.CrmId);
        Assert.Equal(new DateTimeOffset(stored, TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome").GetUtcOffset(stored)).UtcDateTime,
            found.Single(c => c.CrmId == created.Id.CrmId).ModifiedUtc);

        // A raw-SQL delete keeps modifiedtime. The incremental pass re-reads only the last minutes, so it sees such a
        // delete of a recently changed row but not of an old one; the full pass sees every row, and rows removed outright.
        await using (var c = await Crm.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE vte_crmentity SET deleted = 1 WHERE crmid IN @ids", new { ids = new[] { created.Id.CrmId, archived.Id.CrmId } });
            await c.ExecuteAsync("DELETE FROM vte_crmentity WHERE crmid = @id", new { id = contact.Id.CrmId });
        }
        await reconciler.RunIncrementalAsync();
        Assert.Equal([created.Id.CrmId], (await ChangesAsync(host)).Where(c => c.Operation == "delete").Select(c => c.CrmId));
        await reconciler.RunFullAsync();
        var deletes = (await ChangesAsync(host)).Where(c => c.Operation == "delete").Select(c => (c.Module, c.CrmId, c.Source)).OrderBy(x => x.CrmId);
        Assert.Equal(new[] { ("Events", created.Id.CrmId, "reconcile"), ("Events", archived.Id.CrmId, "reconcile"), ("Contacts", contact.Id.CrmId, "reconcile") }
            .OrderBy(x => x.Item2), deletes);

        // Nothing new: nothing recorded, however often it runs.
        var count = (await ChangesAsync(host)).Count;
        Assert.Equal(0, await reconciler.RunFullAsync());
        Assert.Equal(0, await reconciler.RunIncrementalAsync());
        Assert.Equal(count, (await ChangesAsync(host)).Count);
    }

    [Fact]
    public async Task A_change_the_hook_reported_is_not_reported_again_by_reconciliation()
    {
        var (client, _) = await Crm.ClientForNewUserAsync();
        await using var host = await StartConnectorAsync();
        var reconciler = host.App.Services.GetRequiredService<CrmReconciler>();
        await reconciler.RunIncrementalAsync();

        var created = await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Gialli" });
        var local = await ServerModifiedTimeAsync(created.Id.CrmId);
        var offset = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome").GetUtcOffset(local);
        await host.Client().PostAsJsonAsync("/api/v1/crm/changes", new
        {
            module = "Contacts", crmid = created.Id.CrmId, operation = "save",
            modifiedtime = new DateTimeOffset(local, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), actingUser = 5,
        });
        await reconciler.RunIncrementalAsync();

        Assert.Equal("api", (await ChangesAsync(host)).Single().Source);
    }

    [Fact]
    public async Task A_change_waiting_in_the_outbox_keeps_the_bridges_word_when_reconciliation_runs_first()
    {
        var (client, _) = await Crm.ClientForNewUserAsync();
        await using var host = await StartConnectorAsync();
        var reconciler = host.App.Services.GetRequiredService<CrmReconciler>();
        await reconciler.RunIncrementalAsync();
        var created = await client.CreateAsync("Events", Event("Deleted while the connector was down"));
        await client.DeleteAsync(created.Id);
        var local = await ServerModifiedTimeAsync(created.Id.CrmId);
        var modified = new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome").GetUtcOffset(local));
        await OutboxAsync("Events", created.Id.CrmId, "delete", modified.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), actingUser: 7);

        await reconciler.RunFullAsync();

        var delete = (await ChangesAsync(host)).Single(c => c.Operation == "delete");
        Assert.Equal(("outbox", (int?)7), (delete.Source, delete.ActingUser));
    }

    private async Task<DateTime> ServerModifiedTimeAsync(int crmId)
    {
        await using var c = await Crm.OpenAsync();
        return await c.ExecuteScalarAsync<DateTime>("SELECT modifiedtime FROM vte_crmentity WHERE crmid = @crmId", new { crmId });
    }

    private static Dictionary<string, object?> Event(string subject) => new()
    {
        ["subject"] = subject, ["activitytype"] = "Meeting", ["eventstatus"] = "Planned",
        ["date_start"] = "2026-06-01", ["time_start"] = "10:00", ["due_date"] = "2026-06-01", ["time_end"] = "11:00",
    };
}
