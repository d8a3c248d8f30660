using System.Collections.Concurrent;
using Connector.Core.Users;
using Connector.Exchange.Graph.Auth;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Storage.Settings;
using Connector.Storage.Users;

namespace Connector.Api.Features.OAuth;

/// <summary>
/// Graph clients for users, from the current settings: <c>graphBaseUrl</c> for the API root, <c>authorityHost</c> /
/// tenant / client for MSAL; app-only tokens for users with authMethod "application", the user's own delegated
/// tokens otherwise. One transport per Graph root, so the per-mailbox concurrency limit holds across callers.
/// </summary>
public sealed class GraphConnections(SettingsStore settings, UserStore users, ExchangeHttp http, GraphSignInFactory signIn, IUserTokenCacheStore caches)
{
    private readonly ConcurrentDictionary<string, GraphTransport> _transports = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AppOnlyTokenSource> _appTokens = new(StringComparer.Ordinal);

    public async Task<GraphTransport> TransportAsync(CancellationToken ct)
    {
        var root = (await settings.GetAsync(ct)).Settings.GraphBaseUrl;
        return _transports.GetOrAdd(root, r => new GraphTransport(http.Client, new GraphClientOptions { GraphBaseUrl = new Uri(r) }));
    }

    public async Task<IAccessTokenSource> TokensForAsync(int crmUserId, CancellationToken ct)
    {
        var user = await users.GetAsync(crmUserId, ct) ?? throw new InvalidOperationException($"CRM user {crmUserId} has no connector preferences.");
        var (options, missing) = await signIn.OptionsAsync(ct);
        if (options is null) throw new InvalidOperationException($"Microsoft 365 is not configured: setting '{missing}' is missing.");
        if (user.Preferences.AuthMethod == AuthMethod.Application)
            return _appTokens.GetOrAdd($"{options.Authority}|{options.ClientId}|{options.ClientSecret?.GetHashCode()}", _ => new AppOnlyTokenSource(options, http.Client));
        return new DelegatedSignIn(options, http.Client, caches).ForUser(crmUserId);
    }

    public async Task<GraphMailboxClient> MailboxAsync(int crmUserId, CancellationToken ct)
    {
        var user = await users.GetAsync(crmUserId, ct) ?? throw new InvalidOperationException($"CRM user {crmUserId} has no connector preferences.");
        return new GraphMailboxClient(await TransportAsync(ct), await TokensForAsync(crmUserId, ct),
            user.Preferences.Mailbox ?? throw new InvalidOperationException($"CRM user {crmUserId} has no mailbox."));
    }

    public async Task<GraphSubscriptionsClient> SubscriptionsAsync(int crmUserId, CancellationToken ct) =>
        new(await TransportAsync(ct), await TokensForAsync(crmUserId, ct));
}
