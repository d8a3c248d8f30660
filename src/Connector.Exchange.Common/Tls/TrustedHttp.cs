using System.Security.Authentication;

namespace Connector.Exchange.Common.Tls;

/// <summary>
/// Builds the HTTP handlers every Exchange call goes through (Graph, EWS, MSAL's token requests), validating server
/// certificates with <see cref="ExtraCaTrust"/>. A TLS failure surfaces as <see cref="TlsTrustException"/> naming the
/// server, so an admin sees which host's certificate to look at.
/// </summary>
public static class TrustedHttp
{
    public static SocketsHttpHandler CreateSocketsHandler(ExtraCaTrust trust) => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => trust.Validate(certificate, chain, errors) },
        PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follow DNS changes of the Exchange endpoints
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };

    /// <summary>The sockets handler wrapped so TLS failures name the server.</summary>
    public static HttpMessageHandler CreateHandler(ExtraCaTrust trust) =>
        new TlsErrorNamingHandler { InnerHandler = CreateSocketsHandler(trust) };

    public static HttpClient CreateClient(ExtraCaTrust trust, TimeSpan? timeout = null) =>
        new(CreateHandler(trust)) { Timeout = timeout ?? TimeSpan.FromSeconds(100) };

    private sealed class TlsErrorNamingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (e.InnerException is AuthenticationException tls)
            {
                throw new TlsTrustException(request.RequestUri?.GetLeftPart(UriPartial.Authority) ?? "(unknown server)", tls);
            }
        }
    }
}

public sealed class TlsTrustException(string server, Exception inner) : HttpRequestException(
    $"The TLS certificate of {server} is not trusted ({inner.Message}). Install the server's CA in the system store " +
    $"or list it in the PEM bundle configured as {ExtraCaTrust.ConfigurationKey}.", inner)
{
    public string Server { get; } = server;
}
