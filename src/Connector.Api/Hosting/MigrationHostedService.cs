using Connector.Storage.Migrations;

namespace Connector.Api.Hosting;

/// <summary>Whether this instance has seen the schema brought up to date; workers wait on it.</summary>
public sealed class MigrationStatus
{
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Applied => _applied.Task;

    public bool IsApplied => _applied.Task.IsCompleted;

    internal void MarkApplied() => _applied.TrySetResult();
}

/// <summary>
/// Applies migrations at start-up. When the database is not reachable yet the service still starts (so
/// <c>/health/ready</c> can say why it is not ready) and keeps trying.
/// </summary>
public sealed class MigrationHostedService(MigrationRunner runner, MigrationStatus status, ILogger<MigrationHostedService> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // First attempt inline: in the normal case the API is ready as soon as it listens.
        if (await TryApplyAsync(cancellationToken)) return;
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && !status.IsApplied)
        {
            await Task.Delay(RetryDelay, stoppingToken);
            await TryApplyAsync(stoppingToken);
        }
    }

    private async Task<bool> TryApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await runner.ApplyAsync(cancellationToken);
            logger.LogInformation("Database schema at version {Version} ({Count} migration(s) applied now)",
                MigrationRunner.LatestVersion, applied.Count);
            status.MarkApplied();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("Could not apply database migrations, retrying in {Delay}: {Error}", RetryDelay, e.Message);
            return false;
        }
    }
}
