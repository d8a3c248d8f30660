using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using MySql.Data.MySqlClient;

namespace Connector.Storage.Database;

/// <summary>
/// MariaDB 10.6+ names its three-byte UTF-8 character set <c>utf8mb3</c> (information_schema, SHOW WARNINGS, and
/// vtenext's own <c>utf8</c> tables all use it). MySql.Data 8.0.16 — the newest MySql.Data served to us — only knows
/// the old name <c>utf8</c>, throws on such a column and leaves the connection out of step. This teaches its character
/// set map the new name (same encoding). Applied once, before the first connection.
/// </summary>
public static class MariaDbCompatibility
{
    private static int _applied;

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        var charSetMap = typeof(MySqlConnection).Assembly.GetType("MySql.Data.MySqlClient.CharSetMap")
            ?? throw new InvalidOperationException("MySql.Data's CharSetMap was not found: is MySql.Data still 8.0.16?");
        RuntimeHelpers.RunClassConstructor(charSetMap.TypeHandle);
        var mapping = (IDictionary?)charSetMap.GetField("_mapping", BindingFlags.Static | BindingFlags.NonPublic)?.GetValue(null)
            ?? throw new InvalidOperationException("MySql.Data's character set mapping was not found: is MySql.Data still 8.0.16?");
        lock (mapping)
        {
            if (!mapping.Contains("utf8mb3")) mapping["utf8mb3"] = mapping["utf8"];
        }
    }
}
