using Connector.Api.Hosting;
using Connector.Storage.Jobs;

namespace Connector.Api.Workers;

/// <summary>
/// Claims due jobs of the kinds this instance has handlers for and runs them, a few at a time. Idle cost is one small
/// query per poll interval; a local enqueue wakes it at once.
/// </summary>
public sealed class JobWorker(JobQueue queue, IEnumerable<IJobHandler> handlers, JobSignal signal, MigrationStatus migrations,
    ILogger<JobWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private const int BatchSize = 8;
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind);
    private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^16];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0) return;
        await migrations.Applied.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<Job> jobs;
            try
            {
                jobs = await queue.ClaimAsync(_worker, BatchSize, kinds: _handlers.Keys, cancellationToken: stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Could not claim jobs: {Error}", e.Message);
                jobs = [];
            }
            if (jobs.Count == 0)
            {
                await signal.WaitAsync(IdlePoll, stoppingToken);
                continue;
            }
            await Task.WhenAll(jobs.Select(job => RunAsync(job, stoppingToken)));
        }
    }

    private async Task RunAsync(Job job, CancellationToken stoppingToken)
    {
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
                _ => ((TimeSpan?)null, false),
            };
            logger.LogWarning("Job {Id} ({Kind}) attempt {Attempt} failed: {Error}", job.Id, job.Kind, job.Attempts + 1, e.Message);
            await queue.FailAsync(job.Id, e.Message, retryAfter, permanent, CancellationToken.None);
        }
    }
}
