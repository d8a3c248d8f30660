using Connector.Api.Workers;
using Connector.Storage.CrmChanges;
using Connector.Storage.Jobs;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Connector.Sync.State;

namespace Connector.Api.Features.Sync;

/// <summary>
/// The engine's job handlers share this: port errors become the queue's retry (honouring Retry-After) or permanent
/// failure; an initialisation item that will not be retried again is counted as failed in its run.
/// </summary>
public abstract class SyncJobHandler(InitRunStore runs, JobSignal signal, SignInWaits? signIn = null) : IJobHandler
{
    public abstract string Kind { get; }

    protected abstract Task RunAsync(Job job, CancellationToken ct);

    /// <summary>The initialisation run and item this job counts towards, if any.</summary>
    protected virtual (long RunId, string ItemKey)? InitItem(Job job) => null;

    public async Task HandleAsync(Job job, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        try
        {
            await RunAsync(job, cancellationToken);
            if (InitItem(job) is { } item) await runs.CompleteItemAsync(item.RunId, item.ItemKey, null, CancellationToken.None);
            signal.Notify();
        }
        catch (NeedsSignInException e) when (signIn is not null && SignInWaits.UserOf(e, job.Payload) is { } user)
        {
            // A refused sign-in is no failure of this item: it waits for the user's new credentials.
            throw await signIn.ParkAsync(user, e, started, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var permanent = e is PermanentSyncException or JobPermanentException;
            if ((permanent || job.Attempts + 1 >= job.MaxAttempts) && InitItem(job) is { } item)
                await runs.CompleteItemAsync(item.RunId, item.ItemKey, e.Message, CancellationToken.None);
            throw e switch
            {
                TransientSyncException t => new JobRetryException(t.Message, t.RetryAfter, t),
                PermanentSyncException p => new JobPermanentException(p.Message, p),
                _ => e,
            };
        }
    }
}

/// <summary>
/// <c>crm.change</c> (queued by the intake with the notice): sync the record with all its copies, then mark the notices
/// it covered processed.
/// </summary>
public sealed class CrmChangeHandler(RecordSynchronizer sync, CrmChangeFeed feed, InitRunStore runs, JobSignal signal, SignInWaits signIn) : SyncJobHandler(runs, signal, signIn)
{
    public override string Kind => CrmChangeStore.JobKind;

    protected override async Task RunAsync(Job job, CancellationToken ct)
    {
        var change = CrmChangeJob.FromPayload(job.Payload);
        // A save the connector itself made comes back as a notice too: when nothing changed since, there is nothing to sync.
        if (CrmChangeFeed.KindOf(change.Module) is { } kind)
        {
            var key = new Core.Common.CrmKey(kind, change.CrmId);
            if (change.Operation == "save") await sync.SyncCrmNoticeAsync(key, ct);
            else await sync.SyncCrmRecordAsync(key, SyncTrigger.Live, ct);
        }
        await feed.MarkProcessedAsync(change.Module, change.CrmId, change.ChangeId, ct);
    }
}

/// <summary><c>exchange.change</c>: a mailbox folder's changes since its cursor become item jobs; then the cursor moves.</summary>
public sealed class ExchangeChangeHandler(ExchangeFeed feed, InitRunStore runs, JobSignal signal, SignInWaits signIn) : SyncJobHandler(runs, signal, signIn)
{
    public override string Kind => SyncJobs.ExchangeChange;

    protected override async Task RunAsync(Job job, CancellationToken ct)
    {
        var p = SyncJobs.Deserialize<SyncJobs.FeedPayload>(job.Payload);
        await feed.CatchUpAsync(new MailboxAccount(p.CrmUserId, p.Mailbox), p.Folder, ct);
    }
}

/// <summary><c>record.sync</c>: one CRM record with all its mailbox copies.</summary>
public sealed class RecordSyncHandler(RecordSynchronizer sync, InitRunStore runs, JobSignal signal, SignInWaits signIn) : SyncJobHandler(runs, signal, signIn)
{
    public override string Kind => SyncJobs.RecordSync;

    protected override (long RunId, string ItemKey)? InitItem(Job job) =>
        SyncJobs.Deserialize<SyncJobs.RecordPayload>(job.Payload) is { RunId: { } run } p ? (run, p.ItemKey) : null;

    protected override Task RunAsync(Job job, CancellationToken ct)
    {
        var p = SyncJobs.Deserialize<SyncJobs.RecordPayload>(job.Payload);
        return sync.SyncCrmRecordAsync(p.Key, new SyncTrigger(p.Initial), ct);
    }
}

/// <summary><c>item.sync</c>: one Exchange item (linked, matched, or new to the CRM).</summary>
public sealed class ItemSyncHandler(RecordSynchronizer sync, InitRunStore runs, JobSignal signal, SignInWaits signIn) : SyncJobHandler(runs, signal, signIn)
{
    public override string Kind => SyncJobs.ItemSync;

    protected override (long RunId, string ItemKey)? InitItem(Job job) =>
        SyncJobs.Deserialize<SyncJobs.ItemPayload>(job.Payload) is { RunId: { } run } p ? (run, p.ItemKey) : null;

    protected override Task RunAsync(Job job, CancellationToken ct)
    {
        var p = SyncJobs.Deserialize<SyncJobs.ItemPayload>(job.Payload);
        var matched = p.MatchedCrmId is { } id ? new Core.Common.CrmKey(p.Kind, id) : null;
        return sync.SyncExchangeItemAsync(new MailboxAccount(p.CrmUserId, p.Mailbox), p.Kind, p.ItemId, p.Deleted,
            new SyncTrigger(p.Initial, matched, p.MatchedBy), ct);
    }
}

/// <summary><c>user.initialize</c>: plans a user's initial sync (by schedule or <c>POST /users/{id}/initialize</c>).</summary>
public sealed class UserInitializeHandler(UserInitializer initializer, InitRunStore runs, JobSignal signal, SignInWaits signIn) : SyncJobHandler(runs, signal, signIn)
{
    public override string Kind => ScheduleWorker.UserInitializeKind;

    protected override Task RunAsync(Job job, CancellationToken ct) =>
        initializer.InitializeAsync(System.Text.Json.JsonDocument.Parse(job.Payload).RootElement.GetProperty("crmUserId").GetInt32(), ct);
}
