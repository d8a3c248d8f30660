using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Mailboxes;
using Connector.Core.Recurrence.Materialised;
using Connector.Core.Sync;
using Connector.Sync.Ports;
using Connector.Vtenext.Mapping;
using Connector.Vtenext.Database;
using Connector.Vtenext.Recurrence;

namespace Connector.Vtenext.Sync;

/// <summary>
/// vtenext series: one Events record per occurrence sharing <c>ical_uuid</c>, numbered by <c>recurr_idx</c>, with the
/// rule in <c>vte_recurringevents</c>. Records are written through the webservice (CRM logic runs); their place in the
/// series and the rule rows, which the webservice does not write, go straight to vtenext's tables.
/// </summary>
public sealed partial class VtenextCrmGateway : ICrmSeriesGateway
{
    public Task<CrmSeries?> ReadSeriesAsync(string uid, DateOnly materialisedFrom, DateOnly materialisedUntil, CancellationToken ct) => Translate(async () =>
    {
        var tables = Tables();
        var (client, mapper) = await connect(ct);
        var records = new List<(CrmRecord Record, int Index)>();
        Owner? owner = null;
        await foreach (var r in client.QueryAllAsync($"SELECT * FROM {VtenextMapper.EventsModule} WHERE ical_uuid = '{Quote(uid)}'", ct))
        {
            var record = await ToRecordAsync(RecordKind.Event, r, mapper, ValueSource.Query, withInvitees: false, ct, owner);
            owner ??= record.Owner;
            records.Add((record, mapper.ToEvent(r, ValueSource.Query).RecurrIdx));
        }
        if (records.Count == 0) return null;
        var seriesRecords = records.Select(r => new SeriesRecord(r.Record.Key.CrmId, r.Index, (CalendarEvent)r.Record.Entity)).ToList();
        var rows = await tables.ReadRuleRowsAsync(records.Select(r => (int)r.Record.Key.CrmId).ToList(), ct);
        CalendarEvent? series;
        try { series = VtenextSeriesMapping.ToSeries(rows, seriesRecords, IanaOf(mapper.Zones.User), materialisedUntil,
            materialisedFrom: materialisedFrom); }
        catch (FormatException e) { throw new PermanentSyncException($"CRM series {uid}: {e.Message}", e); }
        return (CrmSeries?)new CrmSeries(uid, series, seriesRecords, owner!, records.Max(r => r.Record.ModifiedAt));
    });

    public async Task<CrmSeries> ApplySeriesAsync(string uid, Owner owner, CalendarEvent series, DateOnly materialisedFrom, DateOnly horizon,
        SeriesRecordPlan plan, CancellationToken ct)
    {
        var tables = Tables();
        var vtenext = VtenextSeriesMapping.FromSeries(series, horizon);
        foreach (var (crmId, occurrence) in plan.Update)
            await UpdateAsync(new CrmKey(RecordKind.Event, crmId), occurrence.Event, ct);
        foreach (var record in plan.Delete)
            await DeleteAsync(new CrmKey(RecordKind.Event, record.CrmId), ct);
        foreach (var occurrence in plan.Create)
        {
            var created = await CreateAsync(occurrence.Event, owner, uid, ct);
            await Translate(async () =>
            {
                await tables.MarkOccurrenceAsync((int)created.Key.CrmId, uid, occurrence.Index, vtenext.RecurringType, ct);
                return true;
            });
        }
        var stored = await ReadSeriesAsync(uid, materialisedFrom, horizon, ct) ?? throw new TransientSyncException($"CRM series {uid} has no records after it was written.");
        // The rule rows sit on the first record (lowest index), as vtenext's own repeat stores them.
        var ids = stored.Records.Select(r => (int)r.CrmId).ToList();
        var anchor = stored.Records.OrderBy(r => r.Index).ThenBy(r => r.CrmId).First();
        await Translate(async () =>
        {
            await tables.ReplaceRuleRowsAsync(ids, vtenext.Rows(anchor.CrmId), ct);
            return true;
        });
        return await ReadSeriesAsync(uid, materialisedFrom, horizon, ct) ?? throw new TransientSyncException($"CRM series {uid} has no records after it was written.");
    }

    private VtenextTables Tables() => tables ?? throw new PermanentSyncException(
        "Recurring series need vtenext's database (ConnectionStrings:Vtenext): the webservice does not write a record's place in its series.");
}
