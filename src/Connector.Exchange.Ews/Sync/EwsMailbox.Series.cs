using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Sync.Ports;
using DomainEvent = Connector.Core.Calendar.CalendarEvent;
using ModifiedOccurrence = Connector.Core.Recurrence.ModifiedOccurrence;

namespace Connector.Exchange.Ews.Sync;

/// <summary>
/// Recurring series through EWS. A series is its master item: pattern and range in <c>Recurrence</c>, the zone in
/// <c>StartTimeZone</c>, exceptions in <c>ModifiedOccurrences</c> (their details read with one more GetItem on their
/// ids) and <c>DeletedOccurrences</c>. An occurrence is addressed as <c>OccurrenceItemId</c> (master id +
/// <c>InstanceIndex</c>: 1-based position in the pattern, deleted occurrences included, so an index never shifts);
/// EWS gives unmodified occurrences no ids of their own and SyncFolderItems reports only masters, so
/// <see cref="ExchangeSeries.OccurrenceIds"/> stays empty. Every write is checked against
/// <see cref="OccurrenceMove"/> first; Exchange's own refusal (ErrorOccurrenceCrossingBoundary) reads the same.
/// </summary>
public sealed partial class EwsMailbox : IExchangeSeriesMailbox
{
    private static readonly IReadOnlyDictionary<DateOnly, string> NoOccurrenceIds = new Dictionary<DateOnly, string>();

    public Task<ExchangeSeries?> ReadSeriesAsync(string masterId, DateOnly until, CancellationToken ct) => Translate(async () =>
        (await ReadEventsAsync([new EwsItemId(masterId)], ct)).SingleOrDefault() is { } master
            ? new ExchangeSeries(master, NoOccurrenceIds)
            : null);

    public Task<ExchangeSeries> CreateSeriesAsync(CrmKey crm, DomainEvent series, DateOnly until, bool sendInvitations, CancellationToken ct) =>
        Translate(() => Writable(series, async () =>
        {
            var rule = RuleOf(series);
            CheckMoves(series, until);
            // The stamp goes in the same CreateItem, so a create whose answer was lost is found by FindByStampAsync.
            var created = await client.CreateEventAsync(EwsSeriesMapping.FromDomain(series, Stamp(crm), writeRecurrence: true),
                sendInvitations ? SendInvitations.SendToAllAndSaveCopy : SendInvitations.SendToNone, ct: ct);
            await ApplyOccurrencesAsync(created.Id, created.ChangeKey, series,
                rule.Deleted.Where(d => d <= until).ToList(), rule.Modified.Where(m => m.OriginalDate <= until).ToList(), [], sendInvitations, ct);
            return await ReadSeriesBackAsync(created.Id, ct);
        }));

