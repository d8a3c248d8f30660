using Connector.Exchange.Graph.Http;
using Microsoft.Identity.Client;

namespace Connector.Exchange.Graph.Auth;

/// <summary>Where a user's MSAL token cache lives (encrypted per user in MySQL) and how a failed refresh is recorded.</summary>
public interface IUserTokenCacheStore
{
    Task<byte[]?> LoadAsync(int crmUserId, CancellationToken cancellationToken);
    Task SaveAsync(int crmUserId, byte[] cache, CancellationToken cancellationToken);
    Task MarkNeedsSignInAsync(int crmUserId, string reason, CancellationToken cancellationToken);
}

/// <summary>
/// Delegated sign-in: authorization code + PKCE in a pop-up, then silent refreshes from the user's persisted token
/// cache. One MSAL application per operation, loaded from and saved to the user's own cache row, so users never
/// share a cache and several connector instances see the same tokens.
/// </summary>
public sealed class DelegatedSignIn(GraphAuthOptions options, HttpClient http, IUserTokenCacheStore caches)
{
    /// <summary>The sign-in URL for the pop-up, and the PKCE verifier to keep (encrypted) until the callback.</summary>
    public async Task<(Uri Url, string CodeVerifier)> BuildSignInUrlAsync(string redirectUri, string state, string? loginHint, CancellationToken ct)
    {
        var app = Build(redirectUri);
        var builder = app.GetAuthorizationRequestUrl(options.DelegatedScopes)
            .WithPkce(out var verifier)
            .WithExtraQueryParameters(new Dictionary<string, (string, bool)> { ["state"] = (state, false), ["response_mode"] = ("query", false) });
        if (!string.IsNullOrEmpty(loginHint)) builder = builder.WithLoginHint(loginHint);
        return (await builder.ExecuteAsync(ct), verifier);
    }

    /// <summary>Redeems the code from the callback; the resulting tokens land in the user's cache row.</summary>
    public async Task<AuthenticationResult> RedeemCodeAsync(int crmUserId, string code, string redirectUri, string codeVerifier, CancellationToken ct)
    {
        var app = Build(redirectUri);
        var saver = Attach(app, crmUserId, startEmpty: true);
        var result = await app.AcquireTokenByAuthorizationCode(options.DelegatedScopes, code).WithPkceCodeVerifier(codeVerifier).ExecuteAsync(ct);
        await saver.FlushAsync(ct);
        return result;
    }

    public IAccessTokenSource ForUser(int crmUserId) => new UserTokenSource(this, crmUserId);

    // One refresh per user at a time in this process: concurrent requests wait and then read the refreshed cache.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, SemaphoreSlim> UserLocks = new();

    private async Task<AuthenticationResult> AcquireSilentAsync(int crmUserId, CancellationToken ct)
    {
        var gate = UserLocks.GetOrAdd(crmUserId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try { return await AcquireSilentLockedAsync(crmUserId, ct); }
        finally { gate.Release(); }
    }

    private async Task<AuthenticationResult> AcquireSilentLockedAsync(int crmUserId, CancellationToken ct)
    {
        var app = Build(redirectUri: null);
        var saver = Attach(app, crmUserId, startEmpty: false);
        await saver.LoadAsync(ct);
        // Each user has a cache of their own holding exactly one account, so listing it is cheap and unambiguous.
#pragma warning disable CS0618
        var account = (await app.GetAccountsAsync()).FirstOrDefault();
#pragma warning restore CS0618
        if (account is null)
        {
            const string reason = "Microsoft 365 sign-in required: no stored sign-in for this user.";
            await caches.MarkNeedsSignInAsync(crmUserId, reason, ct);
            throw new SignInRequiredException(reason);
        }
        try
        {
            var result = await app.AcquireTokenSilent(options.DelegatedScopes, account).ExecuteAsync(ct);
            await saver.FlushAsync(ct);
            return result;
        }
        catch (MsalUiRequiredException e)
        {
            var reason = $"Microsoft 365 sign-in expired or was revoked ({e.ErrorCode}); the user must sign in again.";
            await caches.MarkNeedsSignInAsync(crmUserId, reason, ct);
            throw new SignInRequiredException(reason);
        }
    }

    private IConfidentialClientApplication Build(string? redirectUri)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(options.ClientId)
            .WithAuthority(options.Authority)
            .WithInstanceDiscovery(options.IsWellKnownHost)
            .WithHttpClientFactory(new MsalHttpClientFactory(http));
        if (redirectUri is not null) builder = builder.WithRedirectUri(redirectUri);
        builder = options.Certificate is { } certificate ? builder.WithCertificate(certificate, sendX5C: true)
            : builder.WithClientSecret(options.ClientSecret ?? throw new InvalidOperationException("Delegated sign-in needs the app's client secret or certificate."));
        return builder.Build();
    }

    // MSAL's cache callbacks are synchronous hooks; the cache is loaded before and saved after each call explicitly.
    private CacheBinding Attach(IConfidentialClientApplication app, int crmUserId, bool startEmpty)
    {
        var binding = new CacheBinding(caches, crmUserId, startEmpty);
        app.UserTokenCache.SetBeforeAccess(binding.BeforeAccess);
        app.UserTokenCache.SetAfterAccess(binding.AfterAccess);
        return binding;
    }

    private sealed class CacheBinding(IUserTokenCacheStore caches, int crmUserId, bool startEmpty)
    {
        private byte[]? _loaded;
        private byte[]? _changed;

        public async Task LoadAsync(CancellationToken ct) => _loaded = startEmpty ? null : await caches.LoadAsync(crmUserId, ct);

        public void BeforeAccess(TokenCacheNotificationArgs args)
        {
            if (_changed is not null) args.TokenCache.DeserializeMsalV3(_changed);
            else if (_loaded is not null) args.TokenCache.DeserializeMsalV3(_loaded);
        }

        public void AfterAccess(TokenCacheNotificationArgs args)
        {
            if (args.HasStateChanged) _changed = args.TokenCache.SerializeMsalV3();
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            if (_changed is not null) await caches.SaveAsync(crmUserId, _changed, ct);
        }
    }

    /// <summary>Keeps the current access token in memory until five minutes before it expires (MSAL's own margin),
    /// so a burst of Graph calls does not read the stored cache for every request.</summary>
    private sealed class UserTokenSource(DelegatedSignIn signIn, int crmUserId) : IAccessTokenSource
    {
        private (string Token, DateTimeOffset ExpiresOn)? _current;

        public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
        {
            if (_current is { } c && c.ExpiresOn - TimeSpan.FromMinutes(5) > DateTimeOffset.UtcNow) return c.Token;
            var result = await signIn.AcquireSilentAsync(crmUserId, cancellationToken);
            _current = (result.AccessToken, result.ExpiresOn);
            return result.AccessToken;
        }
    }
}
