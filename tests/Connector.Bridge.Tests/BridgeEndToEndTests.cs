using System.Globalization;
using Connector.Storage.CrmChanges;
using Connector.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySql.Data.MySqlClient;

namespace Connector.Bridge.Tests;

/// <summary>
/// The bridge's hook (PHP, run by `php`) against the real connector (Kestrel on loopback, real MariaDB): a notice
/// reaches a running connector and is stored; with the connector stopped it lands in the vtenext outbox and is taken
/// after the restart. Nothing is lost either way.
/// </summary>
public sealed class BridgeEndToEndTests
{
    private const int Anna = 5;
    private static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    [Fact]
    public async Task HookReachesTheRunningConnector_AndWhileItIsStoppedTheOutboxKeepsTheNoticeUntilTheRestart()
    {
        await using var connectorDb = await TestDatabase.CreateAsync("bridge");
        await using var crmDb = await TestDatabase.CreateAsync("crm"); // stands for vtenext's database
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Vtenext"] = crmDb.ConnectionString,
            ["Connector:VtenextTablePrefix"] = "vte",
            ["Connector:OutboxDrainIntervalSeconds"] = "0.2",
        };

        var host = await ConnectorTestHost.StartAsync(connectorDb, settings);
        var keys = host.KeysPath;
        await WaitUntilReady(host);
        HookResult saved;
        try
        {
            saved = await PhpHook.RunAsync("save", crmDb.Name, host.BaseAddress, ConnectorTestHost.ApiKey, Anna);

            Assert.True(saved.Outbox == 0, "the notice went to the outbox: " + saved.Log);
            var change = Assert.Single(await Changes(host));
            Assert.Equal(("Events", saved.Crmid, "save", CrmChangeSource.Api, (int?)Anna),
                (change.Module, change.CrmId, change.Operation, change.Source, change.ActingUser));
            Assert.Equal(await ModifiedTime(crmDb, saved.Crmid), change.ModifiedTime);
        }
        finally
        {
            await host.DisposeAsync();
            // A stopped connector is a stopped process: nothing of it (pooled connections) survives into the restart.
            MySqlConnection.ClearAllPools();
        }

        // The connector is down: the delete still happens in vtenext, and its notice waits in the outbox.
        var deleted = await PhpHook.RunAsync("delete", crmDb.Name, host.BaseAddress, ConnectorTestHost.ApiKey, Anna, saved.Crmid);
        Assert.Equal(1, deleted.Outbox);
        var deletedAt = await ModifiedTime(crmDb, saved.Crmid);

        await using var restarted = await ConnectorTestHost.StartAsync(connectorDb, settings, keys);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<StoredCrmChange> changes;
        while (true)
        {
            changes = await Changes(restarted);
            if ((changes.Count == 2 && await OutboxCount(crmDb) == 0) || DateTime.UtcNow > deadline) break;
            await Task.Delay(100);
        }
        Assert.Equal(0, await OutboxCount(crmDb)); // only the drain deletes outbox rows
        Assert.Equal(2, changes.Count);
        var delete = changes.Single(c => c.Operation == "delete");
        Assert.Equal(("Events", saved.Crmid, deletedAt, (int?)Anna), (delete.Module, delete.CrmId, delete.ModifiedTime, delete.ActingUser));
        Assert.Equal(CrmChangeSource.Outbox, delete.Source);
    }

    [Fact]
    public async Task ANoticeTheConnectorRefusesIsKeptInTheOutboxAndTakenByTheDrain()
    {
        await using var connectorDb = await TestDatabase.CreateAsync("bridge");
        await using var crmDb = await TestDatabase.CreateAsync("crm");
        await using var host = await ConnectorTestHost.StartAsync(connectorDb, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Vtenext"] = crmDb.ConnectionString,
            ["Connector:OutboxDrainIntervalSeconds"] = "0.2",
        });
        await WaitUntilReady(host);

        // e.g. the key in vtenext's config.inc.php is out of date: the connector answers 401, vtenext's save goes on.
        var saved = await PhpHook.RunAsync("save", crmDb.Name, host.BaseAddress, "not-the-connector-key", Anna);

        Assert.True(saved.Outbox == 1, "the refused notice was not queued: " + saved.Log);
        Assert.Contains("connector answered HTTP 401", saved.Log);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (((await Changes(host)).Count == 0 || await OutboxCount(crmDb) > 0) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        var change = Assert.Single(await Changes(host));
        Assert.Equal(("Events", saved.Crmid, "save", CrmChangeSource.Outbox, await ModifiedTime(crmDb, saved.Crmid)),
            (change.Module, change.CrmId, change.Operation, change.Source, change.ModifiedTime));
        Assert.Equal(0, await OutboxCount(crmDb));
    }

    /// <summary>A running connector has its schema applied and its database connections open; the hook gives a cold one
    /// no more time than a warm one (1.5 s), so wait like an installed service would have.</summary>
    private static async Task WaitUntilReady(ConnectorTestHost host)
    {
        using var client = host.Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await client.GetAsync("/health/ready")).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the connector did not become ready");
            await Task.Delay(100);
        }
    }

    private static Task<IReadOnlyList<StoredCrmChange>> Changes(ConnectorTestHost host) =>
        host.App.Services.GetRequiredService<CrmChangeStore>().ListAsync();

    /// <summary>crmentity.modifiedtime (server-local, Europe/Rome) as ISO 8601 with the offset of that moment.</summary>
    private static async Task<string> ModifiedTime(TestDatabase crm, int crmid)
    {
        await using var c = await crm.OpenAsync();
        var local = await c.ExecuteScalarAsync<DateTime>("SELECT modifiedtime FROM vte_crmentity WHERE crmid = @crmid", new { crmid });
        return new DateTimeOffset(local, Rome.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static async Task<long> OutboxCount(TestDatabase crm)
    {
        await using var c = await crm.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM vte_exchange_outbox");
    }
}
