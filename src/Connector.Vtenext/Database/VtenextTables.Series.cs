using Connector.Vtenext.Recurrence;
using Dapper;

namespace Connector.Vtenext.Database;

/// <summary>
/// The parts of a vtenext series the webservice does not write (vtenext's repeat runs only from its own edit form):
/// an occurrence record's place in its series (<c>ical_uuid</c>, <c>recurr_idx</c>, <c>recurringtype</c>) and the
/// series' rule rows (<c>vte_recurringevents</c>, one per pattern date, on the series' first record).
/// </summary>
public sealed partial class VtenextTables
{
    /// <summary>Marks a record (created through the webservice, so CRM logic ran) as occurrence <paramref name="index"/> of series <paramref name="uid"/>.</summary>
    public async Task MarkOccurrenceAsync(int activityId, string uid, int index, string recurringType, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE {_p}_activity SET ical_uuid = @uid, recurr_idx = @index, recurringtype = @recurringType WHERE activityid = @activityId",
            new { activityId, uid, index, recurringType }, cancellationToken: ct));
    }

    /// <summary>The rule rows stored on any of these records.</summary>
    public async Task<IReadOnlyList<RecurringEventRow>> ReadRuleRowsAsync(IReadOnlyCollection<int> activityIds, CancellationToken ct)
    {
        if (activityIds.Count == 0) return [];
        await using var c = await OpenAsync(ct);
        var rows = await c.QueryAsync<(int ActivityId, DateTime Date, string? Type, int? Freq, string? Info)>(new CommandDefinition(
            $"SELECT activityid, recurringdate, recurringtype, recurringfreq, recurringinfo FROM {_p}_recurringevents WHERE activityid IN @activityIds AND recurringdate IS NOT NULL ORDER BY recurringdate",
            new { activityIds }, cancellationToken: ct));
        return rows.Select(r => new RecurringEventRow(r.ActivityId, DateOnly.FromDateTime(r.Date), r.Type ?? "", r.Freq ?? 1, r.Info ?? "")).ToList();
    }

    /// <summary>Replaces the series' rule rows (on any of <paramref name="activityIds"/>) with <paramref name="rows"/>, in one transaction.</summary>
    public async Task ReplaceRuleRowsAsync(IReadOnlyCollection<int> activityIds, IReadOnlyList<RecurringEventRow> rows, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (activityIds.Count > 0)
            await c.ExecuteAsync(new CommandDefinition($"DELETE FROM {_p}_recurringevents WHERE activityid IN @activityIds",
                new { activityIds }, tx, cancellationToken: ct));
        foreach (var r in rows)
            await c.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {_p}_recurringevents (activityid, recurringdate, recurringtype, recurringfreq, recurringinfo) VALUES (@ActivityId, @Date, @RecurringType, @RecurringFreq, @RecurringInfo)",
                new { ActivityId = (int)r.ActivityId, Date = r.RecurringDate.ToDateTime(TimeOnly.MinValue), r.RecurringType, r.RecurringFreq, r.RecurringInfo },
                tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
