using System.Globalization;
using System.Text.Json;
using Connector.Core.Users;
using Connector.Storage.Database;
using Connector.Storage.Jobs;
using Connector.Storage.Users;
using Connector.Sync.Ports;
using Dapper;

namespace Connector.Api.Features.Sync;

/// <summary>
/// What happens when Exchange refuses a user's sign-in (a Graph refresh token that no longer works, an EWS 401 for a wrong
/// or expired password): the user goes to NeedsSignIn with the server's reason, their jobs wait instead of failing or
/// retrying hot (each parked with a long delay and a recognisable error), their channel stops (see
/// <see cref="ChannelSupervisor"/>), and EWS is not asked again with the refused password (<see cref="EwsConnections"/>),
/// so an account is not locked out by the connector. When the user saves credentials again the state is Active, the
/// supervisor starts the channel (catching up) and wakes the parked jobs: the waiting changes flow.
/// </summary>
public sealed class SignInWaits(UserStore users, DbConnectionFactory db, ILogger<SignInWaits> logger)
{
    /// <summary>How long a parked job waits before it looks again by itself (a new sign-in wakes it at once).</summary>
    public static readonly TimeSpan ParkedRetry = TimeSpan.FromMinutes(15);

    /// <summary>The start of a parked job's error: "Waiting for CRM user 5 to sign in again: …".</summary>
    public static string Prefix(int crmUserId) => string.Create(CultureInfo.InvariantCulture, $"Waiting for CRM user {crmUserId} to sign in again: ");

    /// <summary>
    /// Puts an enabled, active user into NeedsSignIn with the reason, unless their preferences were saved after
    /// <paramref name="attemptStartedUtc"/> (the refusal then answered credentials that are already replaced). A disabled
    /// user stays disabled. True when the user is (now) waiting for a sign-in.
    /// </summary>
    public async Task<bool> MarkAsync(int crmUserId, string reason, DateTime attemptStartedUtc, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var marked = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_users SET state = @needsSignIn, state_reason = @reason, updated_at = UTC_TIMESTAMP(6)
            WHERE crm_user_id = @crmUserId AND state = @active AND updated_at <= @attemptStartedUtc
            """, new
        {
            crmUserId, reason = reason.Length > 1000 ? reason[..1000] : reason, attemptStartedUtc,
            needsSignIn = nameof(UserState.NeedsSignIn), active = nameof(UserState.Active),
        }, cancellationToken: ct)) > 0;
        if (marked) logger.LogWarning("CRM user {CrmUserId} needs to sign in again: {Reason}", crmUserId, reason);
        return marked || (await users.GetAsync(crmUserId, ct))?.State == UserState.NeedsSignIn;
    }

    /// <summary>The user a refused sign-in belongs to: named by the adapter, else the job's user (feed and item jobs).</summary>
    public static int? UserOf(NeedsSignInException e, string payload) => e.CrmUserId ?? UserOfPayload(payload);

    /// <summary>
    /// The job's failure for a refused sign-in of <paramref name="crmUserId"/>: the user is marked and the job parked
    /// (retried after <see cref="ParkedRetry"/>, or when woken); a job that started before the user's credentials were
    /// saved anew is retried at once.
    /// </summary>
    public async Task<Exception> ParkAsync(int crmUserId, NeedsSignInException e, DateTime attemptStartedUtc, CancellationToken ct)
    {
        // New credentials arrived while this job ran with the old ones: try again with them soon instead of waiting.
        if (!await MarkAsync(crmUserId, e.Message, attemptStartedUtc, ct)
            && await users.GetAsync(crmUserId, ct) is { } user && user.UpdatedAt > attemptStartedUtc)
            return new Workers.JobRetryException(e.Message, TimeSpan.FromSeconds(1), e);
        return new Workers.JobRetryException(Prefix(crmUserId) + e.Message, ParkedRetry, e);
    }

    /// <summary>Makes the user's parked jobs due now, with fresh attempts (also the ones that ran out of them meanwhile).</summary>
    public async Task<int> WakeAsync(int crmUserId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_jobs SET state = 'Pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6)
            WHERE state IN ('Pending', 'Failed') AND last_error LIKE @prefix
            """, new { prefix = Prefix(crmUserId) + "%" }, cancellationToken: ct));
    }

    private static int? UserOfPayload(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("crmUserId", out var id) && id.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException) { return null; }
    }
}
