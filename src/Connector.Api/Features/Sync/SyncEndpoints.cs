using Connector.Api.Security;
using Connector.Api.Workers;
using Connector.Storage.Jobs;
using Connector.Storage.Users;
using Connector.Sync.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Connector.Api.Features.Sync;

/// <summary>A user's synchronisation: progress and last error, and starting an initialisation. Self or admin.</summary>
public static class SyncEndpoints
{
    public static RouteGroupBuilder MapSync(this RouteGroupBuilder api)
    {
        var user = api.MapGroup("/users/{crmUserId:int}").WithTags("Sync").RequireSelfOrAdmin();
        user.MapGet("/status", StatusAsync).WithName("GetSyncStatus")
            .WithSummary("Where the user's synchronisation stands: channel, linked items, initialisation progress, last error.");
        user.MapPost("/initialize", InitializeAsync).WithName("InitializeUser")
            .WithSummary("Queue an initial sync of the user's mailbox (no invitations are sent for existing items).");
        return user;
    }

    private static async Task<Results<Ok<UserSyncStatus>, ProblemHttpResult>> StatusAsync(int crmUserId, UserStore users, LinkStore links,
        ChannelLeaseStore leases, InitRunStore runs, CancellationToken ct)
    {
        if (await users.GetAsync(crmUserId, ct) is not { } user) return NotFound(crmUserId);
        var mailbox = user.Preferences.Mailbox;
        var progress = await runs.LatestAsync(crmUserId, ct);
        var init = progress is null ? null : new InitializationStatus(progress.RunId, Camel(progress.State), progress.Items, progress.Done,
            progress.Failed, progress.Percent, progress.ItemsByKind.ToDictionary(k => Camel(k.Key), k => k.Value), progress.StartedAt,
            progress.FinishedAt, progress.LastError);
        return TypedResults.Ok(new UserSyncStatus(crmUserId, user.Preferences.Enabled, Camel(user.State), user.StateReason,
            mailbox is not null && await leases.HolderAsync(mailbox, ct) is not null,
            mailbox is null ? 0 : await links.CountAsync(mailbox, ct),
            init, progress?.LastError ?? user.StateReason));
    }

    private static async Task<Results<Accepted<UserSyncStatus>, ProblemHttpResult>> InitializeAsync(int crmUserId, UserStore users, JobQueue queue,
        JobSignal signal, CancellationToken ct)
    {
        if (await users.GetAsync(crmUserId, ct) is not { } user) return NotFound(crmUserId);
        if (!user.Preferences.Enabled || string.IsNullOrWhiteSpace(user.Preferences.Mailbox))
            return TypedResults.Problem($"CRM user {crmUserId} is not enabled for synchronisation (or has no mailbox).", statusCode: 409,
                title: "Not enabled");
        await queue.EnqueueAsync(ScheduleWorker.UserInitialization(crmUserId), ct);
        signal.Notify();
        return TypedResults.Accepted($"/api/v1/users/{crmUserId}/status", (UserSyncStatus?)null);
    }

    private static ProblemHttpResult NotFound(int crmUserId) =>
        TypedResults.Problem($"CRM user {crmUserId} has no connector preferences.", statusCode: 404, title: "Not found");

    private static string Camel<T>(T value) where T : Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

/// <summary>A user's synchronisation as the control panel shows it.</summary>
public sealed record UserSyncStatus(int CrmUserId, bool Enabled, string State, string? StateReason, bool ChannelRunning, int LinkedItems,
    InitializationStatus? Initialization, string? LastError);

/// <summary>The latest initialisation: items planned, done and failed per kind, percent, last error.</summary>
public sealed record InitializationStatus(long RunId, string State, int Items, int Done, int Failed, int Percent,
    IReadOnlyDictionary<string, int> ItemsByKind, DateTime StartedAt, DateTime? FinishedAt, string? LastError);
