using Connector.Storage.Database;
using Connector.Storage.Migrations;
using Connector.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Api.Tests.Storage;

public sealed class MigrationTests
{
    private static MigrationRunner Runner(TestDatabase db) =>
        new(new DbConnectionFactory(db.ConnectionString), NullLogger<MigrationRunner>.Instance);

    [Fact]
    public async Task Applying_twice_applies_nothing_the_second_time()
    {
        await using var db = await TestDatabase.CreateAsync("mig");
        var first = await Runner(db).ApplyAsync();
        var second = await Runner(db).ApplyAsync();

        Assert.Equal(MigrationRunner.All.Select(m => m.Version), first);
        Assert.Empty(second);
        Assert.Equal(MigrationRunner.LatestVersion, await Runner(db).CurrentVersionAsync());
        await using var connection = await db.OpenAsync();
        var tables = (await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")).ToList();
        Assert.Contains("exc_settings", tables);
        Assert.Contains("exc_users", tables);
        Assert.All(tables, t => Assert.StartsWith("exc_", t));
    }

    [Fact]
    public async Task Runners_starting_together_apply_each_migration_once()
    {
        await using var db = await TestDatabase.CreateAsync("mig");
        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Runner(db).ApplyAsync())));

        // Exactly one runner applied everything; the others found it done.
        Assert.Single(runs, r => r.Count == MigrationRunner.All.Count);
        Assert.Equal(runs.Length - 1, runs.Count(r => r.Count == 0));
        await using var connection = await db.OpenAsync();
        var recorded = (await connection.QueryAsync<int>("SELECT version FROM exc_schema_migrations")).ToList();
        Assert.Equal(MigrationRunner.All.Select(m => m.Version), recorded.Order());
    }

    [Fact]
    public async Task Two_connector_hosts_starting_at_once_share_one_schema()
    {
        await using var db = await TestDatabase.CreateAsync("mig");
        var hosts = await Task.WhenAll(ConnectorTestHost.StartAsync(db), ConnectorTestHost.StartAsync(db));
        try
        {
            foreach (var host in hosts)
            {
                var ready = await host.Client(key: null).GetAsync("/health/ready");
                Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
            }
            await using var connection = await db.OpenAsync();
            Assert.Equal(MigrationRunner.All.Count, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM exc_schema_migrations"));
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }
}