    public Task<ExchangeSeries> UpdateSeriesAsync(ExchangeKey master, DomainEvent series, DateOnly until, bool sendInvitations, CancellationToken ct) =>
        Translate(() => Writable(series, async () =>
        {
            RuleOf(series);
            CheckMoves(series, until);
            var current = await ReadSeriesBackAsync(master.ItemId, ct);
            var stored = (DomainEvent)current.Master.Entity;
            var changes = stored.Recurrence is null ? null : SeriesChanges.Between(stored, series);
            // Exchange cannot bring a deleted occurrence back: the recurrence is written again, which clears every
            // exception and deletion, and the wanted ones are applied afterwards. A new pattern, range, zone or time
            // of day means the same (Exchange drops the exceptions itself).
            var rewrite = changes is null || changes.Undeleted.Count > 0
                          || changes.Modified.Any(m => stored.Recurrence!.Deleted.Contains(m.OriginalDate))
                          || ShapeChanged(stored, series);
            var changeKey = master.ChangeKey ?? current.Master.Key.ChangeKey;
            if (rewrite || changes!.MasterChanged)
            {
                // "Edit all", guarded by the ChangeKey the engine holds, like UpdateAsync. Without a rewrite the
                // master keeps its times (a master's Start/End move the whole series).
                await client.UpdateEventAsync(new EwsItemId(master.ItemId, changeKey),
                    EwsSeriesMapping.FromDomain(rewrite ? series : series with { Span = stored.Span }, null, rewrite),
                    sendInvitations ? SendUpdates.SendToAllAndSaveCopy : SendUpdates.SendToNone, ConflictResolution.AutoResolve, ct);
                current = await ReadSeriesBackAsync(master.ItemId, ct);
                changeKey = current.Master.Key.ChangeKey;
                if (rewrite)
                {
                    // The rewrite dropped every exception, also those past the CRM's horizon, which a write leaves alone.
                    var wanted = stored.Recurrence is null ? series : KeepingBeyond(series, stored.Recurrence, until);
                    var again = SeriesChanges.Between((DomainEvent)current.Master.Entity, wanted);
                    await ApplyOccurrencesAsync(master.ItemId, changeKey, wanted, again.Deleted, again.Modified, again.Reverted, sendInvitations, ct);
                    return await ReadSeriesBackAsync(master.ItemId, ct);
                }
                changes = SeriesChanges.Between((DomainEvent)current.Master.Entity, series);
            }
            await ApplyOccurrencesAsync(master.ItemId, changeKey, series,
                changes.Deleted.Where(d => d <= until).ToList(),
                changes.Modified.Where(m => m.OriginalDate <= until).ToList(),
                changes.Reverted.Where(d => d <= until).ToList(), sendInvitations, ct);
            return await ReadSeriesBackAsync(master.ItemId, ct);
        }));

    /// <summary>
    /// A series EWS cannot hold (a relative pattern on several named days, a zone nobody knows) is refused content,
    /// reported once with the series' name instead of failing as a bug.
    /// </summary>
    private static async Task<T> Writable<T>(DomainEvent series, Func<Task<T>> write)
    {
        try { return await write(); }
        catch (ArgumentException e) { throw new PermanentSyncException($"Series \"{series.Subject}\" cannot be written to Exchange: {e.Message}", e); }
    }

    /// <summary>
    /// Deletes occurrences (one DeleteItem), then writes exceptions and reverted occurrences one UpdateItem each, each
    /// guarded by the series' latest ChangeKey (occurrences share their master's). Deletions go first: a deleted
    /// occurrence is no neighbour an exception could cross.
    /// </summary>
    private async Task ApplyOccurrencesAsync(string masterId, string? changeKey, DomainEvent series, IReadOnlyList<DateOnly> deleted,
        IReadOnlyList<ModifiedOccurrence> modified, IReadOnlyList<DateOnly> reverted, bool sendInvitations, CancellationToken ct)
    {
        var rule = RuleOf(series);
        if (deleted.Count > 0)
        {
            await client.DeleteEventsAsync(deleted.Select(d => (ItemRef)Occurrence(masterId, rule, d, null)).ToList(),
                sendInvitations ? SendCancellations.SendToAllAndSaveCopy : SendCancellations.SendToNone, ct: ct);
            changeKey = (await client.GetEventsAsync([new EwsItemId(masterId)], ct)).SingleOrDefault()?.Id?.ChangeKey
                        ?? throw new StaleChangeKeyException($"Series {masterId} disappeared while it was written.");
        }
        var pending = modified.Select(m => (m.OriginalDate, Modification: (ModifiedOccurrence?)m))
            .Concat(reverted.Select(d => (OriginalDate: d, Modification: (ModifiedOccurrence?)null)))
            .OrderBy(w => w.OriginalDate).ToList();
        // Exchange checks each move against the neighbours as they are at that moment, so a valid end state may need
        // another order (two neighbours both moving later): refused writes are tried again while others get through.
        while (pending.Count > 0)
        {
            var refused = new List<(DateOnly OriginalDate, ModifiedOccurrence? Modification)>();
            EwsException? lastRefusal = null;
            foreach (var (date, modification) in pending)
            {
                try
                {
                    var written = await client.UpdateOccurrenceAsync(Occurrence(masterId, rule, date, changeKey),
                        EwsSeriesMapping.OccurrenceFromDomain(series, date, modification),
                        sendInvitations ? SendUpdates.SendToAllAndSaveCopy : SendUpdates.SendToNone, ConflictResolution.AutoResolve, ct);
                    changeKey = written.ChangeKey;
                }
                catch (EwsException e) when (e.ResponseCode == EwsResponseCodes.ErrorOccurrenceCrossingBoundary)
                {
                    refused.Add((date, modification));
                    lastRefusal = e;
                }
            }
            if (refused.Count == pending.Count)
            {
                var (date, modification) = refused[0];
                throw new PermanentSyncException($"Exchange refused to move the occurrence of {date:yyyy-MM-dd} of \"{series.Subject}\" to "
                    + $"{modification?.Span.ToString() ?? "its place in the series"}: an occurrence cannot move onto or past the day of "
                    + "the previous or next occurrence (ErrorOccurrenceCrossingBoundary).", lastRefusal);
            }
            pending = refused;
        }
    }

