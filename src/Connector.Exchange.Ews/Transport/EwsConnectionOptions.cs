using System.Net;
using Connector.Exchange.Common.Tls;

namespace Connector.Exchange.Ews.Transport;

/// <summary>Where and how to reach one Exchange server's EWS endpoint.</summary>
public sealed class EwsConnectionOptions
{
    public required Uri Endpoint { get; init; }
    public required EwsCredentials Credentials { get; init; }

    /// <summary>
    /// Set when a service account acts for the user through ExchangeImpersonation (then one account can carry many
    /// users' subscriptions on one streaming connection); null when the user's own credentials are used.
    /// </summary>
    public string? ImpersonatedSmtpAddress { get; init; }

    /// <summary>Which CAs are trusted: the system's, plus an internal CA from the extra CA bundle. Validation is always on.</summary>
    public ExtraCaTrust Trust { get; init; } = ExtraCaTrust.SystemOnly;

    /// <summary>Wraps the handler chain (diagnostics, tests that inspect every request).</summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? WrapHandler { get; init; }

    /// <summary>How long one ordinary call may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How often we retry a throttled call, and the longest single wait we accept before giving up.</summary>
    public int MaxThrottleRetries { get; init; } = 4;
    public TimeSpan MaxThrottleWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws unless the endpoint is https, or http to a loopback address (the simulator).</summary>
    public void Validate()
    {
        if (Endpoint.Scheme == Uri.UriSchemeHttps) return;
        if (Endpoint.Scheme == Uri.UriSchemeHttp && IsLoopback(Endpoint)) return;
        throw new ArgumentException($"EWS endpoint {Endpoint} must use https (plain http is allowed only to a loopback address).", nameof(Endpoint));
    }

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
}
