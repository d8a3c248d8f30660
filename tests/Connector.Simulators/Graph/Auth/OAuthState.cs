using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Connector.Simulators.Graph.Auth;

/// <summary>An app registration: what <c>POST /_sim/apps</c> creates.</summary>
public sealed record AppRegistration(string TenantId, string ClientId, string? ClientSecret, X509Certificate2? Certificate,
    TimeSpan AccessTokenLifetime);

/// <summary>Who a bearer token speaks for: a user (delegated) or the app itself (app-only, <see cref="User"/> null).</summary>
public sealed record TokenGrant(string TenantId, string ClientId, string? User, DateTimeOffset ExpiresAt);

public sealed record PendingCode(string TenantId, string ClientId, string User, string RedirectUri, string? CodeChallenge,
    string? CodeChallengeMethod, string Scope, DateTimeOffset ExpiresAt);

/// <summary>
/// The authority's memory: registered apps, issued authorization codes (one use, 10 minutes), refresh tokens and
/// access tokens. Tokens are opaque random strings; Graph endpoints look them up here.
/// </summary>
public sealed class OAuthState(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, AppRegistration> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private readonly ConcurrentDictionary<string, (string TenantId, string ClientId, string User, string Scope)> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, TokenGrant> _accessTokens = new();
    private int _refreshGrants;

    public TimeProvider Clock => clock;

    /// <summary>How many refresh_token grants were redeemed (tests assert that a refresh really happened).</summary>
    public int RefreshGrants => _refreshGrants;

    public void AddApp(AppRegistration app) => _apps[app.ClientId] = app;

    public AppRegistration? FindApp(string? clientId) => clientId is null ? null : _apps.GetValueOrDefault(clientId);

    public string IssueCode(PendingCode code)
    {
        var value = NewToken("code");
        _codes[value] = code;
        return value;
    }

    public PendingCode? RedeemCode(string code) =>
        _codes.TryRemove(code, out var pending) && pending.ExpiresAt > clock.GetUtcNow() ? pending : null;

    public string IssueRefreshToken(string tenantId, string clientId, string user, string scope)
    {
        var value = NewToken("rt");
        _refreshTokens[value] = (tenantId, clientId, user, scope);
        return value;
    }

    /// <summary>Each use returns a new refresh token, and the old one stays valid until revoked — as Entra ID does
    /// (refresh-tokens.md: "old RTs are not revoked"), so two concurrent refreshes both succeed.</summary>
    public (string TenantId, string ClientId, string User, string Scope)? RedeemRefreshToken(string token)
    {
        if (!_refreshTokens.TryGetValue(token, out var grant)) return null;
        Interlocked.Increment(ref _refreshGrants);
        return grant;
    }

    /// <summary>Revokes a user's refresh and access tokens (password change / admin revoke): the next refresh fails.</summary>
    public int RevokeUser(string user)
    {
        var revoked = 0;
        foreach (var (key, value) in _refreshTokens)
            if (value.User.Equals(user, StringComparison.OrdinalIgnoreCase) && _refreshTokens.TryRemove(key, out _)) revoked++;
        foreach (var (key, value) in _accessTokens)
            if (string.Equals(value.User, user, StringComparison.OrdinalIgnoreCase) && _accessTokens.TryRemove(key, out _)) revoked++;
        return revoked;
    }

    public (string Token, TokenGrant Grant) IssueAccessToken(AppRegistration app, string? user)
    {
        var grant = new TokenGrant(app.TenantId, app.ClientId, user, clock.GetUtcNow() + app.AccessTokenLifetime);
        var value = NewToken("at");
        _accessTokens[value] = grant;
        return (value, grant);
    }

    public TokenGrant? FindAccessToken(string token) =>
        _accessTokens.TryGetValue(token, out var grant) && grant.ExpiresAt > clock.GetUtcNow() ? grant : null;

    private static string NewToken(string kind) => $"sim-{kind}-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
}
