using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Core.Time;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Models;
using Connector.Sync.Ports;

namespace Connector.Exchange.Graph.Sync;

/// <summary>
/// Series through Graph: the master carries pattern and range; exceptions and deleted occurrences live in the
/// master's instances (an <c>exception</c> instance, or a pattern date with no instance). Writes follow
/// <see cref="SeriesChanges"/>: PATCH the master for "edit all", DELETE an instance for a deleted occurrence, PATCH an
/// instance for an exception (or to return it to the series' values).
/// </summary>
public sealed partial class GraphMailbox : IExchangeSeriesMailbox
{
    // An occurrence may be moved up to its neighbour: instances are listed this far past the last date asked for, so a
    // moved one is still seen (and not taken for deleted).
    private const int MoveSlackDays = 40;

    public Task<ExchangeSeries?> ReadSeriesAsync(string masterId, DateOnly until, CancellationToken ct) => Translate(() => ReadAsync(masterId, until, ct));

    public Task<ExchangeSeries> CreateSeriesAsync(CrmKey crm, CalendarEvent series, DateOnly until, bool sendInvitations, CancellationToken ct) =>
        Translate(async () =>
        {
            var rule = series.Recurrence ?? throw new PermanentSyncException("Only a series can be created as a series.");
            CheckMoves(series, until, null);
            var body = GraphDomainMapping.FromDomain(series with { Recurrence = null });
            body.Recurrence = GraphRecurrenceMapping.FromRule(rule);
            GraphMailboxClient.StampCrmId(body, crm.CrmId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            body.TransactionId = $"vtenext-series-{crm.CrmId}-{account.Address}";
            if (!sendInvitations) body.Attendees = null;
            var created = await client.CreateEventAsync(body, ct);
            var stored = await ReadAsync(created.Id!, until, ct) ?? throw new StaleChangeKeyException($"Series {created.Id} disappeared while it was written.");
            return await ApplyOccurrencesAsync(stored, series, until, ct);
        });

    public Task<ExchangeSeries> UpdateSeriesAsync(ExchangeKey master, CalendarEvent series, DateOnly until, bool sendInvitations, CancellationToken ct) =>
        Translate(async () =>
        {
            var rule = series.Recurrence ?? throw new PermanentSyncException("Only a series can be written as a series.");
            var current = await ReadAsync(master.ItemId, until, ct) ?? throw new StaleChangeKeyException($"Series {master.ItemId} is gone.");
            var target = Within(series, until);
            CheckMoves(target, until, (CalendarEvent)current.Master.Entity);
            if (SeriesChanges.Between((CalendarEvent)current.Master.Entity, target).MasterChanged)
            {
                var body = GraphDomainMapping.FromDomain(target with { Recurrence = null });
                body.Recurrence = GraphRecurrenceMapping.FromRule(rule);
                if (!sendInvitations) body.Attendees = null;
                await client.UpdateEventAsync(master.ItemId, body, ct);
                current = await ReadAsync(master.ItemId, until, ct) ?? throw new StaleChangeKeyException($"Series {master.ItemId} is gone.");
            }
            return await ApplyOccurrencesAsync(current, target, until, ct);
        });

    private async Task<ExchangeSeries?> ReadAsync(string masterId, DateOnly until, CancellationToken ct)
    {
        var master = await client.GetEventAsync(masterId, ct);
        if (master is null) return null;
        if (master.Recurrence is null)
            throw new PermanentSyncException($"Event {masterId} in {account.Address} is not a series master (type '{master.Type}').");
        var e = GraphDomainMapping.ToDomain(master, account.Address);
        RecurrenceRule rule;
        try { rule = GraphRecurrenceMapping.ToRule(master.Recurrence, e.Span is TimedSpan t ? t.TimeZone : GraphDomainMapping.ZoneOf(master.OriginalStartTimeZone))!; }
        catch (FormatException x) { throw new PermanentSyncException($"Series {masterId} in {account.Address}: {x.Message}", x); }

        var zone = Zones.Get(rule.TimeZone);
        var from = Zones.MidnightIn(rule.Range.StartDate.AddDays(-MoveSlackDays), zone);
        var to = Zones.MidnightIn(until.AddDays(MoveSlackDays), zone);
        var instances = (await client.ListInstancesAsync(masterId, from, to, ct))
            .Where(i => GraphRecurrenceMapping.OriginalDate(i, zone) <= until).ToList();
        var withExceptions = GraphRecurrenceMapping.WithInstances(rule, e, instances, rule.Range.StartDate, until, account.Address);
        var ids = new Dictionary<DateOnly, string>();
        foreach (var i in instances) ids[GraphRecurrenceMapping.OriginalDate(i, zone)] = i.Id!;
        var item = Item(master) with { Entity = e with { Recurrence = withExceptions }, SeriesMasterId = masterId };
        return new ExchangeSeries(item, ids);
    }

    /// <summary>Deletes, modifies and reverts occurrences until <paramref name="current"/> holds <paramref name="target"/>'s.</summary>
    private async Task<ExchangeSeries> ApplyOccurrencesAsync(ExchangeSeries current, CalendarEvent target, DateOnly until, CancellationToken ct)
    {
        var masterId = current.Master.Key.ItemId;
        var changes = SeriesChanges.Between((CalendarEvent)current.Master.Entity, Within(target, until) with
        {
            // The master was written above: only the occurrences are compared here.
            Recurrence = Within(target, until).Recurrence,
        });
        var rule = target.Recurrence!;
        var zone = Zones.Get(rule.TimeZone);
        var wrote = false;
        foreach (var date in changes.Deleted)
        {
            if (!current.OccurrenceIds.TryGetValue(date, out var id)) continue; // not an occurrence (any more): nothing to delete
            await client.DeleteEventAsync(id, ct);
            wrote = true;
        }
        var occurrences = changes.Modified.Select(m => (m.OriginalDate, Event: Occurrence(target, m.Span, m)))
            .Concat(changes.Reverted.Select(d => (OriginalDate: d, Event: Occurrence(target, RecurrenceExpander.SpanOn(d, target.Span, zone), null))));
        foreach (var (date, occurrence) in occurrences)
        {
            if (!current.OccurrenceIds.TryGetValue(date, out var id))
                throw new PermanentSyncException($"The series {masterId} in {account.Address} has no occurrence on {date:yyyy-MM-dd} to change.");
            var body = GraphDomainMapping.FromDomain(occurrence);
            body.Attendees = null; // an occurrence keeps the series' attendees
            await client.UpdateEventAsync(id, body, ct);
            wrote = true;
        }
        // Exchange cannot bring a deleted occurrence back (changes.Undeleted): the series keeps it deleted.
        return wrote ? await ReadAsync(masterId, until, ct) ?? throw new StaleChangeKeyException($"Series {masterId} disappeared while it was written.")
            : current;
    }

    /// <summary>An occurrence as its own event: the series' details, the occurrence's time, an exception's own details.</summary>
    private static CalendarEvent Occurrence(CalendarEvent series, EventSpan span, ModifiedOccurrence? m) => series with
    {
        Recurrence = null,
        Span = span,
        Subject = m?.Subject ?? series.Subject,
        Location = m?.Location ?? series.Location,
        Description = m?.Description ?? series.Description,
    };

    /// <summary>The series with only the exceptions and deleted occurrences up to <paramref name="until"/> (the rest is left alone).</summary>
    private static CalendarEvent Within(CalendarEvent series, DateOnly until)
    {
        var r = series.Recurrence!;
        return series with
        {
            Recurrence = new RecurrenceRule(r.Pattern, r.Range, r.TimeZone, r.Modified.Where(m => m.OriginalDate <= until), r.Deleted.Where(d => d <= until)),
        };
    }

    /// <summary>Exchange refuses an occurrence moved onto or past a neighbour: say so before anything is written.</summary>
    private void CheckMoves(CalendarEvent target, DateOnly until, CalendarEvent? current)
    {
        var rule = target.Recurrence!;
        var was = current?.Recurrence?.Modified.ToDictionary(m => m.OriginalDate);
        foreach (var m in rule.Modified.Where(m => m.OriginalDate <= until))
        {
            if (was is not null && was.TryGetValue(m.OriginalDate, out var old) && old.Span.ContentText == m.Span.ContentText) continue;
            var check = OccurrenceMove.Check(rule, target.Span, m.OriginalDate, m.Span);
            if (!check.Allowed) throw new PermanentSyncException($"Series '{target.Subject}' in {account.Address}: {check.Problem}");
        }
    }
}
