using Connector.Exchange.Graph.Http;
using Microsoft.Identity.Client;

namespace Connector.Exchange.Graph.Auth;

/// <summary>Application permissions (client credentials) with a client secret or a certificate; MSAL caches the token.</summary>
public sealed class AppOnlyTokenSource : IAccessTokenSource
{
    private readonly IConfidentialClientApplication _app;
    private readonly string[] _scopes;

    public AppOnlyTokenSource(GraphAuthOptions options, HttpClient http)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(options.ClientId)
            .WithAuthority(options.Authority)
            .WithInstanceDiscovery(options.IsWellKnownHost)
            .WithHttpClientFactory(new MsalHttpClientFactory(http));
        builder = options.Certificate is { } certificate ? builder.WithCertificate(certificate, sendX5C: true)
            : builder.WithClientSecret(options.ClientSecret ?? throw new InvalidOperationException("App-only sign-in needs a client secret or a certificate."));
        _app = builder.Build();
        _scopes = options.AppScopes;
    }

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken) =>
        (await _app.AcquireTokenForClient(_scopes).ExecuteAsync(cancellationToken)).AccessToken;
}
