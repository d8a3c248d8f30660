using MySql.Data.MySqlClient;

namespace Connector.Storage.Database;

/// <summary>Opens connections to the connector's MySQL/MariaDB database (the one vtenext uses, or a private one).</summary>
public sealed class DbConnectionFactory(string connectionString)
{
    static DbConnectionFactory() => MariaDbCompatibility.Apply();

    public string ConnectionString { get; } = connectionString;

    public string DatabaseName { get; } = new MySqlConnectionStringBuilder(connectionString).Database;

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
