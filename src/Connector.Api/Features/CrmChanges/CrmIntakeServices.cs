using Connector.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.CrmChanges;

/// <summary>Drains the bridge's outbox on a short interval; idle cost is one indexed SELECT.</summary>
public sealed class OutboxDrainService(OutboxDrainer drainer, MigrationStatus migrations, IOptions<CrmIntakeOptions> options,
    ILogger<OutboxDrainService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(TimeSpan.FromSeconds(options.Value.OutboxDrainIntervalSeconds), migrations, logger, "draining the vtenext outbox",
            async ct => await drainer.DrainAsync(ct), stoppingToken);
}

/// <summary>Runs the incremental reconciliation on its interval and the full one on its own, longer interval.</summary>
public sealed class CrmReconcileService(CrmReconciler reconciler, MigrationStatus migrations,
    IOptions<CrmIntakeOptions> options, ILogger<CrmReconcileService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var fullEvery = TimeSpan.FromMinutes(options.Value.CrmFullReconcileIntervalMinutes);
        var lastFull = DateTimeOffset.MinValue;
        return Periodic.RunAsync(TimeSpan.FromSeconds(options.Value.CrmReconcileIntervalSeconds), migrations, logger, "reconciling vtenext changes",
            async ct =>
            {
                if (DateTimeOffset.UtcNow - lastFull >= fullEvery)
                {
                    await reconciler.RunFullAsync(ct);
                    lastFull = DateTimeOffset.UtcNow;
                }
                else await reconciler.RunIncrementalAsync(ct);
            }, stoppingToken);
    }
}

internal static class Periodic
{
    /// <summary>Runs <paramref name="work"/> every <paramref name="interval"/> once migrations are applied; a failure
    /// is logged and retried on the next tick (vtenext's database may be down for a while).</summary>
    public static async Task RunAsync(TimeSpan interval, MigrationStatus migrations, ILogger logger, string what,
        Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await migrations.Applied.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval);
            do
            {
                try
                {
                    await work(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Failed {What}, retrying in {Interval}: {Error}", what, interval, e.Message);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
