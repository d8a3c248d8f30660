using Dapper;
using MySql.Data.MySqlClient;

namespace Connector.Simulators.Vtenext;

/// <summary>The simulated vtenext's MariaDB database; its tables come from <c>schema.sql</c> on first use.</summary>
public sealed class VtenextDatabase(VtenextSimulatorOptions options)
{
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaApplied;

    public TimeZoneInfo ServerZone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.ServerTimeZone);

    public VtenextSimulatorOptions Options => options;

    public static string SchemaSql()
    {
        using var stream = typeof(VtenextDatabase).Assembly.GetManifestResourceStream("Connector.Simulators.Vtenext.schema.sql")!;
        return new StreamReader(stream).ReadToEnd();
    }

    public async Task<MySqlConnection> OpenAsync()
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new WebserviceException("INTERNAL_SERVER_ERROR", "The vtenext simulator has no database (Vtenext:ConnectionString).");
        var connection = new MySqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        if (!_schemaApplied)
        {
            await _schemaLock.WaitAsync();
            try
            {
                // Only on a database without the tables: re-running CREATE TABLE IF NOT EXISTS raises notes.
                if (!_schemaApplied && await connection.ExecuteScalarAsync<long>(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'vte_crmentity'") == 0)
                    await connection.ExecuteAsync(SchemaSql());
                _schemaApplied = true;
            }
            finally
            {
                _schemaLock.Release();
            }
        }
        return connection;
    }

    /// <summary>Wall-clock time as vtenext stores it: server-local, whole seconds.</summary>
    public DateTime ServerNow()
    {
        var now = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, ServerZone);
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond);
    }

    public static async Task<int> NextIdAsync(MySqlConnection connection, MySqlTransaction tx, string sequenceTable)
    {
        await connection.ExecuteAsync($"UPDATE {sequenceTable} SET id = LAST_INSERT_ID(id + 1)", transaction: tx);
        return await connection.ExecuteScalarAsync<int>("SELECT LAST_INSERT_ID()", transaction: tx);
    }
}
