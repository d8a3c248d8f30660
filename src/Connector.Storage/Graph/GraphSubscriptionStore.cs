using System.Security.Cryptography;
using System.Text;
using Connector.Storage.Database;
using Dapper;

namespace Connector.Storage.Graph;

public sealed record StoredGraphSubscription(string SubscriptionId, int CrmUserId, string Mailbox, string Resource, DateTime ExpiresAt);

/// <summary>The Graph subscriptions the connector holds (<c>exc_graph_subscriptions</c>).</summary>
public sealed class GraphSubscriptionStore(DbConnectionFactory db)
{
    public async Task SaveAsync(StoredGraphSubscription s, string clientState, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_graph_subscriptions (subscription_id, crm_user_id, mailbox, resource, client_state_sha256, expires_at, created_at, updated_at)
            VALUES (@SubscriptionId, @CrmUserId, @Mailbox, @Resource, @Hash, @ExpiresAt, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE expires_at = VALUES(expires_at), client_state_sha256 = VALUES(client_state_sha256), updated_at = VALUES(updated_at)
            """, new { s.SubscriptionId, s.CrmUserId, s.Mailbox, s.Resource, Hash = Hash(clientState), s.ExpiresAt }, cancellationToken: cancellationToken));
    }

    public async Task<bool> RenewedAsync(string subscriptionId, DateTime expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_graph_subscriptions SET expires_at = @expiresAt, updated_at = UTC_TIMESTAMP(6) WHERE subscription_id = @subscriptionId",
            new { subscriptionId, expiresAt }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>The subscription, when <paramref name="clientState"/> is the one it was created with; null otherwise.</summary>
    public async Task<StoredGraphSubscription?> FindVerifiedAsync(string subscriptionId, string? clientState, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT * FROM exc_graph_subscriptions WHERE subscription_id = @subscriptionId", new { subscriptionId }, cancellationToken: cancellationToken));
        if (row is null || clientState is null) return null;
        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(row.client_state_sha256), SHA256.HashData(Encoding.UTF8.GetBytes(clientState)))
            ? row.ToModel() : null;
    }

    public async Task<IReadOnlyList<StoredGraphSubscription>> ListForUserAsync(int crmUserId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT * FROM exc_graph_subscriptions WHERE crm_user_id = @crmUserId", new { crmUserId }, cancellationToken: cancellationToken)))
            .Select(r => r.ToModel()).ToList();
    }

    public async Task DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM exc_graph_subscriptions WHERE subscription_id = @subscriptionId",
            new { subscriptionId }, cancellationToken: cancellationToken));
    }

    private static string Hash(string clientState) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(clientState)));

#pragma warning disable IDE1006 // column names
    private sealed record Row
    {
        public string subscription_id { get; init; } = "";
        public int crm_user_id { get; init; }
        public string mailbox { get; init; } = "";
        public string resource { get; init; } = "";
        public string client_state_sha256 { get; init; } = "";
        public DateTime expires_at { get; init; }
        public StoredGraphSubscription ToModel() => new(subscription_id, crm_user_id, mailbox, resource, DateTime.SpecifyKind(expires_at, DateTimeKind.Utc));
    }
#pragma warning restore IDE1006
}
