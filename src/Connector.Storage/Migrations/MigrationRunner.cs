using System.Reflection;
using Connector.Storage.Database;
using Dapper;
using Microsoft.Extensions.Logging;
using MySql.Data.MySqlClient;

namespace Connector.Storage.Migrations;

/// <summary>
/// Applies the embedded <c>NNNN_name.sql</c> scripts in order. A MySQL named lock scoped to the database makes
/// instances that start together take turns, and the applied-versions table makes a second run a no-op.
/// </summary>
public sealed class MigrationRunner(DbConnectionFactory db, ILogger<MigrationRunner> logger)
{
    private const int LockWaitSeconds = 120;

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    public static int LatestVersion => All[^1].Version;

    /// <summary>Applies what is missing and returns the versions this call applied.</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var lockName = $"exc_migrations:{db.DatabaseName}";
        var acquired = await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT GET_LOCK(@lockName, @wait)", new { lockName, wait = LockWaitSeconds }, cancellationToken: cancellationToken));
        if (acquired != 1)
            throw new TimeoutException($"Another connector instance held the migration lock on '{db.DatabaseName}' for over {LockWaitSeconds} s.");
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS exc_schema_migrations (
                  version INT NOT NULL PRIMARY KEY,
                  name VARCHAR(200) NOT NULL,
                  applied_at DATETIME(6) NOT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
                """, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<int>(
                new CommandDefinition("SELECT version FROM exc_schema_migrations", cancellationToken: cancellationToken))).ToHashSet();
            var done = new List<int>();
            foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
            {
                logger.LogInformation("Applying migration {Version} {Name}", migration.Version, migration.Name);
                // MySQL DDL commits implicitly, so a script is applied statement by statement and then recorded.
                foreach (var statement in migration.Statements)
                    await connection.ExecuteAsync(new CommandDefinition(statement, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO exc_schema_migrations (version, name, applied_at) VALUES (@Version, @Name, UTC_TIMESTAMP(6))",
                    migration, cancellationToken: cancellationToken));
                done.Add(migration.Version);
            }
            return done;
        }
        finally
        {
            // DO, not SELECT: MariaDB describes RELEASE_LOCK's column with charset 0, which MySql.Data 8.0.16 cannot map.
            await connection.ExecuteAsync("DO RELEASE_LOCK(@lockName)", new { lockName });
        }
    }

    /// <summary>The highest applied version, or null when the database has never been migrated.</summary>
    public async Task<int?> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'exc_schema_migrations'",
            cancellationToken: cancellationToken));
        if (exists == 0) return null;
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(version) FROM exc_schema_migrations", cancellationToken: cancellationToken));
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            // Resource names look like Connector.Storage.Migrations._0001_foundation.sql
            var file = resource.Split('.')[^2].TrimStart('_');
            var separator = file.IndexOf('_');
            var version = int.Parse(file[..separator]);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(version, file[(separator + 1)..], reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        if (migrations.Select(m => m.Version).Distinct().Count() != migrations.Count)
            throw new InvalidOperationException("Two migrations share a version number.");
        return migrations;
    }
}

public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>
    /// The script's statements: separated by a ';' at the end of a line, comment lines dropped. One statement per
    /// command, because MySql.Data 8.0.16 loses track of MariaDB's multi-statement results.
    /// </summary>
    public IEnumerable<string> Statements =>
        string.Join('\n', Sql.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .Split(";\n")
            .Select(s => s.Trim().TrimEnd(';').Trim())
            .Where(s => s.Length > 0);
}
