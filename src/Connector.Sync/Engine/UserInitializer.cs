using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Settings;
using Connector.Core.Sync;
using Connector.Core.Tasks;
using Connector.Storage.Database;
using Connector.Storage.Jobs;
using Connector.Storage.Settings;
using Connector.Storage.Users;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Dapper;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Engine;

/// <summary>
/// User initialisation: reads the mailbox's folders in the window (which also sets the feed cursors), matches Exchange
/// items to the user's CRM records (stamp, iCalUId, then subject + start + end, once and in bulk), and queues one job per
/// item and per unmatched CRM record, all flagged initial (no invitations). Each job is registered with the run in the
/// same transaction, so progress is exact and a crash resumes the same run without counting or queuing twice.
/// </summary>
public sealed class UserInitializer(
    IExchangeGateway exchange,
    ICrmGateway crm,
    UserStore users,
    SettingsStore settings,
    LinkStore links,
    CursorStore cursors,
    InitRunStore runs,
    JobQueue queue,
    DbConnectionFactory db,
    IOptions<SyncOptions> options,
    TimeProvider clock)
{
    public async Task<long?> InitializeAsync(int crmUserId, CancellationToken ct)
    {
        var user = await users.GetAsync(crmUserId, ct);
        if (user is not { Preferences: { Enabled: true, Mailbox: { Length: > 0 } address } }) return null;
        var account = new MailboxAccount(crmUserId, address.Trim().ToLowerInvariant());
        var runId = await runs.OpenRunAsync(crmUserId, ct) ?? await runs.StartAsync(crmUserId, ct);
        try
        {
            var current = (await settings.GetAsync(ct)).Settings;
            var features = current.Features.Intersect(user.Preferences.Features);
            var mailbox = await exchange.OpenAsync(account, ct);
            var (from, to) = options.Value.Window(clock.GetUtcNow());
            if (features.Calendar) await PlanFolderAsync(runId, account, mailbox, SyncFolder.Calendar, from, to, false, ct);
            if (features.Tasks) await PlanFolderAsync(runId, account, mailbox, SyncFolder.Tasks, from, to, false, ct);
            if (features.Contacts && current.ContactSyncMode != ContactSyncMode.Off)
                await PlanFolderAsync(runId, account, mailbox, SyncFolder.Contacts, from, to, current.ContactSyncMode == ContactSyncMode.Visible, ct);
            await runs.MarkPlannedAsync(runId, ct);
            return runId;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await runs.FailAsync(runId, e.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task PlanFolderAsync(long runId, MailboxAccount account, IExchangeMailbox mailbox, SyncFolder folder,
        DateTimeOffset from, DateTimeOffset to, bool visibleContacts, CancellationToken ct)
    {
        var kind = SyncFolders.KindOf(folder);

        // Everything the folder holds in the window; the read's cursor becomes the feed's starting point.
        var items = new List<ExchangeItem>();
        string? cursor = null;
        while (true)
        {
            var batch = await mailbox.ReadChangesAsync(folder, cursor, from, to, ct);
            items.AddRange(batch.Changed);
            cursor = batch.Cursor;
            if (!batch.More) break;
        }

        var records = new List<CrmRecord>();
        await foreach (var record in crm.ListForUserAsync(kind, account.CrmUserId, from, to, visibleContacts, ct)) records.Add(record);
        var matcher = new BulkMatcher(kind, records);

        var jobs = new List<(NewJob Job, string ItemKey)>();
        var matched = new HashSet<CrmKey>();
        foreach (var item in items.DistinctBy(i => i.Key.ItemId))
        {
            var link = await links.ForItemAsync(account.Address, item.Key.ItemId, ct);
            var match = link is null && kind != RecordKind.Contact ? matcher.Find(item) : MatchResult.None;
            if (link is not null) matched.Add(link.Crm);
            if (match.Crm is not null) matched.Add(match.Crm);
            var payload = new SyncJobs.ItemPayload(account.CrmUserId, account.Address, kind, item.Key.ItemId, Initial: true, RunId: runId,
                MatchedCrmId: match.Crm?.CrmId, MatchedBy: match.How);
            jobs.Add((SyncJobs.Item(payload), payload.ItemKey));
        }
        foreach (var record in records.Where(r => !matched.Contains(r.Key)))
        {
            var payload = new SyncJobs.RecordPayload(kind, record.Key.CrmId, Initial: true, RunId: runId);
            jobs.Add((SyncJobs.Record(payload), payload.ItemKey));
        }

        foreach (var chunk in jobs.Chunk(200)) await EnqueueAsync(runId, kind, chunk, ct);
        await cursors.SetAsync(account.Address, folder, cursor, ct);
        // The change channel's signals until now found no cursor and were dropped: whatever changed since this read is
        // read once from the cursor just stored (contacts go one way: their feed is never read).
        if (folder != SyncFolder.Contacts)
            await queue.EnqueueAsync(SyncJobs.Feed(new SyncJobs.FeedPayload(account.CrmUserId, account.Address, folder)), ct);
    }

    /// <summary>Queues the jobs not yet registered with the run (a resumed run skips what it already queued).</summary>
    private async Task EnqueueAsync(long runId, RecordKind kind, IEnumerable<(NewJob Job, string ItemKey)> jobs, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var (job, itemKey) in jobs)
        {
            var added = await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO exc_init_items (run_id, item_key, kind, done) SELECT @runId, @itemKey, @kind, 0 FROM DUAL
                WHERE NOT EXISTS (SELECT 1 FROM exc_init_items WHERE run_id = @runId AND item_key = @itemKey)
                """, new { runId, itemKey, kind = kind.ToString() }, tx, cancellationToken: ct));
            if (added == 1) await JobQueue.EnqueueAsync(c, tx, job, ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>RecordMatcher over an index: only candidates sharing the stamp, the iCalUId or the subject are compared.</summary>
    private sealed class BulkMatcher(RecordKind kind, IReadOnlyList<CrmRecord> records)
    {
        private readonly Dictionary<long, MatchCandidate> _byId = records.ToDictionary(r => r.Key.CrmId, Candidate);
        private readonly ILookup<string, MatchCandidate> _byUid = records.Where(r => r.ICalUId is { Length: > 0 })
            .ToLookup(r => r.ICalUId!, Candidate, StringComparer.Ordinal);
        private readonly ILookup<string, MatchCandidate> _bySubject = records.ToLookup(r => Normalise(SubjectOf(r.Entity)), Candidate);

        public MatchResult Find(ExchangeItem item)
        {
            var candidates = new List<MatchCandidate>();
            if (item.StampedCrmId is { } id && _byId.TryGetValue(id, out var stamped)) candidates.Add(stamped);
            if (item.Key.ICalUId is { Length: > 0 } uid) candidates.AddRange(_byUid[uid]);
            candidates.AddRange(_bySubject[Normalise(SubjectOf(item.Entity))]);
            var (span, due) = TimeOf(item.Entity);
            return RecordMatcher.Find(kind, item.StampedCrmId, item.Key.ICalUId, SubjectOf(item.Entity), span, candidates.Distinct().ToList(), due);
        }

        private static MatchCandidate Candidate(CrmRecord r)
        {
            var (span, due) = TimeOf(r.Entity);
            return new MatchCandidate(r.Key, r.ICalUId, SubjectOf(r.Entity), span, due);
        }

        private static string SubjectOf(ISyncEntity e) => e switch
        {
            CalendarEvent ev => ev.Subject,
            TaskItem t => t.Subject,
            Contact c => c.DisplayName,
            _ => "",
        };

        private static (EventSpan?, DateOnly?) TimeOf(ISyncEntity e) => e switch
        {
            CalendarEvent ev => (ev.Span, null),
            TaskItem t => (null, t.DueDate),
            _ => (null, null),
        };

        private static string Normalise(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
    }
}
