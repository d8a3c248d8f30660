using Dapper;
using MySql.Data.MySqlClient;

namespace Connector.Testing;

/// <summary>
/// A fresh, uniquely named database on the real MariaDB server that the test command starts
/// (<c>scripts/mariadb.sh start</c>), dropped again on dispose. Override the server with the environment variable
/// <c>CONNECTOR_TEST_DB</c> (a connection string without a database).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Server=127.0.0.1;Port=3407;Uid=connector;Pwd=connector-local;SslMode=None;AllowPublicKeyRetrieval=true;CharSet=utf8mb4";

    public string Name { get; }
    public string ConnectionString { get; }

    static TestDatabase() => Connector.Storage.Database.MariaDbCompatibility.Apply();

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("CONNECTOR_TEST_DB") is { Length: > 0 } s ? s : DefaultServer;

    public static async Task<TestDatabase> CreateAsync(string prefix = "t")
    {
        var name = $"exc_{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, 13 + prefix.Length + 20)];
        await using (var server = new MySqlConnection(ServerConnectionString))
        {
            try
            {
                await server.OpenAsync();
            }
            catch (MySqlException e)
            {
                throw new InvalidOperationException(
                    $"No MariaDB at '{new MySqlConnectionStringBuilder(ServerConnectionString).Server}:" +
                    $"{new MySqlConnectionStringBuilder(ServerConnectionString).Port}'. Start it with scripts/mariadb.sh start " +
                    "(the README's test command does), or point CONNECTOR_TEST_DB at one.", e);
            }
            await server.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        var builder = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return new TestDatabase(name, builder.ConnectionString);
    }

    /// <summary>A fresh database with the connector's schema (every migration applied) and a connection factory for it.</summary>
    public static async Task<(TestDatabase Database, Connector.Storage.Database.DbConnectionFactory Db)> CreateWithSchemaAsync(string prefix)
    {
        var database = await CreateAsync(prefix);
        var db = new Connector.Storage.Database.DbConnectionFactory(database.ConnectionString);
        await new Connector.Storage.Migrations.MigrationRunner(db,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Connector.Storage.Migrations.MigrationRunner>.Instance).ApplyAsync();
        return (database, db);
    }

    public async Task<MySqlConnection> OpenAsync()
    {
        var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        MySqlConnection.ClearPool(new MySqlConnection(ConnectionString));
        await using var server = new MySqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await server.ExecuteAsync($"DROP DATABASE IF EXISTS `{Name}`");
    }
}
