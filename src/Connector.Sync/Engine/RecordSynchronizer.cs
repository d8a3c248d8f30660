using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Links;
using Connector.Core.Mailboxes;
using Connector.Core.Settings;
using Connector.Core.Sync;
using Connector.Core.Tasks;
using Connector.Storage.Database;
using Connector.Storage.Settings;
using Connector.Storage.Users;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Microsoft.Extensions.Logging;

namespace Connector.Sync.Engine;

/// <summary>
/// Syncs one record: gathers what each side holds (the CRM record, every mailbox copy through its link, a stamped item
/// left by a create whose link was lost), asks the planner what to do, executes the actions through the ports and stores
/// the link after every single write, so a crash at any point is retried without duplicates or lost changes. Runs under
/// a per-record named lock; re-plans after writing the CRM so the change reaches the record's other mailboxes.
/// </summary>
public sealed class RecordSynchronizer(
    ICrmGateway crm,
    IExchangeGateway exchange,
    LinkStore links,
    SyncLog log,
    UserStore users,
    SettingsStore settings,
    DbConnectionFactory db,
    TimeProvider clock,
    ILogger<RecordSynchronizer> logger,
    Series.SeriesSynchronizer? series = null)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(20);

    // For the nested execution (primary-constructor parameters are not visible there).
    private ICrmGateway Crm => crm;
    private LinkStore Links => links;
    private SyncLog Log => log;
    private TimeProvider Clock => clock;
    private ILogger Logger => logger;
    private const int MaxRounds = 3;

    /// <summary>A CRM change notice (or an initial push): sync the record with all its copies.</summary>
    public Task<SyncOutcome> SyncCrmRecordAsync(CrmKey key, SyncTrigger trigger, CancellationToken ct) =>
        SyncCrmAsync(key, trigger, skipOwnWrites: false, ct);

    /// <summary>
    /// A CRM save notice: syncs the record unless it reads exactly as the connector last wrote or read it for every
    /// mailbox copy, with every owner mailbox holding its copy — a notice of the connector's own write (the bridge's hook
    /// and reconciliation report every save, the connector's too). Nothing to carry then; a change on the Exchange side
    /// arrives through its own feed. Costs one CRM read instead of a sync that also reads every copy (bench/RESULTS.md).
    /// </summary>
    public Task<SyncOutcome> SyncCrmNoticeAsync(CrmKey key, CancellationToken ct) =>
        SyncCrmAsync(key, SyncTrigger.Live, skipOwnWrites: true, ct);

    private async Task<SyncOutcome> SyncCrmAsync(CrmKey key, SyncTrigger trigger, bool skipOwnWrites, CancellationToken ct)
    {
        // An occurrence record goes to its series (which folds a burst of saves into one series sync) before any
        // single-event shortcut: its own link compares it with its occurrence, not with the series.
        if (series is not null && await series.TrySyncCrmRecordAsync(key, trigger, ct) is { } seriesOutcome) return seriesOutcome;
        // Under the record's lock: no other sync of it is between a write and its link, so links and record agree.
        await using var _ = await NamedLock.AcquireAsync(db, $"crm:{key}", LockWait, ct);
        if (skipOwnWrites && await IsUnchangedSinceLinkedAsync(key, ct)) return SyncOutcome.Nothing;
        return await SyncLockedAsync(key, null, await ContextAsync(trigger, ct), ct);
    }

    private async Task<bool> IsUnchangedSinceLinkedAsync(CrmKey key, CancellationToken ct)
    {
        var linked = await links.ForRecordAsync(key, ct);
        if (linked.Count == 0) return false;
        if ((await crm.ReadAsync(key, ct)).Record is not { } record) return false;
        var fingerprint = Fingerprint.Of(record.Entity);
        if (linked.Any(l => l.CrmFingerprint != fingerprint)) return false;
        var directory = await MailboxDirectory.LoadAsync(users, ct);
        if (linked.Any(l => directory.OfAddress(l.Mailbox) is null)) return false; // a disabled mailbox's copy: let the sync decide
        return record.Owner.Mailboxes(directory.MailboxOf)
            .All(o => linked.Any(l => string.Equals(l.Mailbox, o.Address, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// An Exchange change: a linked item syncs its record; an unlinked one is matched (stamp, iCalUId, or what
    /// initialisation found) or becomes a new CRM record. <paramref name="deleted"/>: the feed said it was deleted.
    /// </summary>
    public async Task<SyncOutcome> SyncExchangeItemAsync(MailboxAccount account, RecordKind kind, string itemId, bool deleted,
        SyncTrigger trigger, CancellationToken ct)
    {
        var link = await links.ForItemAsync(account.Address, itemId, ct);
        if (link is not null) return await SyncLinkedItemAsync(account, link, trigger, ct);
        if (deleted && series is not null && await series.SyncDeletedMasterAsync(account, itemId, trigger, ct)) return SyncOutcome.Nothing;
        if (deleted) return SyncOutcome.Nothing; // never linked: nothing on the CRM side to carry it to

        await using var itemLock = await NamedLock.AcquireAsync(db, $"item:{account.Address}:{itemId}", LockWait, ct);
        link = await links.ForItemAsync(account.Address, itemId, ct);
        if (link is not null) return await SyncLinkedItemAsync(account, link, trigger, ct);

        var context = await ContextAsync(trigger, ct);
        var mailbox = await context.MailboxAsync(account.Address, ct);
        var item = await mailbox.ReadAsync(kind, itemId, ct);
        if (item is null) return SyncOutcome.Nothing;
        if (item.SeriesMasterId is { } masterId && series is not null)
            return await series.SyncExchangeSeriesAsync(account, masterId, trigger, ct);

        var (match, how) = await MatchAsync(account, kind, item, trigger, ct);
        var copy = new FoundCopy(account.Address, item, how);
        if (match is not null)
        {
            await using (await NamedLock.AcquireAsync(db, $"crm:{match}", LockWait, ct))
            {
                // The record's sync held the lock meanwhile and may have linked this item (a deleted record re-created
                // from it, stamped with the old id): the item goes with that link, not into a second record.
                link = await links.ForItemAsync(account.Address, itemId, ct);
                if (link is null) return await SyncLockedAsync(match, copy, context, ct);
            }
            return await SyncLinkedItemAsync(account, link, trigger, ct);
        }

        // An invitation copy whose organizer's mailbox is synced: that mailbox brings the CRM event; wait for it
        // rather than create a second record for the same meeting.
        if (!item.IsOrganizer && item.Entity is CalendarEvent { Organizer: { } organizer }
            && context.Directory.OfAddress(organizer.Email) is not null)
            throw new TransientSyncException($"Meeting {item.Key.ICalUId} in {account.Address}: waiting for the organizer's mailbox to bring it to the CRM.",
                TimeSpan.FromSeconds(2));

        return kind switch
        {
            RecordKind.Event => await CreateFromExchangeAsync<CalendarEvent>(account, copy, context, ct),
            RecordKind.Task => await CreateFromExchangeAsync<TaskItem>(account, copy, context, ct),
            _ => await CreateFromExchangeAsync<Contact>(account, copy, context, ct),
        };
    }

    /// <summary>A linked item syncs its record; an occurrence's item (or a master's) is synced with its whole series.</summary>
    private Task<SyncOutcome> SyncLinkedItemAsync(MailboxAccount account, SyncLink link, SyncTrigger trigger, CancellationToken ct) =>
        link.Series is not null && series is not null ? series.SyncLinkedAsync(account, link, trigger, ct) : SyncCrmRecordAsync(link.Crm, trigger, ct);

    private async Task<(CrmKey?, MatchedBy?)> MatchAsync(MailboxAccount account, RecordKind kind, ExchangeItem item, SyncTrigger trigger,
        CancellationToken ct)
    {
        if (item.StampedCrmId is { } stamped) return (new CrmKey(kind, stamped), MatchedBy.Stamp);
        if (kind == RecordKind.Event && item.Key.ICalUId is { Length: > 0 } uid)
        {
            var known = (await links.RecordsWithICalUIdAsync(uid, ct)).Where(k => k.Kind == kind).Distinct().ToList();
            if (known.Count == 1) return (known[0], MatchedBy.ICalUId);
            var inCrm = await crm.FindByICalUIdAsync(uid, ct);
            if (inCrm.Count == 1) return (inCrm[0].Key, MatchedBy.ICalUId);
            if (inCrm.Count > 1)
                throw new PermanentSyncException($"{inCrm.Count} CRM events share iCalUId {uid}: {string.Join(", ", inCrm.Select(r => r.Key))}.");
        }
        if (trigger.MatchedCrm is { } found && found.Kind == kind) return (found, trigger.MatchedBy ?? MatchedBy.SubjectAndTime);
        return (await MatchBySubjectAndTimeAsync(account, item, ct), MatchedBy.SubjectAndTime) is ({ } key, var by) ? (key, by) : (null, null);
    }

    /// <summary>
    /// An event of the mailbox user's with the same subject, start and end, not yet linked in this mailbox: created on
    /// both sides before they were linked, or created in the CRM from this item by a run that crashed before storing the
    /// link (the CRM has no stamp to find it by). Only a single such candidate is trusted.
    /// </summary>
    private async Task<CrmKey?> MatchBySubjectAndTimeAsync(MailboxAccount account, ExchangeItem item, CancellationToken ct)
    {
        if (item.Entity is TaskItem task) return await MatchTaskBySubjectAndDueAsync(account, task, ct);
        if (item.Entity is not CalendarEvent e) return null;
        var zone = Core.Time.Zones.Utc;
        var from = e.Span.StartIn(zone).AddDays(-1);
        var to = e.Span.EndIn(zone).AddDays(1);
        // Only same-subject, same-time records are candidates; of those, the ones already linked in this mailbox are taken.
        var candidates = new List<MatchCandidate>();
        await foreach (var record in crm.ListForUserAsync(RecordKind.Event, account.CrmUserId, from, to, false, ct))
            if (record.Entity is CalendarEvent c && RecordMatcher.Find(RecordKind.Event, null, null, e.Subject, e.Span,
                    [new MatchCandidate(record.Key, record.ICalUId, c.Subject, c.Span)]).Crm is not null)
                candidates.Add(new MatchCandidate(record.Key, record.ICalUId, c.Subject, c.Span));
        if (candidates.Count == 0) return null;
        var linked = await links.LinkedInMailboxAsync(account.Address, candidates.Select(c => c.Crm).ToList(), ct);
        candidates.RemoveAll(c => linked.Contains(c.Crm));
        return RecordMatcher.Find(RecordKind.Event, null, null, e.Subject, e.Span, candidates).Crm;
    }

    /// <summary>
    /// The task counterpart of the event match: one of the user's CRM tasks with the same subject and due date, not yet
    /// linked in this mailbox (a CRM task created from this item by a run that died before storing its link).
    /// </summary>
    private async Task<CrmKey?> MatchTaskBySubjectAndDueAsync(MailboxAccount account, TaskItem task, CancellationToken ct)
    {
        var candidates = new List<MatchCandidate>();
        await foreach (var record in crm.ListForUserAsync(RecordKind.Task, account.CrmUserId, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, false, ct))
            if (record.Entity is TaskItem t)
            {
                var candidate = new MatchCandidate(record.Key, null, t.Subject, null, t.DueDate);
                if (RecordMatcher.Find(RecordKind.Task, null, null, task.Subject, null, [candidate], task.DueDate).Crm is not null)
                    candidates.Add(candidate);
            }
        if (candidates.Count == 0) return null;
        var linked = await links.LinkedInMailboxAsync(account.Address, candidates.Select(c => c.Crm).ToList(), ct);
        candidates.RemoveAll(c => linked.Contains(c.Crm));
        return RecordMatcher.Find(RecordKind.Task, null, null, task.Subject, null, candidates, task.DueDate).Crm;
    }

    private async Task<SyncOutcome> CreateFromExchangeAsync<T>(MailboxAccount account, FoundCopy found, Context context, CancellationToken ct)
        where T : class, ISyncEntity
    {
        var copy = new MailboxCopy<T>(account.Address, null, found.Item.Key, Observation<T>.Present((T)found.Item.Entity, found.Item.ModifiedAt),
            found.Item.IsOrganizer ? CopyRole.Owner : CopyRole.Attendee);
        var input = new RecordInput<T>(found.Item.Entity.Kind, null, Observation<T>.Unknown, [], [copy]);
        var plan = SyncPlanner.Plan(input, context.Policy);
        var execution = new Execution<T>(this, context, input, null, null);
        await execution.RunAsync(plan, ct);
        return new SyncOutcome(execution.CrmKey, execution.Writes, plan);
    }

    private async Task<SyncOutcome> SyncLockedAsync(CrmKey key, FoundCopy? found, Context context, CancellationToken ct) => key.Kind switch
    {
        RecordKind.Event => await RoundsAsync<CalendarEvent>(key, found, context, ct),
        RecordKind.Task => await RoundsAsync<TaskItem>(key, found, context, ct),
        _ => await RoundsAsync<Contact>(key, found, context, ct),
    };

    /// <summary>Plan and execute until nothing is left to do (a CRM write is re-planned so other mailboxes follow).</summary>
    private async Task<SyncOutcome> RoundsAsync<T>(CrmKey key, FoundCopy? found, Context context, CancellationToken ct) where T : class, ISyncEntity
    {
        var all = new List<SyncAction>();
        var writes = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var (input, record) = await GatherAsync<T>(key, round == 0 ? found : null, context, ct);
            var plan = SyncPlanner.Plan(input, context.Policy);
            all.AddRange(plan);
            var execution = new Execution<T>(this, context, input, record, key);
            await execution.RunAsync(plan, ct);
            writes += execution.Writes;
            if (execution.Refusal is { } refusal) throw new PermanentSyncException(refusal);
            if (!execution.WroteCrm || execution.CrmKey != key) break;
        }
        return new SyncOutcome(key, writes, all);
    }

    private async Task<(RecordInput<T>, CrmRecord?)> GatherAsync<T>(CrmKey key, FoundCopy? found, Context context, CancellationToken ct)
        where T : class, ISyncEntity
    {
        var read = await crm.ReadAsync(key, ct);
        var record = read.Record;
        var crmState = record is not null ? Observation<T>.Present((T)record.Entity, record.ModifiedAt)
            : read.Deleted ? Observation<T>.Deleted(read.DeletedAt) : Observation<T>.Unknown;
        var owners = record?.Owner.Mailboxes(context.Directory.MailboxOf).Select(m => m.Address).ToList() ?? [];
        // Contact sync mode "visible": a contact lives in the mailbox of every synced user who can see it in the CRM.
        if (record is not null && key.Kind == RecordKind.Contact && context.VisibleContacts
            && await crm.ContactViewersAsync(key.CrmId, ct) is { } viewers)
            owners = viewers.Select(context.Directory.MailboxOf).OfType<Mailbox>().Select(m => m.Address).ToList();

        var copies = new List<MailboxCopy<T>>();
        foreach (var link in await links.ForRecordAsync(key, ct))
        {
            var enabled = context.Directory.OfAddress(link.Mailbox) is not null;
            if (!enabled)
            {
                copies.Add(new(link.Mailbox, link, null, Observation<T>.Unknown, link.Role, MailboxEnabled: false));
                continue;
            }
            var item = found is not null && found.Mailbox == link.Mailbox && found.Item.Key.ItemId == link.Exchange.ItemId
                ? found.Item
                : await (await context.MailboxAsync(link.Mailbox, ct)).ReadAsync(key.Kind, link.Exchange.ItemId, ct);
            var state = item is null ? Observation<T>.Deleted() : Observation<T>.Present((T)item.Entity, item.ModifiedAt);
            copies.Add(new(link.Mailbox, link, item?.Key, state, link.Role, null, OrganizerSynced(item, context)));
        }

        // The copy that started this sync, not linked yet (matched by stamp, iCalUId or subject + time).
        if (found is not null && copies.All(c => c.Mailbox != found.Mailbox))
            copies.Add(new(found.Mailbox, null, found.Item.Key, Observation<T>.Present((T)found.Item.Entity, found.Item.ModifiedAt),
                found.Item.IsOrganizer ? CopyRole.Owner : CopyRole.Attendee, found.How, OrganizerSynced(found.Item, context)));

        // An owner mailbox without a link may hold our create whose link was lost in a crash: its stamp finds it.
        if (record is not null)
        {
            foreach (var owner in owners.Where(o => copies.All(c => c.Mailbox != o)))
            {
                var stamped = await (await context.MailboxAsync(owner, ct)).FindByStampAsync(key, ct);
                if (stamped.Count > 0)
                    copies.Add(new(owner, null, stamped[0].Key, Observation<T>.Present((T)stamped[0].Entity, stamped[0].ModifiedAt),
                        CopyRole.Owner, MatchedBy.Stamp));
            }
        }

        return (new RecordInput<T>(key.Kind, key, crmState, owners, copies, record?.Owner is Owner.Group), record);
    }

    private static bool OrganizerSynced(ExchangeItem? item, Context context) =>
        item?.Entity is CalendarEvent { Organizer: { } organizer } && context.Directory.OfAddress(organizer.Email) is not null;

    private async Task<Context> ContextAsync(SyncTrigger trigger, CancellationToken ct)
    {
        var current = (await settings.GetAsync(ct)).Settings;
        var features = current.ContactSyncMode == ContactSyncMode.Off ? current.Features with { Contacts = false } : current.Features;
        var policy = new SyncPolicy(current.ConflictPolicy, features, clock.GetUtcNow(), trigger.Initial);
        return new Context(policy, await MailboxDirectory.LoadAsync(users, ct), exchange)
        {
            VisibleContacts = current.ContactSyncMode == ContactSyncMode.Visible,
        };
    }

    private sealed record FoundCopy(string Mailbox, ExchangeItem Item, MatchedBy? How);

    /// <summary>What one sync works with: the policy, the synced mailboxes, and the mailboxes opened so far.</summary>
    private sealed class Context(SyncPolicy policy, MailboxDirectory directory, IExchangeGateway exchange)
    {
        private readonly Dictionary<string, IExchangeMailbox> _open = new(StringComparer.OrdinalIgnoreCase);

        public SyncPolicy Policy => policy;
        public MailboxDirectory Directory => directory;
        public bool VisibleContacts { get; init; }

        public async Task<IExchangeMailbox> MailboxAsync(string address, CancellationToken ct)
        {
            if (_open.TryGetValue(address, out var open)) return open;
            var account = directory.OfAddress(address) ?? throw new PermanentSyncException($"Mailbox {address} is not synchronised.");
            return _open[address] = await exchange.OpenAsync(account, ct);
        }
    }

    /// <summary>Executes one plan, storing the link right after each write.</summary>
    private sealed class Execution<T>(RecordSynchronizer s, Context context, RecordInput<T> input, CrmRecord? record, CrmKey? key)
        where T : class, ISyncEntity
    {
        public int Writes { get; private set; }
        public bool WroteCrm { get; private set; }
        public CrmKey? CrmKey { get; private set; } = key;
        public string? Refusal { get; private set; }

        private CrmRecord? _record = record;

        public async Task RunAsync(IReadOnlyList<SyncAction> plan, CancellationToken ct)
        {
            foreach (var action in plan) await RunAsync(action, ct);
        }

        private MailboxCopy<T>? CopyOf(string mailbox) => input.Copies.FirstOrDefault(c => string.Equals(c.Mailbox, mailbox, StringComparison.OrdinalIgnoreCase));

        private async Task RunAsync(SyncAction a, CancellationToken ct)
        {
            switch (a.Kind, a.Side)
            {
                case (ActionKind.Skip, _):
                    return;
                case (ActionKind.Conflict, _):
                    s.Logger.LogInformation("Conflict on {Crm} in {Mailbox}: {Reason}", a.Crm, a.Mailbox, a.Reason);
                    await s.Log.AddAsync(a, ct: ct);
                    return;
                case (ActionKind.Refuse, _):
                    Refusal = $"{a.Crm} in {a.Mailbox}: {a.Detail}";
                    await s.Log.AddAsync(a, ct: ct);
                    return;
                case (ActionKind.Link, _):
                {
                    var copy = CopyOf(a.Mailbox)!;
                    await SaveLinkAsync(a.Mailbox, copy.Key!, Fingerprint.Of(_record!.Entity), Fingerprint.Of(copy.State.Entity!), copy.Role, ct);
                    return;
                }
                case (ActionKind.Unlink, _):
                    if (CrmKey is not null) await s.Links.DeleteAsync(CrmKey, a.Mailbox, ct);
                    return;
                case (ActionKind.Create, Side.Exchange):
                {
                    var mailbox = await context.MailboxAsync(a.Mailbox, ct);
                    var created = await mailbox.CreateAsync(CrmKey!, a.Content!, a.SendInvitations, ct);
                    await Written(a, ct);
                    // Contacts go one way: their feed is never read, so a created contact awaits no echo.
                    await SaveLinkAsync(a.Mailbox, created.Key, Fingerprint.Of(a.Content!), Fingerprint.Of(created.Entity), CopyRole.Owner, ct,
                        createdItem: CrmKey!.Kind != RecordKind.Contact);
                    return;
                }
                case (ActionKind.Update, Side.Exchange):
                {
                    var mailbox = await context.MailboxAsync(a.Mailbox, ct);
                    var updated = await mailbox.UpdateAsync(a.Exchange!, a.Content!, a.SendInvitations, ct);
                    await Written(a, ct);
                    await SaveLinkAsync(a.Mailbox, updated.Key, Fingerprint.Of(a.Content!), Fingerprint.Of(updated.Entity),
                        CopyOf(a.Mailbox)?.Role ?? CopyRole.Owner, ct);
                    return;
                }
                case (ActionKind.Delete, Side.Exchange):
                {
                    var mailbox = await context.MailboxAsync(a.Mailbox, ct);
                    // Moving a meeting to another owner must not tell its attendees it was cancelled.
                    await mailbox.DeleteAsync(input.Kind, a.Exchange!, sendCancellations: a.Reason != SyncReason.Reassigned && !context.Policy.InitialSync, ct);
                    await Written(a, ct);
                    return;
                }
                case (ActionKind.Create, Side.Crm):
                {
                    var account = context.Directory.OfAddress(a.Mailbox) ?? throw new PermanentSyncException($"Mailbox {a.Mailbox} is not synchronised.");
                    var copy = CopyOf(a.Mailbox)!;
                    _record = await s.Crm.CreateAsync(a.Content!, new Owner.User(account.CrmUserId), copy.Key?.ICalUId, ct);
                    CrmKey = _record.Key;
                    WroteCrm = true;
                    await Written(a with { Crm = CrmKey }, ct);
                    await SaveLinkAsync(a.Mailbox, copy.Key!, Fingerprint.Of(_record.Entity), Fingerprint.Of(a.Content!), copy.Role, ct);
                    return;
                }
                case (ActionKind.Update, Side.Crm):
                {
                    _record = await s.Crm.UpdateAsync(CrmKey!, a.Content!, ct);
                    WroteCrm = true;
                    await Written(a, ct);
                    var copy = CopyOf(a.Mailbox)!;
                    await SaveLinkAsync(a.Mailbox, copy.Key!, Fingerprint.Of(_record.Entity), Fingerprint.Of(a.Content!), copy.Role, ct);
                    return;
                }
                case (ActionKind.Delete, Side.Crm):
                    await s.Crm.DeleteAsync(CrmKey!, ct);
                    WroteCrm = true;
                    await Written(a, ct);
                    return;
                case (ActionKind.RecordResponse, _):
                {
                    var copy = CopyOf(a.Mailbox)!;
                    var response = (a.Content as CalendarEvent)?.Attendees.FirstOrDefault(x => x.Email == a.Mailbox.ToLowerInvariant())?.Response
                        ?? AttendeeResponse.None;
                    await s.Crm.RecordResponseAsync(CrmKey!, a.Mailbox, response, ct);
                    WroteCrm = true;
                    await Written(a, ct);
                    var reread = await s.Crm.ReadAsync(CrmKey!, ct);
                    if (reread.Record is { } r) _record = r;
                    await SaveLinkAsync(a.Mailbox, copy.Key!, Fingerprint.Of(_record!.Entity), Fingerprint.Of(a.Content!), copy.Role, ct);
                    return;
                }
            }
        }

        private async Task Written(SyncAction a, CancellationToken ct)
        {
            Writes++;
            await s.Log.AddAsync(a, ct: ct);
        }

        private Task SaveLinkAsync(string mailbox, ExchangeKey item, Fingerprint crmFingerprint, Fingerprint exchangeFingerprint, CopyRole role,
            CancellationToken ct, bool createdItem = false) =>
            s.Links.SaveAsync(new SyncLink
            {
                Crm = CrmKey!,
                Mailbox = mailbox,
                Exchange = item,
                CrmFingerprint = crmFingerprint,
                ExchangeFingerprint = exchangeFingerprint,
                Role = role,
                SyncedAt = s.Clock.GetUtcNow(),
            }, ct, createdItem);
    }
}
