using Connector.Core.Settings;
using Connector.Core.Users;
using Connector.Exchange.Common.Tls;
using Connector.Exchange.Graph.Auth;
using Connector.Storage.OAuth;
using Connector.Storage.Settings;
using Connector.Storage.Users;

namespace Connector.Api.Features.OAuth;

/// <summary>The one HttpClient for calls to Exchange and its authority, validating TLS with the extra CA bundle
/// (<c>Connector:ExtraCaBundlePath</c>).</summary>
public sealed class ExchangeHttp(HttpClient client)
{
    public HttpClient Client { get; } = client;
}

/// <summary>A user's MSAL token cache in <c>exc_users.token_cache_protected</c> (encrypted by <see cref="UserStore"/>).</summary>
public sealed class UserTokenCacheStore(UserStore users) : IUserTokenCacheStore
{
    public Task<byte[]?> LoadAsync(int crmUserId, CancellationToken cancellationToken) => users.GetTokenCacheAsync(crmUserId, cancellationToken);
    public Task SaveAsync(int crmUserId, byte[] cache, CancellationToken cancellationToken) => users.SetTokenCacheAsync(crmUserId, cache, cancellationToken);
    public Task MarkNeedsSignInAsync(int crmUserId, string reason, CancellationToken cancellationToken) =>
        users.SetStateAsync(crmUserId, UserState.NeedsSignIn, reason, cancellationToken);
}

/// <summary>Builds MSAL sign-in from the current settings (tenant, client, secret, authority host can change at runtime).</summary>
public sealed class GraphSignInFactory(SettingsStore settings, ExchangeHttp http, IUserTokenCacheStore caches)
{
    /// <summary>The sign-in for the configured app, or the name of the missing setting.</summary>
    public async Task<(DelegatedSignIn? SignIn, string? Missing)> CreateAsync(CancellationToken ct)
    {
        var options = await OptionsAsync(ct);
        return options.Missing is not null ? (null, options.Missing) : (new DelegatedSignIn(options.Options!, http.Client, caches), null);
    }

    public async Task<(GraphAuthOptions? Options, string? Missing)> OptionsAsync(CancellationToken ct)
    {
        var stored = await settings.GetAsync(ct);
        var s = stored.Settings;
        if (s.ExchangeKind != ExchangeKind.Microsoft365) return (null, "exchangeKind");
        if (string.IsNullOrWhiteSpace(s.TenantId)) return (null, "tenantId");
        if (string.IsNullOrWhiteSpace(s.ClientId)) return (null, "clientId");
        var secret = await settings.GetClientSecretAsync(ct);
        if (string.IsNullOrEmpty(secret)) return (null, "clientSecret");
        return (new GraphAuthOptions
        {
            AuthorityHost = new Uri(s.AuthorityHost), TenantId = s.TenantId, ClientId = s.ClientId, ClientSecret = secret,
            GraphResource = GraphResourceFor(s.GraphBaseUrl),
        }, null);
    }

    // Scopes name Graph's public resource unless the admin points graphBaseUrl at a national cloud.
    private static string GraphResourceFor(string graphBaseUrl) =>
        Uri.TryCreate(graphBaseUrl, UriKind.Absolute, out var u) && u.Host.EndsWith("microsoft.us", StringComparison.OrdinalIgnoreCase) ||
        graphBaseUrl.Contains("chinacloudapi", StringComparison.OrdinalIgnoreCase)
            ? new Uri(graphBaseUrl).GetLeftPart(UriPartial.Authority) : ConnectorSettings.PublicGraphBaseUrl;
}

public static class GraphSignInRegistration
{
    public static IServiceCollection AddGraphSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => new ExchangeHttp(TrustedHttp.CreateClient(ExtraCaTrust.FromPemFile(configuration[ExtraCaTrust.ConfigurationKey]))));
        services.AddSingleton<OAuthPendingStore>();
        services.AddSingleton<IUserTokenCacheStore, UserTokenCacheStore>();
        services.AddSingleton<GraphSignInFactory>();
        services.AddSingleton<GraphConnections>();
        services.AddSingleton<Connector.Storage.Graph.GraphSubscriptionStore>();
        services.AddSingleton<Connector.Api.Workers.IJobHandler, GraphNotifications.GraphSubscriptionHandler>();
        return services;
    }
}