    /// <summary>The occurrence on <paramref name="originalDate"/> by its 1-based position in the pattern (deleted ones counted).</summary>
    private static OccurrenceRef Occurrence(string masterId, RecurrenceRule rule, DateOnly originalDate, string? changeKey)
    {
        var index = 0;
        foreach (var date in RecurrenceExpander.PatternDates(rule))
        {
            index++;
            if (date == originalDate) return new OccurrenceRef(masterId, index, changeKey);
            if (date > originalDate) break;
        }
        throw new PermanentSyncException($"The series has no occurrence on {originalDate:yyyy-MM-dd} ({rule.Pattern}, {rule.Range}).");
    }

    /// <summary>Refuses, before anything is written, an exception Exchange would refuse: a move onto or past a neighbour.</summary>
    private static void CheckMoves(DomainEvent series, DateOnly until)
    {
        var rule = RuleOf(series);
        foreach (var m in rule.Modified.Where(m => m.OriginalDate <= until))
        {
            var check = OccurrenceMove.Check(rule, series.Span, m.OriginalDate, m.Span);
            if (!check.Allowed) throw new PermanentSyncException($"Series \"{series.Subject}\": {check.Problem}");
        }
    }

    /// <summary>
    /// The wanted series up to <paramref name="until"/>, and after it the exceptions and deletions Exchange held
    /// (where the new pattern still has that date and the move is still allowed).
    /// </summary>
    private static DomainEvent KeepingBeyond(DomainEvent wanted, RecurrenceRule held, DateOnly until)
    {
        var rule = wanted.Recurrence!;
        var beyond = held.Modified.Select(m => m.OriginalDate).Concat(held.Deleted).Where(d => d > until).ToList();
        if (beyond.Count == 0) return wanted;
        var last = beyond.Max();
        var dates = RecurrenceExpander.PatternDates(rule).TakeWhile(d => d <= last).ToHashSet();
        var deleted = rule.Deleted.Where(d => d <= until).Concat(held.Deleted.Where(d => d > until && dates.Contains(d))).ToList();
        var kept = new RecurrenceRule(rule.Pattern, rule.Range, rule.TimeZone, rule.Modified.Where(m => m.OriginalDate <= until), deleted);
        foreach (var m in held.Modified.Where(m => m.OriginalDate > until && dates.Contains(m.OriginalDate)))
            if (OccurrenceMove.Check(kept.WithModified(m), wanted.Span, m.OriginalDate, m.Span).Allowed) kept = kept.WithModified(m);
        return wanted with { Recurrence = kept };
    }

    // The pattern, range, zone or the occurrences' time of day changed: Exchange rewrites the series.
    private static bool ShapeChanged(DomainEvent stored, DomainEvent wanted)
    {
        var (a, b) = (stored.Recurrence!, wanted.Recurrence!);
        if (a.Pattern != b.Pattern || a.Range != b.Range || !SameZone(a.TimeZone, b.TimeZone)) return true;
        var zone = Core.Time.Zones.Get(b.TimeZone);
        var first = RecurrenceExpander.PatternDates(b).FirstOrDefault();
        return RecurrenceExpander.SpanOn(first, stored.Span, zone).ContentText != RecurrenceExpander.SpanOn(first, wanted.Span, zone).ContentText;
    }

