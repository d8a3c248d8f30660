using System.Diagnostics;
using Dapper;

namespace Connector.Bench;

/// <summary>
/// Where a change's latency goes, from the connector's own timestamps: the notice stored (<c>exc_crm_changes</c>), its
/// job queued / claimed / done (<c>exc_jobs</c>), the write on the other side (<c>exc_sync_log</c>) and the link
/// (<c>exc_links</c>). Each stage is a difference of two timestamps per change; p50 / p99 over the changes.
/// </summary>
public static class LatencyBreakdown
{
    public sealed record Stage(string Direction, string Name, double P50, double P99, int Count);

    public static async Task<List<Stage>> MeasureAsync(Stack stack, IReadOnlyDictionary<string, DateTime> fromExchange, IReadOnlyDictionary<long, DateTime> fromCrm)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        var stages = new List<Stage>();

        // vtenext -> Exchange: notice -> stored -> job claimed -> Exchange written -> link stored.
        var crm = new Dictionary<string, List<double>>();
        foreach (var row in await c.QueryAsync<(long CrmId, DateTime Received, DateTime Queued, DateTime? Claimed, DateTime? Written, DateTime? Linked)>("""
            SELECT ch.crmid, MIN(ch.received_at), MIN(j.created_at), MIN(j.claimed_at), MIN(l.at), MIN(k.synced_at)
            FROM exc_crm_changes ch
            JOIN exc_jobs j ON j.kind = 'crm.change' AND j.ordering_key = CONCAT('crm:', ch.crmid)
            LEFT JOIN exc_sync_log l ON l.crm_id = ch.crmid AND l.action = 'Create' AND l.side = 'Exchange'
            LEFT JOIN exc_links k ON k.kind = 'Event' AND k.crm_id = ch.crmid
            GROUP BY ch.crmid
            """))
        {
            if (!fromCrm.TryGetValue(row.CrmId, out var sent)) continue;
            Add(crm, "1 notice sent → stored (intake)", row.Received, sent);
            Add(crm, "2 stored → job claimed (queue wait)", row.Claimed, row.Queued);
            Add(crm, "3 claimed → Exchange written (sync)", row.Written, row.Claimed);
            Add(crm, "4 written → link stored", row.Linked, row.Written);
        }
        stages.AddRange(crm.OrderBy(kv => kv.Key).Select(kv => Summarise("vtenext → Exchange", kv.Key, kv.Value)));

        // Exchange -> vtenext: created -> item job queued by the feed (signal + feed job + delta read) -> claimed -> vtenext written -> link.
        var exchange = new Dictionary<string, List<double>>();
        foreach (var row in await c.QueryAsync<(string ItemId, DateTime Queued, DateTime? Claimed, DateTime? Written, DateTime? Linked)>("""
            SELECT JSON_UNQUOTE(JSON_EXTRACT(j.payload, '$.itemId')) AS item, MIN(j.created_at), MIN(j.claimed_at), MIN(l.at), MIN(k.synced_at)
            FROM exc_jobs j
            LEFT JOIN exc_links k ON k.item_id = JSON_UNQUOTE(JSON_EXTRACT(j.payload, '$.itemId')) AND k.mailbox = JSON_UNQUOTE(JSON_EXTRACT(j.payload, '$.mailbox'))
            LEFT JOIN exc_sync_log l ON l.crm_id = k.crm_id AND l.action = 'Create' AND l.side = 'Crm'
            WHERE j.kind = 'item.sync'
            GROUP BY item
            """))
        {
            if (!fromExchange.TryGetValue(row.ItemId, out var created)) continue;
            Add(exchange, "1 created → item job queued (signal, feed job, delta read)", row.Queued, created);
            Add(exchange, "2 queued → job claimed (queue wait)", row.Claimed, row.Queued);
            Add(exchange, "3 claimed → vtenext written (sync)", row.Written, row.Claimed);
            Add(exchange, "4 written → link stored", row.Linked, row.Written);
        }
        stages.AddRange(exchange.OrderBy(kv => kv.Key).Select(kv => Summarise("Exchange → vtenext", kv.Key, kv.Value)));
        return stages;
    }

    private static void Add(Dictionary<string, List<double>> into, string stage, DateTime? to, DateTime? from)
    {
        if (to is null || from is null) return;
        var ms = (DateTime.SpecifyKind(to.Value, DateTimeKind.Utc) - DateTime.SpecifyKind(from.Value, DateTimeKind.Utc)).TotalMilliseconds;
        (into.TryGetValue(stage, out var list) ? list : into[stage] = []).Add(ms);
    }

    private static Stage Summarise(string direction, string name, List<double> values)
    {
        values.Sort();
        return new Stage(direction, name[2..], LatencyPhase.Percentile(values, 0.5), LatencyPhase.Percentile(values, 0.99), values.Count);
    }

    /// <summary>CPU seconds (user + system) a process has used so far, from /proc (Linux).</summary>
    public static double CpuSeconds(int pid)
    {
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path)) return double.NaN;
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[11] = utime, fields[12] = stime (fields 14 and 15 of stat(5), counted from the state field), in clock ticks.
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    public static int? MariaDbPid(string root)
    {
        var file = Path.Combine(root, ".data", "mariadb", "mysqld.pid");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : null;
    }

    public static Dictionary<string, int> Processes(Stack stack, string root)
    {
        var all = new Dictionary<string, int> { ["connector"] = stack.Connector.Id, ["simulators"] = stack.Simulators.Id, ["bench"] = Environment.ProcessId };
        if (MariaDbPid(root) is { } db) all["mariadb"] = db;
        return all;
    }

    public static Dictionary<string, double> Cpu(Dictionary<string, int> processes) =>
        processes.ToDictionary(p => p.Key, p => CpuSeconds(p.Value));

    public static double TotalMachineCpuSeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(3).Sum(long.Parse);
        return cpu / 100.0;
    }

    /// <summary>Statements the private MariaDB has run so far (its <c>Questions</c> counter: every client, the benchmark's watcher included).</summary>
    public static async Task<long> StatementsAsync(Stack stack)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return (await c.QueryAsync<(string, string)>("SHOW GLOBAL STATUS LIKE 'Questions'")).Select(r => long.Parse(r.Item2)).Single();
    }

    /// <summary>Jobs the connector ran during the run, by kind.</summary>
    public static async Task<Dictionary<string, long>> JobsByKindAsync(Stack stack, DateTime since)
    {
        await using var c = await stack.ConnectorDb.OpenAsync();
        return (await c.QueryAsync<(string Kind, long Count)>("SELECT kind, COUNT(*) FROM exc_jobs WHERE created_at >= @since GROUP BY kind", new { since }))
            .ToDictionary(r => r.Kind, r => r.Count);
    }
}
