using Connector.Storage.Database;
using Connector.Testing;
using Dapper;

namespace Connector.Api.Tests.Storage;

public sealed class MariaDbCompatibilityTests
{
    [Fact]
    public async Task Utf8mb3_columns_and_warnings_read_correctly_and_leave_the_connection_usable()
    {
        await using var db = await TestDatabase.CreateAsync("cs");
        await using var connection = await new DbConnectionFactory(db.ConnectionString).OpenAsync();
        // vtenext's own tables are often utf8 (utf8mb3 on MariaDB 10.6+); a statement with a note triggers SHOW WARNINGS.
        await connection.ExecuteAsync("CREATE TABLE vte_sample (name VARCHAR(40)) CHARACTER SET utf8mb3");
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS vte_sample (name VARCHAR(40))");
        await connection.ExecuteAsync("INSERT INTO vte_sample VALUES ('Città di Castello')");

        Assert.Equal("Città di Castello", await connection.QuerySingleAsync<string>("SELECT name FROM vte_sample"));
        Assert.Equal("vte_sample", await connection.QuerySingleAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT 1"));
    }
}
