using Connector.Storage.Database;
using Connector.Storage.Secrets;
using Dapper;

namespace Connector.Storage.OAuth;

public sealed record PendingSignIn(string State, int CrmUserId, string RedirectUri, string CodeVerifier);

/// <summary>Sign-ins started and not yet redeemed. A state is used once: <see cref="TakeAsync"/> deletes it.</summary>
public sealed class OAuthPendingStore(DbConnectionFactory db, SecretProtector protector)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<DateTime> AddAsync(string state, int crmUserId, string redirectUri, string codeVerifier, CancellationToken cancellationToken = default)
    {
        var expiresAt = DateTime.UtcNow + Lifetime;
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM exc_oauth_pending WHERE expires_at < UTC_TIMESTAMP(6);
            INSERT INTO exc_oauth_pending (state, crm_user_id, redirect_uri, code_verifier_protected, created_at, expires_at)
            VALUES (@state, @crmUserId, @redirectUri, @verifier, UTC_TIMESTAMP(6), @expiresAt);
            """, new { state, crmUserId, redirectUri, verifier = protector.Protect(codeVerifier), expiresAt }, cancellationToken: cancellationToken));
        return expiresAt;
    }

    /// <summary>The pending sign-in for <paramref name="state"/>, removed so it cannot be replayed; null if unknown or expired.</summary>
    public async Task<PendingSignIn?> TakeAsync(string state, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string state, int crm_user_id, string redirect_uri, string code_verifier_protected, DateTime expires_at)>(
            new CommandDefinition("SELECT state, crm_user_id, redirect_uri, code_verifier_protected, expires_at FROM exc_oauth_pending WHERE state = @state FOR UPDATE",
                new { state }, transaction, cancellationToken: cancellationToken));
        if (row.state is null) return null;
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM exc_oauth_pending WHERE state = @state", new { state }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row.expires_at < DateTime.UtcNow ? null : new PendingSignIn(row.state, row.crm_user_id, row.redirect_uri, protector.Unprotect(row.code_verifier_protected));
    }
}
