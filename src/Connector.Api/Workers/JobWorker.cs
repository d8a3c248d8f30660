using Connector.Api.Hosting;
using Connector.Storage.Jobs;

namespace Connector.Api.Workers;

/// <summary>
/// Claims due jobs of the kinds this instance has handlers for and runs them, a few at a time. Idle cost is one small
/// query per poll interval; a local enqueue wakes it at once.
/// </summary>
public sealed class JobWorker(JobQueue queue, IEnumerable<IJobHandler> handlers, JobSignal signal, MigrationStatus migrations,
    IConfiguration configuration, ILogger<JobWorker> logger) : BackgroundService
{
    // A short lease renewed by a heartbeat: a crashed instance's jobs are taken over within one lease, a slow job is not.
    private readonly TimeSpan _lease = TimeSpan.FromSeconds(configuration.GetValue("Connector:Jobs:LeaseSeconds", 60.0));
    private readonly HashSet<long> _runningIds = [];
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    // Jobs mostly wait on I/O (MariaDB, Exchange, vtenext), so more run at once than there are cores.
    private readonly int BatchSize = Math.Max(1, configuration.GetValue("Connector:Jobs:Concurrency", 16));
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind);
    private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^16];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0) return;
        await migrations.Applied.WaitAsync(stoppingToken);
        _ = HeartbeatAsync(stoppingToken);
        // Up to BatchSize jobs run at a time, and a free slot is filled at once: a slow job (a lock wait, a throttled
        // mailbox) no longer holds back the claim of the next ones (the benchmark's end-to-end latency showed it).
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            IReadOnlyList<Job> jobs = [];
            if (running.Count < BatchSize)
            {
                try
                {
                    jobs = await queue.ClaimAsync(_worker, BatchSize - running.Count, _lease, kinds: _handlers.Keys, cancellationToken: stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Could not claim jobs: {Error}", e.Message);
                }
                foreach (var job in jobs) running.Add(RunAsync(job, stoppingToken));
            }
            if (jobs.Count > 0 && running.Count < BatchSize) continue;
            await WaitForWorkAsync(running, stoppingToken);
        }
        await Task.WhenAll(running);
    }

    /// <summary>Until something was enqueued here, a running job finished, or the idle poll is due.</summary>
    private async Task WaitForWorkAsync(List<Task> running, CancellationToken stoppingToken)
    {
        if (running.Count == 0) { await signal.WaitAsync(IdlePoll, stoppingToken); return; }
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var wake = signal.WaitAsync(IdlePoll, stopWaiting.Token);
        await Task.WhenAny(wake, Task.WhenAny(running));
        await stopWaiting.CancelAsync(); // a cancelled wait takes no signal, so none is lost
        try { await wake; }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
    }

    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(_lease / 3, stoppingToken);
                long[] ids;
                lock (_runningIds) ids = _runningIds.ToArray();
                try { await queue.RenewAsync(ids, _worker, _lease, stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning("Could not renew job leases: {Error}", e.Message); }
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task RunAsync(Job job, CancellationToken stoppingToken)
    {
        lock (_runningIds) _runningIds.Add(job.Id);
        try
        {
            await _handlers[job.Kind].HandleAsync(job, stoppingToken);
            await queue.CompleteAsync(job.Id, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease lapses and another worker (or this one after restart) takes the job again.
        }
        catch (Exception e)
        {
            var (retryAfter, permanent) = e switch
            {
                JobRetryException r => (r.RetryAfter, false),
                JobPermanentException => (null, true),
                // InnoDB rolled this job's statement back to break a lock cycle: run it again soon, not after a backoff.
                _ when Connector.Storage.Database.Deadlocks.IsRetryable(e) || e.InnerException is { } inner && Connector.Storage.Database.Deadlocks.IsRetryable(inner)
                    => (TimeSpan.FromMilliseconds(Random.Shared.Next(20, 200)), false),
                _ => ((TimeSpan?)null, false),
            };
            logger.LogWarning("Job {Id} ({Kind}) attempt {Attempt} failed: {Error}", job.Id, job.Kind, job.Attempts + 1, e.Message);
            await queue.FailAsync(job.Id, e.Message, retryAfter, permanent, CancellationToken.None);
        }
        finally
        {
            lock (_runningIds) _runningIds.Remove(job.Id);
        }
    }
}
