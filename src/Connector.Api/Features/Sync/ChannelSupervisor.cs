using Connector.Api.Hosting;
using Connector.Api.Workers;
using Connector.Storage.Jobs;
using Connector.Storage.Users;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.Sync;

/// <summary>
/// Runs one change channel per enabled user: started at boot and when a user is enabled, stopped when disabled,
/// restarted when it fails. Each start queues a catch-up read of every folder (a gap is never a lost change). A mailbox's
/// channel runs in one instance only: the one holding its lease row (DESIGN.md §5), renewed on every check.
/// </summary>
public sealed class ChannelSupervisor(
    UserStore users,
    IChangeChannelFactory channels,
    ChannelLeaseStore leases,
    JobQueue queue,
    JobSignal signal,
    MigrationStatus migrations,
    SignInWaits signIn,
    IOptions<SyncOptions> options,
    ILogger<ChannelSupervisor> logger) : BackgroundService
{
    /// <summary>The folders whose Exchange changes flow to the CRM (contacts go one way: their feed is not read).</summary>
    public static readonly SyncFolder[] WatchedFolders = [SyncFolder.Calendar, SyncFolder.Tasks];

    private readonly string _owner = Truncate($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    private static string Truncate(string owner) => owner.Length > 100 ? owner[^100..] : owner;
    private readonly Dictionary<string, Running> _running = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Running(MailboxAccount Account, CancellationTokenSource Stop, Task Task);

    /// <summary>Mailboxes whose channel runs in this instance now (status page, tests).</summary>
    public IReadOnlyCollection<string> RunningMailboxes { get { lock (_running) return _running.Keys.ToList(); } }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Applied.WaitAsync(stoppingToken);
        var check = TimeSpan.FromSeconds(options.Value.ChannelCheckSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await CheckAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogError("Channel check failed: {Error}", e.Message); }
                await Task.Delay(check, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            List<Running> all;
            lock (_running) { all = _running.Values.ToList(); _running.Clear(); }
            foreach (var r in all) await StopAsync(r);
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        // A user who must sign in again has no channel (it would only be refused again); saving credentials brings it back.
        var waiting = await users.WaitingForSignInAsync(ct);
        var enabled = (await MailboxDirectory.LoadAsync(users, ct)).All.Where(a => !waiting.Contains(a.CrmUserId))
            .ToDictionary(a => a.Address, StringComparer.OrdinalIgnoreCase);
        var lease = TimeSpan.FromSeconds(options.Value.ChannelLeaseSeconds);
        var holders = await leases.RenewAllAsync(_owner, lease, ct);
        List<Running> current;
        lock (_running) current = _running.Values.ToList();

        foreach (var r in current)
        {
            var keep = enabled.TryGetValue(r.Account.Address, out var account) && account == r.Account && !r.Task.IsCompleted
                && holders.HeldByMe(r.Account.Address);
            if (keep) continue;
            lock (_running) _running.Remove(r.Account.Address);
            await StopAsync(r);
            logger.LogInformation("Change channel of {Mailbox} stopped", r.Account.Address);
        }

        foreach (var account in enabled.Values)
        {
            lock (_running) if (_running.ContainsKey(account.Address)) continue;
            // Another instance runs it while its lease lives: no write to find that out again every check.
            if (holders.HeldByAnother(account.Address) || !await leases.TryAcquireAsync(account.Address, _owner, lease, ct)) continue;
            await CatchUpAsync(account, WatchedFolders, ct);
            if (await signIn.WakeAsync(account.CrmUserId, ct) is > 0 and var woken)
                logger.LogInformation("{Count} jobs of {Mailbox} that waited for a sign-in are due again", woken, account.Address);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var task = RunChannelAsync(account, stop.Token);
            lock (_running) _running[account.Address] = new Running(account, stop, task);
            logger.LogInformation("Change channel of {Mailbox} started", account.Address);
        }
    }

    private async Task RunChannelAsync(MailboxAccount account, CancellationToken ct)
    {
        await Task.Yield();
        var started = DateTime.UtcNow;
        try
        {
            await using var channel = channels.Create(account);
            await channel.RunAsync((folder, token) => CatchUpAsync(account, [folder], token), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (NeedsSignInException e)
        {
            // The next check leaves it stopped until the user signs in again.
            logger.LogWarning("Change channel of {Mailbox} refused: {Error}", account.Address, e.Message);
            try { await signIn.MarkAsync(e.CrmUserId ?? account.CrmUserId, e.Message, started, CancellationToken.None); }
            catch (Exception mark) { logger.LogError("Could not mark CRM user {CrmUserId} as needing sign-in: {Error}", account.CrmUserId, mark.Message); }
        }
        catch (Exception e)
        {
            // The next check starts it again (and catches up).
            logger.LogWarning("Change channel of {Mailbox} failed: {Error}", account.Address, e.Message);
        }
    }

    private async Task CatchUpAsync(MailboxAccount account, IEnumerable<SyncFolder> folders, CancellationToken ct)
    {
        foreach (var folder in folders.Where(WatchedFolders.Contains))
            await queue.EnqueueAsync(SyncJobs.Feed(new SyncJobs.FeedPayload(account.CrmUserId, account.Address, folder)), ct);
        signal.Notify();
    }

    private async Task StopAsync(Running r)
    {
        await r.Stop.CancelAsync();
        try { await r.Task; } catch (OperationCanceledException) { }
        r.Stop.Dispose();
        try { await leases.ReleaseAsync(r.Account.Address, _owner); }
        catch (Exception e) { logger.LogWarning("Could not release the channel lease of {Mailbox}: {Error}", r.Account.Address, e.Message); }
    }
}
