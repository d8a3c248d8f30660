using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Links;
using Connector.Core.Mailboxes;
using Connector.Core.Recurrence;
using Connector.Core.Recurrence.Materialised;
using Connector.Core.Sync;
using Connector.Storage.Database;
using Connector.Storage.Jobs;
using Connector.Storage.Settings;
using Connector.Storage.Users;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Engine.Series;

/// <summary>
/// Syncs a recurring series as one thing: the Exchange series (master, exceptions, deleted occurrences) of one mailbox
/// ⇄ the CRM's occurrence records sharing a uid (vtenext <c>ical_uuid</c>, <c>recurr_idx</c>). Keyed by (mailbox, CRM
/// uid) in <c>exc_series_links</c>, which stores each side's fingerprint and the date the records reach; every
/// occurrence record also keeps its own link (uid, index, original date, occurrence id), so a change notice for any
/// record, or a feed naming any occurrence, finds its series. Runs under a per-series named lock.
/// Exchange changed: the records are reconciled by index up to the horizon (an exception updates its record, a deleted
/// occurrence deletes it, "edit all" updates records in place: CRM ids kept, nothing created twice).
/// CRM changed: the CRM's series model is written to Exchange (create, or update master / occurrences).
/// Both changed: the conflict policy decides (default: the side changed last) and the conflict is logged.
/// </summary>
public sealed class SeriesSynchronizer(
    ICrmGateway crm,
    IExchangeGateway exchange,
    LinkStore links,
    SeriesLinkStore seriesLinks,
    SyncLog log,
    UserStore users,
    SettingsStore settings,
    DbConnectionFactory db,
    TimeProvider clock,
    JobQueue queue,
    IOptions<SyncOptions> options,
    ILogger<SeriesSynchronizer> logger)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);

    private ICrmSeriesGateway CrmSeries => crm as ICrmSeriesGateway
        ?? throw new PermanentSyncException("The CRM adapter cannot sync recurring series.");

    /// <summary>The date occurrences are materialised up to: <c>recurrenceHorizonMonths</c> after today (connector clock).</summary>
    public async Task<DateOnly> HorizonAsync(CancellationToken ct)
    {
        var months = (await settings.GetAsync(ct)).Settings.RecurrenceHorizonMonths;
        return RecurrenceExpander.Horizon(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), months);
    }

    // ---- entry points: each queues a series.sync job (one waiting per series folds a burst of notices) ----

    /// <summary>An item of an Exchange series changed (its master, an occurrence or an exception).</summary>
    public async Task<SyncOutcome> SyncExchangeSeriesAsync(MailboxAccount account, string masterId, SyncTrigger trigger, CancellationToken ct)
    {
        if (await seriesLinks.ForMasterAsync(account.Address, masterId, ct) is { } known)
            return await QueueAsync(account, known.CrmUid, null, trigger, ct);
        // New to us: the master's iCalUId becomes the CRM uid (the same meeting in other mailboxes shares it; Graph gives
        // each occurrence an iCalUId of its own, so the master is read).
        var master = await (await exchange.OpenAsync(account, ct)).ReadAsync(RecordKind.Event, masterId, ct);
        if (master is null) return SyncOutcome.Nothing;
        // Stamped: a CRM series we pushed, seen by the feed before the push stored its link (or after a crash lost it).
        // Synced under the CRM series' uid (and lock), it is found by its stamp, never copied back into the CRM.
        if (master.StampedCrmId is { } stamped && await SeriesUidOfAsync(new CrmKey(RecordKind.Event, stamped), ct) is { } pushedUid)
            return await QueueAsync(account, pushedUid, null, trigger, ct);
        var uid = master.Key.ICalUId is { Length: > 0 and <= 255 } u ? u : "exchange-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(masterId)));
        return await QueueAsync(account, uid, masterId, trigger, ct);
    }

    /// <summary>A linked occurrence record's Exchange item changed or was removed (an occurrence id from a feed).</summary>
    public Task<SyncOutcome> SyncLinkedAsync(MailboxAccount account, SyncLink link, SyncTrigger trigger, CancellationToken ct) =>
        QueueAsync(account, link.Series!.SeriesUid, null, trigger, ct);

    /// <summary>A feed says <paramref name="itemId"/> was deleted: if it is a series master we know, sync that series.</summary>
    public async Task<bool> SyncDeletedMasterAsync(MailboxAccount account, string itemId, SyncTrigger trigger, CancellationToken ct)
    {
        if (await seriesLinks.ForMasterAsync(account.Address, itemId, ct) is not { } known) return false;
        await QueueAsync(account, known.CrmUid, null, trigger, ct);
        return true;
    }

    /// <summary>
    /// A CRM record changed: if it is an occurrence of a series (linked as one, or carrying the CRM's repeat info), its
    /// series is queued in every mailbox it lives in (or, new, its owner's); null for a single event.
    /// </summary>
    public async Task<SyncOutcome?> TrySyncCrmRecordAsync(CrmKey key, SyncTrigger trigger, CancellationToken ct)
    {
        if (key.Kind != RecordKind.Event || crm is not ICrmSeriesGateway) return null;
        if (await SeriesUidOfAsync(key, ct) is not { } uid) return null;
        var directory = await MailboxDirectory.LoadAsync(users, ct);
        var linked = await seriesLinks.ForUidAsync(uid, ct);
        List<MailboxAccount> mailboxes;
        if (linked.Count > 0)
            mailboxes = linked.Select(l => directory.OfAddress(l.Mailbox)).OfType<MailboxAccount>().ToList();
        else
        {
            var series = await CrmSeries.ReadSeriesAsync(uid, WindowStart(), await HorizonAsync(ct), ct);
            mailboxes = series is null ? [] : series.Owner.Mailboxes(directory.MailboxOf)
                .Select(m => directory.OfAddress(m.Address)).OfType<MailboxAccount>().ToList();
        }
        foreach (var account in mailboxes) await QueueAsync(account, uid, null, trigger, ct);
        return SyncOutcome.Nothing;
    }

    /// <summary>The uid of the CRM series a record is an occurrence of (linked as one, or carrying the CRM's repeat info).</summary>
    private async Task<string?> SeriesUidOfAsync(CrmKey key, CancellationToken ct)
    {
        var recordLinks = await links.ForRecordAsync(key, ct);
        if (recordLinks.FirstOrDefault(l => l.Series is not null)?.Series!.SeriesUid is { } linked) return linked;
        if (recordLinks.Count > 0) return null; // a linked single event
        return (await crm.ReadAsync(key, ct)).Record?.Series?.SeriesUid;
    }

    private async Task<SyncOutcome> QueueAsync(MailboxAccount account, string uid, string? masterId, SyncTrigger trigger, CancellationToken ct)
    {
        await queue.EnqueueAsync(SeriesJobs.Sync(new(account.CrmUserId, account.Address, uid, masterId, trigger.Initial)), ct);
        return SyncOutcome.Nothing;
    }

    /// <summary>Series whose records end before today's horizon, to be extended (the <c>series.extend</c> schedule).</summary>
    public async Task<IReadOnlyList<SeriesLink>> DueForExtensionAsync(CancellationToken ct) =>
        await seriesLinks.MaterialisedBeforeAsync(await HorizonAsync(ct), ct);

    /// <summary>One series in one mailbox (the <c>series.sync</c> job); <paramref name="masterId"/> names a series new from Exchange.</summary>
    public async Task<SyncOutcome> SyncSeriesAsync(string uid, MailboxAccount account, string? masterId, SyncTrigger trigger, CancellationToken ct) =>
        await SyncAsync(uid, account, masterId, trigger, ct);

    /// <summary>The first day of the sync window: a series first synced keeps its occurrences in step from here on.</summary>
    private DateOnly WindowStart() => DateOnly.FromDateTime(options.Value.Window(clock.GetUtcNow()).From.UtcDateTime);

    // ---- the sync ----

    private async Task<SyncOutcome> SyncAsync(string uid, MailboxAccount account, string? masterId, SyncTrigger trigger, CancellationToken ct)
    {
        await using var _ = await NamedLock.AcquireAsync(db, $"series:{uid}", LockWait, ct);
        var link = await seriesLinks.ForUidAsync(account.Address, uid, ct);
        var run = new Run(this, account, uid, link?.MaterialisedFrom ?? WindowStart(), await HorizonAsync(ct), trigger,
            await MailboxDirectory.LoadAsync(users, ct));
        var mailbox = SeriesMailbox(await exchange.OpenAsync(account, ct));
        masterId = link?.MasterId ?? masterId;
        var ex = masterId is null ? null : await mailbox.ReadSeriesAsync(masterId, run.Horizon, ct);
        var crmSeries = await CrmSeries.ReadSeriesAsync(uid, run.From, link?.MaterialisedUntil ?? run.Horizon, ct);

        // An attendee's copy of a meeting whose organiser's mailbox is synced: that mailbox brings the series and its
        // changes; the copy is not synced (nor written) on its own.
        if (ex is not null && !ex.Master.IsOrganizer && run.OrganizerSynced(ex.Master))
        {
            if (link is not null) await run.ForgetAsync(ct);
            return SyncOutcome.Nothing;
        }

        if (link is null)
        {
            if (ex is not null) return await run.MaterialiseAsync(mailbox, ex, crmSeries, SyncReason.NewInExchange, ct);
            if (crmSeries?.Series is null) return SyncOutcome.Nothing;
            // Our create whose link was lost in a crash carries the first record's stamp: found, not created twice.
            var stamped = (await ((IExchangeMailbox)mailbox).FindByStampAsync(Anchor(crmSeries), ct)).FirstOrDefault(i => i.SeriesMasterId is not null);
            if (stamped is not null && await mailbox.ReadSeriesAsync(stamped.SeriesMasterId!, run.Horizon, ct) is { } found)
                return await run.PushAsync(mailbox, crmSeries, found, run.Horizon, SyncReason.ChangedInCrm, ct);
            return await run.PushAsync(mailbox, crmSeries, null, run.Horizon, SyncReason.NewInCrm, ct);
        }

        if (ex is null && crmSeries is null)
        {
            await run.ForgetAsync(ct);
            return SyncOutcome.Nothing;
        }
        if (ex is null) return await run.DeleteCrmAsync(crmSeries!, ct);
        if (crmSeries is null) return await run.DeleteExchangeAsync(mailbox, ex, ct);

        var exchangeChanged = SeriesContent.OfExchange(ex) != link.ExchangeFingerprint || link.MaterialisedUntil < run.Horizon;
        var crmChanged = SeriesContent.OfCrm(crmSeries) != link.CrmFingerprint;
        // The CRM never changes an attendee's copy: the organiser's changes flow in, the CRM's are overwritten.
        if (crmChanged && !ex.Master.IsOrganizer) return await run.MaterialiseAsync(mailbox, ex, crmSeries, SyncReason.ChangedInExchange, ct);
        if (exchangeChanged && crmChanged)
        {
            var policy = (await settings.GetAsync(ct)).Settings.ConflictPolicy;
            var exchangeNewer = policy switch
            {
                Core.Settings.ConflictPolicy.ExchangeWins => true,
                Core.Settings.ConflictPolicy.CrmWins => false,
                _ => (ex.Master.ModifiedAt ?? DateTimeOffset.MinValue) >= crmSeries.ModifiedAt,
            };
            var reason = $"Series {uid} changed on both sides; {(exchangeNewer ? "Exchange" : "the CRM")} wins ({policy}).";
            logger.LogInformation("Conflict on series {Uid} in {Mailbox}: {Reason}", uid, account.Address, reason);
            await log.AddAsync(new SyncAction(ActionKind.Conflict, exchangeNewer ? Side.Crm : Side.Exchange, account.Address, Anchor(crmSeries),
                ex.Master.Key, ConflictReasons.Of(policy), Detail: reason), ct: ct);
            return exchangeNewer
                ? await run.MaterialiseAsync(mailbox, ex, crmSeries, SyncReason.ChangedInExchange, ct)
                : await run.PushAsync(mailbox, crmSeries, ex, link.MaterialisedUntil, SyncReason.ChangedInCrm, ct);
        }
        if (exchangeChanged) return await run.MaterialiseAsync(mailbox, ex, crmSeries, SyncReason.ChangedInExchange, ct);
        if (crmChanged) return await run.PushAsync(mailbox, crmSeries, ex, link.MaterialisedUntil, SyncReason.ChangedInCrm, ct);
        return SyncOutcome.Nothing;
    }

    private static CrmKey Anchor(CrmSeries series) =>
        new(RecordKind.Event, series.Records.OrderBy(r => r.Index).ThenBy(r => r.CrmId).First().CrmId);

    private static IExchangeSeriesMailbox SeriesMailbox(IExchangeMailbox mailbox) => mailbox as IExchangeSeriesMailbox
        ?? throw new PermanentSyncException($"The Exchange adapter of {mailbox.Account.Address} cannot sync recurring series.");

    /// <summary>One series sync in one mailbox: executes and records its writes, and stores the links after them.</summary>
    private sealed class Run(SeriesSynchronizer s, MailboxAccount account, string uid, DateOnly from, DateOnly horizon, SyncTrigger trigger,
        MailboxDirectory directory)
    {
        public DateOnly From => from;
        public DateOnly Horizon => horizon;
        private readonly List<SyncAction> _actions = [];

        public bool OrganizerSynced(ExchangeItem master) =>
            master.Entity is CalendarEvent { Organizer: { } organizer } && directory.OfAddress(organizer.Email) is not null;

        /// <summary>Exchange → CRM: the records reconciled with the series' occurrences up to the horizon.</summary>
        public async Task<SyncOutcome> MaterialiseAsync(IExchangeSeriesMailbox mailbox, ExchangeSeries ex, CrmSeries? crmSeries, SyncReason reason,
            CancellationToken ct)
        {
            var master = (CalendarEvent)ex.Master.Entity;
            // Occurrences before the window's start when the series was first synced are left as they are (none created).
            var firstIndex = RecurrenceExpander.PatternDates(master.Recurrence!).TakeWhile(d => d < from).Count();
            var desired = MaterialisedSeries.Occurrences(master, horizon).Where(o => o.Index >= firstIndex).ToList();
            var existing = (crmSeries?.Records ?? []).Where(r => r.Index >= firstIndex).ToList();
            var plan = SeriesContent.Plan(master.Recurrence!, desired, existing, horizon);
            var stored = crmSeries;
            if (plan.Create.Count + plan.Update.Count + plan.Delete.Count > 0 || crmSeries?.Series is null)
            {
                var owner = crmSeries?.Owner ?? new Owner.User(account.CrmUserId);
                stored = await s.CrmSeries.ApplySeriesAsync(uid, owner, master, from, horizon, plan, ct);
                var before = existing.Select(r => r.CrmId).ToHashSet();
                foreach (var r in stored.Records.Where(r => !before.Contains(r.CrmId)))
                    await WrittenAsync(ActionKind.Create, Side.Crm, new CrmKey(RecordKind.Event, r.CrmId), ex.Master.Key, reason, $"occurrence {r.Index} of series {uid}", ct);
                foreach (var (crmId, o) in plan.Update)
                    await WrittenAsync(ActionKind.Update, Side.Crm, new CrmKey(RecordKind.Event, crmId), ex.Master.Key, reason, $"occurrence {o.Index} of series {uid}", ct);
                foreach (var r in plan.Delete)
                    await WrittenAsync(ActionKind.Delete, Side.Crm, new CrmKey(RecordKind.Event, r.CrmId), ex.Master.Key, reason, $"occurrence {r.Index} of series {uid}", ct);
            }
            await SaveLinksAsync(ex, stored!, horizon, ct);
            return Outcome();
        }

        /// <summary>CRM → Exchange: the CRM's series written as an Exchange series (created, or master and occurrences updated).</summary>
        public async Task<SyncOutcome> PushAsync(IExchangeSeriesMailbox mailbox, CrmSeries crmSeries, ExchangeSeries? ex, DateOnly materialisedUntil,
            SyncReason reason, CancellationToken ct)
        {
            if (crmSeries.Series is not { } model)
            {
                // Records sharing a uid without a rule the connector can read: Exchange (if any) stays the series' source.
                if (ex is not null) return await MaterialiseAsync(mailbox, ex, crmSeries, SyncReason.ChangedInExchange, ct);
                throw new PermanentSyncException($"CRM series {uid}: its records carry no repeat rule the connector can read.");
            }
            var target = SeriesContent.Target(model, ex?.Master.Entity as CalendarEvent, from, materialisedUntil);
            var anchor = Anchor(crmSeries);
            var send = !trigger.Initial;
            var written = ex is null
                ? await mailbox.CreateSeriesAsync(anchor, target, horizon, send, ct)
                : await mailbox.UpdateSeriesAsync(ex.Master.Key, target, horizon, send, ct);
            await WrittenAsync(ex is null ? ActionKind.Create : ActionKind.Update, Side.Exchange, anchor, written.Master.Key, reason, $"series {uid}", ct);
            // The records keep what they hold; a series pushed the first time is linked as materialised up to the horizon.
            await SaveLinksAsync(written, crmSeries, ex is null ? horizon : materialisedUntil, ct);
            return Outcome();
        }

        public async Task<SyncOutcome> DeleteCrmAsync(CrmSeries crmSeries, CancellationToken ct)
        {
            // The records kept in step go; older ones (before the window when the series was first synced) are history.
            var zone = Core.Time.Zones.Utc;
            foreach (var r in crmSeries.Records.Where(r => Core.Time.Zones.DateIn(r.Event.Span.EndIn(zone), zone) >= from))
            {
                var key = new CrmKey(RecordKind.Event, r.CrmId);
                await s.CrmGateway.DeleteAsync(key, ct);
                await s.Links.DeleteAsync(key, account.Address, ct);
                await WrittenAsync(ActionKind.Delete, Side.Crm, key, null, SyncReason.DeletedInExchange, $"occurrence {r.Index} of series {uid}", ct);
            }
            await ForgetAsync(ct);
            return Outcome();
        }

        public async Task<SyncOutcome> DeleteExchangeAsync(IExchangeSeriesMailbox mailbox, ExchangeSeries ex, CancellationToken ct)
        {
            if (ex.Master.IsOrganizer)
            {
                await ((IExchangeMailbox)mailbox).DeleteAsync(RecordKind.Event, ex.Master.Key, sendCancellations: !trigger.Initial, ct);
                await WrittenAsync(ActionKind.Delete, Side.Exchange, null, ex.Master.Key, SyncReason.DeletedInCrm, $"series {uid}", ct);
            }
            await ForgetAsync(ct);
            return Outcome();
        }

        public async Task ForgetAsync(CancellationToken ct)
        {
            foreach (var l in await s.Links.ForSeriesAsync(account.Address, uid, ct)) await s.Links.DeleteAsync(l.Crm, account.Address, ct);
            await s.SeriesLinks.DeleteAsync(account.Address, uid, ct);
        }

        /// <summary>
        /// Links each occurrence record to its occurrence (Graph: the instance id; EWS, whose occurrences have no ids of
        /// their own: the master), drops the links of records no longer in the series, then stores the series link.
        /// </summary>
        private async Task SaveLinksAsync(ExchangeSeries ex, CrmSeries stored, DateOnly materialisedUntil, CancellationToken ct)
        {
            var master = (CalendarEvent)ex.Master.Entity;
            var maxIndex = stored.Records.Count == 0 ? -1 : stored.Records.Max(r => r.Index);
            var dates = RecurrenceExpander.PatternDates(master.Recurrence!).Take(maxIndex + 1).ToList();
            var now = s.Clock.GetUtcNow();
            var role = ex.Master.IsOrganizer ? CopyRole.Owner : CopyRole.Attendee;
            foreach (var r in stored.Records)
            {
                DateOnly? original = r.Index < dates.Count ? dates[r.Index] : null;
                var itemId = original is { } d && ex.OccurrenceIds.TryGetValue(d, out var id) ? id : ex.Master.Key.ItemId;
                var fingerprint = Fingerprint.Of(SeriesContent.Project(r.Event));
                await s.Links.SaveAsync(new SyncLink
                {
                    Crm = new CrmKey(RecordKind.Event, r.CrmId),
                    Mailbox = account.Address,
                    Exchange = new ExchangeKey(itemId, null, ex.Master.Key.ICalUId),
                    CrmFingerprint = fingerprint,
                    ExchangeFingerprint = fingerprint,
                    Role = role,
                    Series = new SeriesInfo(uid, false, r.Index, original),
                    SyncedAt = now,
                }, ct);
            }
            var kept = stored.Records.Select(r => r.CrmId).ToHashSet();
            foreach (var l in await s.Links.ForSeriesAsync(account.Address, uid, ct))
                if (!kept.Contains(l.Crm.CrmId)) await s.Links.DeleteAsync(l.Crm, account.Address, ct);
            await s.SeriesLinks.SaveAsync(new SeriesLink
            {
                Mailbox = account.Address,
                CrmUid = uid,
                MasterId = ex.Master.Key.ItemId,
                ChangeKey = ex.Master.Key.ChangeKey,
                ICalUId = ex.Master.Key.ICalUId,
                CrmUserId = account.CrmUserId,
                CrmFingerprint = SeriesContent.OfCrm(stored),
                ExchangeFingerprint = SeriesContent.OfExchange(ex),
                MaterialisedFrom = from,
                MaterialisedUntil = materialisedUntil,
            }, ct);
        }

        private async Task WrittenAsync(ActionKind kind, Side side, CrmKey? crmKey, ExchangeKey? exchangeKey, SyncReason reason, string detail,
            CancellationToken ct)
        {
            var action = new SyncAction(kind, side, account.Address, crmKey, exchangeKey, reason, Detail: detail);
            _actions.Add(action);
            await s.Log.AddAsync(action, ct: ct);
        }

        private SyncOutcome Outcome() => new(null, _actions.Count, _actions);
    }

    // For the nested run (primary-constructor parameters are not visible there).
    private ICrmGateway CrmGateway => crm;
    private LinkStore Links => links;
    private SeriesLinkStore SeriesLinks => seriesLinks;
    private SyncLog Log => log;
    private TimeProvider Clock => clock;
}
