using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Connector.Exchange.Common.Tls;

namespace Connector.Exchange.Ews.Transport;

/// <summary>
/// Builds the HTTP stack for one EWS endpoint: NTLM through <see cref="CredentialCache"/> (the handshake is per TCP
/// connection, which SocketsHttpHandler keeps), or Basic as a header. Certificates are always validated, against
/// the system roots plus the configured extra CA bundle (<see cref="EwsConnectionOptions.Trust"/>); nothing turns that off.
/// </summary>
internal sealed class EwsHttp
{
    private readonly EwsConnectionOptions _options;
    private SslPolicyErrors _lastTlsErrors;

    public EwsHttp(EwsConnectionOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>A client with its own connection pool (the stream gets one, ordinary calls another).</summary>
    public HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = TrustedHttp.CreateSocketsHandler(_options.Trust);
        handler.UseCookies = false; // the affinity cookie is set per request group, not kept in a shared jar
        handler.AllowAutoRedirect = false;
        if (_options.Credentials.Kind == EwsAuthKind.Ntlm)
        {
            var c = _options.Credentials;
            handler.Credentials = new CredentialCache
            {
                { _options.Endpoint, "NTLM", new NetworkCredential(c.UserName, c.Password, c.Domain ?? "") },
            };
        }
        // Remember why a certificate failed so the error can say it; the decision stays the platform's (or the host's).
        var inner = handler.SslOptions.RemoteCertificateValidationCallback;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, cert, chain, errors) =>
        {
            var ok = inner!(sender, cert, chain, errors);
            if (!ok) _lastTlsErrors = errors;
            return ok;
        };
        HttpMessageHandler top = handler;
        if (_options.WrapHandler is not null) top = _options.WrapHandler(top);
        return new HttpClient(top) { Timeout = timeout };
    }

    public void Authorize(HttpRequestMessage request)
    {
        var c = _options.Credentials;
        if (c.Kind != EwsAuthKind.Basic) return;
        var user = c.Domain is null ? c.UserName : $"{c.Domain}\\{c.UserName}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{c.Password}")));
    }

    /// <summary>Turns transport failures into errors that name the server and say what to do.</summary>
    public Exception Explain(HttpRequestException e)
    {
        if (e.InnerException is AuthenticationException tls)
            return new Soap.EwsTlsException(
                $"The TLS certificate of {_options.Endpoint.Host} was rejected ({Describe(_lastTlsErrors)}). " +
                $"Trust the issuing CA through the extra CA bundle ({ExtraCaTrust.ConfigurationKey}); certificate validation cannot be switched off.", tls);
        return e;
    }

    public Exception Unauthorized() => new Soap.EwsAuthenticationException(
        $"{_options.Endpoint.Host} refused the {_options.Credentials.Kind} credentials of {_options.Credentials.UserName}.");

    private static string Describe(SslPolicyErrors errors) => errors switch
    {
        SslPolicyErrors.None => "the TLS handshake failed",
        _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) => "the certificate does not name this host",
        _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) => "the certificate chain is not trusted or not valid",
        _ => errors.ToString(),
    };
}
