using Connector.Api.Workers;
using Connector.Storage.Jobs;

namespace Connector.Api.Tests.Jobs;

public sealed class ScheduleWorkerTests : ApiTestBase
{
    // Change channels would initialise a newly enabled user on their own; keep them out so only the schedule queues.
    protected override IDictionary<string, string?>? HostSettings => new Dictionary<string, string?> { ["Connector:Sync:ChannelCheckSeconds"] = "3600" };

    [Fact]
    public async Task The_schedules_requeue_failed_items_and_initialise_enabled_users()
    {
        await Admin.PutAsync("/api/v1/settings", Json("""
            {"exchangeKind":"onPremises","ewsUrl":"https://mail.example.com/EWS/Exchange.asmx",
             "errorCheckSchedule":"*/10 * * * *","userInitSchedule":"0 3 * * *"}
            """));
        await Admin.PutAsync("/api/v1/users/5/preferences", Json("""{"enabled":true,"mailbox":"anna@example.com","authMethod":"basic","username":"anna"}"""));
        await Admin.PutAsync("/api/v1/users/6/preferences", Json("""{"enabled":false}"""));
        var queue = Host.App.Services.GetRequiredService<JobQueue>();
        var failed = await queue.EnqueueAsync(new NewJob("nobody.handles.this", "{}"));
        await queue.ClaimAsync("w", 10, kinds: ["nobody.handles.this"]);
        await queue.FailAsync(failed, "boom", permanent: true);
        var schedules = Host.App.Services.GetRequiredService<ScheduleWorker>();
        var day = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

        // 02:55 -> 02:59: neither schedule fires.
        await schedules.TickAsync(day.AddMinutes(175), day.AddMinutes(179), CancellationToken.None);
        Assert.Single(await queue.ListFailedAsync());

        // 02:59 -> 03:00: both fire.
        await schedules.TickAsync(day.AddMinutes(179), day.AddMinutes(180), CancellationToken.None);
        Assert.Empty(await queue.ListFailedAsync());
        // The sync engine's handler may already have run it: the queued job counts in any state.
        await using var connection = await Database.OpenAsync();
        var init = await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT payload FROM exc_jobs WHERE kind = @kind",
            new { kind = ScheduleWorker.UserInitializeKind });
        Assert.Equal(["""{"crmUserId":5}"""], init);
    }
}
