using Connector.Api.Hosting;
using Connector.Core.Scheduling;
using Connector.Core.Settings;
using Connector.Storage.Jobs;
using Connector.Storage.Settings;
using Connector.Storage.Users;

namespace Connector.Api.Workers;

/// <summary>
/// Runs the control panel's schedules: the error check (failed items get another round) and user initialisation
/// (a <c>user.initialize</c> job per enabled user). Schedules are read from the settings each minute, so an admin's
/// change applies without a restart. Times are the server's local time, as cron users expect.
/// </summary>
public sealed class ScheduleWorker(SettingsStore settings, UserStore users, JobQueue queue, JobSignal signal, MigrationStatus migrations,
    TimeProvider clock, ILogger<ScheduleWorker> logger) : BackgroundService
{
    public const string UserInitializeKind = "user.initialize";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Applied.WaitAsync(stoppingToken);
        var lastTick = clock.GetLocalNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetLocalNow();
            try
            {
                await TickAsync(lastTick, now, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Schedule check failed: {Error}", e.Message);
            }
            lastTick = now;
            // Wake at the start of the next minute.
            var untilNextMinute = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
            await Task.Delay(untilNextMinute, clock, stoppingToken);
        }
    }

    /// <summary>Runs every schedule that fired in (<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async Task TickAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var current = (await settings.GetAsync(cancellationToken)).Settings;
        if (Fired(current.ErrorCheckSchedule, from, to))
        {
            var retried = await queue.RetryAllFailedAsync(cancellationToken);
            if (retried > 0) logger.LogInformation("Error check: {Count} failed item(s) queued again", retried);
        }
        if (Fired(current.UserInitSchedule, from, to))
        {
            foreach (var user in await users.ListAsync(cancellationToken))
                if (user.Preferences.Enabled)
                    await queue.EnqueueAsync(UserInitialization(user.Preferences.CrmUserId), cancellationToken);
        }
        signal.Notify();
    }

    public static NewJob UserInitialization(int crmUserId) =>
        new(UserInitializeKind, $$"""{"crmUserId":{{crmUserId}}}""", OrderingKey: $"user:{crmUserId}", DedupeKey: $"user.initialize:{crmUserId}");

    private static bool Fired(string expression, DateTimeOffset from, DateTimeOffset to) =>
        CronSchedule.TryParse(expression, out var schedule, out _) && schedule!.NextAfter(from) is { } next && next <= to;
}
