using Connector.Api.Hosting;
using Connector.Api.Workers;
using Connector.Storage.Jobs;
using Connector.Storage.Users;
using Connector.Sync.Engine;
using Connector.Sync.Engine.Series;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.Sync;

/// <summary><c>series.sync</c>: one series in one mailbox (queued for any change of its items or records, and by the extension schedule).</summary>
public sealed class SeriesSyncHandler(SeriesSynchronizer series, InitRunStore runs, JobSignal signal) : SyncJobHandler(runs, signal)
{
    public override string Kind => SeriesJobs.SeriesSync;

    protected override Task RunAsync(Job job, CancellationToken ct)
    {
        var p = SyncJobs.Deserialize<SeriesJobs.SeriesPayload>(job.Payload);
        return series.SyncSeriesAsync(p.Uid, new MailboxAccount(p.CrmUserId, p.Mailbox), p.MasterId, new SyncTrigger(p.Initial), ct);
    }
}

/// <summary>
/// <c>series.extend</c>: queues a <c>series.sync</c> for every series whose records end before today's horizon, so
/// series without end gain their next occurrences as time passes (each series fails or succeeds on its own).
/// </summary>
public sealed class SeriesExtendHandler(SeriesSynchronizer series, UserStore users, JobQueue queue, InitRunStore runs, JobSignal signal)
    : SyncJobHandler(runs, signal)
{
    public override string Kind => SeriesJobs.SeriesExtend;

    protected override async Task RunAsync(Job job, CancellationToken ct)
    {
        var directory = await MailboxDirectory.LoadAsync(users, ct);
        foreach (var link in await series.DueForExtensionAsync(ct))
            if (directory.OfAddress(link.Mailbox) is { } account)
                await queue.EnqueueAsync(SeriesJobs.Sync(new(account.CrmUserId, account.Address, link.CrmUid)), ct);
    }
}

/// <summary>Queues <c>series.extend</c> every <c>Connector:Sync:SeriesExtendSeconds</c> (default six hours; once at start).</summary>
public sealed class SeriesExtensionSchedule(JobQueue queue, JobSignal signal, MigrationStatus migrations, IOptions<SyncOptions> options,
    ILogger<SeriesExtensionSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Applied.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.2, options.Value.SeriesExtendSeconds)));
        do
        {
            try
            {
                await queue.EnqueueAsync(SeriesJobs.Extend(), stoppingToken);
                signal.Notify();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Queueing the series extension failed: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
