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

    /// <summary>Puts an enabled, active user into NeedsSignIn with the reason (a disabled user stays disabled).</summary>
    public async Task MarkAsync(int crmUserId, string reason, CancellationToken ct)
    {
        if (await users.GetAsync(crmUserId, ct) is not { State: UserState.Active }) return;
        await users.SetStateAsync(crmUserId, UserState.NeedsSignIn, reason, ct);
        logger.LogWarning("CRM user {CrmUserId} needs to sign in again: {Reason}", crmUserId, reason);
    }

    /// <summary>
    /// The job's failure for a refused sign-in: the user is marked and the job parked (retried after
    /// <see cref="ParkedRetry"/>, or when woken). The user comes from the adapter, else from the job's payload.
    /// </summary>
    public async Task<Exception> ParkAsync(NeedsSignInException e, string payload, CancellationToken ct)
    {
        var crmUserId = e.CrmUserId ?? UserOfPayload(payload);
        if (crmUserId is not { } id) return e; // no user to wait for: an admin must look (permanent failure)
        await MarkAsync(id, e.Message, ct);
        return new Workers.JobRetryException(Prefix(id) + e.Message, ParkedRetry, e);
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