    // Europe/Rome and Europe/Berlin are one Windows zone: Exchange cannot tell them apart, so no rewrite between them.
    private static bool SameZone(string a, string b) =>
        a == b || (Core.Time.Zones.IanaToWindows(a) is { } wa && string.Equals(wa, Core.Time.Zones.IanaToWindows(b), StringComparison.OrdinalIgnoreCase));

    private static RecurrenceRule RuleOf(DomainEvent series) =>
        series.Recurrence ?? throw new PermanentSyncException($"\"{series.Subject}\" is not a recurring series.");

    private async Task<ExchangeSeries> ReadSeriesBackAsync(string masterId, CancellationToken ct) =>
        (await ReadEventsAsync([new EwsItemId(masterId)], ct)).SingleOrDefault() is { } master
            ? new ExchangeSeries(master, NoOccurrenceIds)
            : throw new StaleChangeKeyException($"Series {masterId} disappeared while it was written.");

    /// <summary>
    /// Reads calendar items. A master comes with its rule (exceptions' details read in one more GetItem for all the
    /// masters of the batch); an occurrence or exception with its master's id (one GetItem of RecurringMasterItemIds).
    /// </summary>
    private async Task<IReadOnlyList<ExchangeItem>> ReadEventsAsync(IReadOnlyList<ItemRef> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var events = (await client.GetEventsAsync(ids, ct)).OfType<CalendarEvent>().ToList();

        var exceptionIds = events.Where(IsMaster).SelectMany(e => e.ModifiedOccurrences).Select(o => o.Id.Id).Distinct().ToList();
        var exceptions = new Dictionary<string, CalendarEvent>();
        if (exceptionIds.Count > 0)
        {
            var read = await client.GetEventsAsync(exceptionIds.Select(id => (ItemRef)new EwsItemId(id)).ToList(), ct);
            foreach (var (id, e) in exceptionIds.Zip(read)) if (e is not null) exceptions[id] = e;
        }

        var occurrenceIds = events.Where(e => e.CalendarItemType is "Occurrence" or "Exception").Select(e => e.Id!.Id).Distinct().ToList();
        var masterOf = new Dictionary<string, string>();
        if (occurrenceIds.Count > 0)
        {
            var read = await client.GetEventsAsync(occurrenceIds.Select(id => (ItemRef)new RecurringMasterRef(id)).ToList(), ct);
            foreach (var (id, m) in occurrenceIds.Zip(read)) if (m?.Id is not null) masterOf[id] = m.Id.Id;
        }

        return events.Select(e => IsMaster(e)
            ? MasterItem(e, exceptions)
            : new ExchangeItem(new ExchangeKey(e.Id!.Id, e.Id.ChangeKey, e.Uid), EwsDomainMapping.ToDomain(e, account.Address), StampOf(e.CrmId), null,
                e.IsOrganizer ?? true, masterOf.GetValueOrDefault(e.Id.Id))).ToList();
    }

    /// <summary>A series master as the engine's item: its rule and the <paramref name="exceptions"/> read for it.</summary>
    private ExchangeItem MasterItem(CalendarEvent master, IReadOnlyDictionary<string, CalendarEvent> exceptions)
    {
        DomainEvent entity;
        try { entity = EwsSeriesMapping.ToDomain(master, exceptions, account.Address); }
        catch (FormatException x) { throw new PermanentSyncException($"Series \"{master.Subject}\" ({master.Id!.Id}): {x.Message}", x); }
        return new ExchangeItem(new ExchangeKey(master.Id!.Id, master.Id.ChangeKey, master.Uid), entity, StampOf(master.CrmId), null,
            master.IsOrganizer ?? true, master.Id.Id);
    }

    private static bool IsMaster(CalendarEvent e) => e.CalendarItemType == "RecurringMaster" && e.RecurrenceXml is not null;
}
