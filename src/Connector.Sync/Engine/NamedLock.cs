using System.Security.Cryptography;
using System.Text;
using Connector.Storage.Database;
using Connector.Sync.Ports;
using Dapper;
using MySql.Data.MySqlClient;

namespace Connector.Sync.Engine;

/// <summary>
/// A MySQL named lock (GET_LOCK) held for the life of this object: one record is synced by one worker at a time, in
/// this instance or any other sharing the database. Released with its connection, so a crashed holder frees it.
/// </summary>
public sealed class NamedLock : IAsyncDisposable
{
    private readonly MySqlConnection _connection;

    private NamedLock(MySqlConnection connection) => _connection = connection;

    public static async Task<NamedLock> AcquireAsync(DbConnectionFactory db, string name, TimeSpan wait, CancellationToken ct)
    {
        var hashed = HashedName(db.DatabaseName, name);
        var connection = await db.OpenAsync(ct);
        try
        {
            var got = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT GET_LOCK(@hashed, @seconds)",
                new { hashed, seconds = (int)Math.Ceiling(wait.TotalSeconds) }, cancellationToken: ct));
            if (got != 1) throw new TransientSyncException($"'{name}' is being synced by another worker.", TimeSpan.FromSeconds(1));
            return new NamedLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The server-wide name for <paramref name="name"/> in <paramref name="database"/>: MySQL's named locks are global to
    /// the server, and connectors of other CRMs (or other test runs) sharing it have records with the same ids. Lock
    /// names are limited to 64 characters: hashed.
    /// </summary>
    public static string HashedName(string database, string name) =>
        "exc:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{database}/{name}")))[..40];

    public async ValueTask DisposeAsync()
    {
        try { await _connection.ExecuteAsync("SELECT RELEASE_ALL_LOCKS()"); }
        catch (MySqlException) { } // the connection's end releases them anyway
        await _connection.DisposeAsync();
    }
}
