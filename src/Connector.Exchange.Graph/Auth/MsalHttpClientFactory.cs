using Microsoft.Identity.Client;

namespace Connector.Exchange.Graph.Auth;

/// <summary>Hands MSAL the connector's HttpClient, so token requests use the same TLS trust (extra CA bundle).</summary>
public sealed class MsalHttpClientFactory(HttpClient http) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => http;
}
