using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Transport;

/// <summary>Per-call routing headers for a group of subscriptions that must stay on one mailbox server.</summary>
public sealed record EwsAffinity(string AnchorMailbox, string? BackEndOverrideCookie = null);

/// <summary>
/// Sends SOAP requests: the schema version (with a one-time fallback to Exchange 2010 SP2), credentials, affinity
/// headers, throttling waits. Ordinary calls and the hanging stream use separate connection pools so a long
/// GetStreamingEvents never holds up a CreateItem.
/// </summary>
public sealed class EwsTransport : IDisposable
{
    private readonly EwsConnectionOptions _options;
    private readonly EwsHttp _http;
    private readonly HttpClient _calls;
    private readonly HttpClient _stream;

    public EwsTransport(EwsConnectionOptions options)
    {
        _options = options;
        _http = new EwsHttp(options);
        _calls = _http.CreateClient(options.RequestTimeout);
        _stream = _http.CreateClient(Timeout.InfiniteTimeSpan); // the stream is watched by its own heartbeat watchdog
    }

    /// <summary>The version requests are sent with; drops to Exchange2010_SP2 once a server refuses 2013 SP1.</summary>
    public ExchangeVersion Version { get; private set; } = ExchangeVersion.Exchange2013_SP1;

    public Uri Endpoint => _options.Endpoint;

    /// <summary>Sends one operation and returns the operation's response element (Body child).</summary>
    public Task<XElement> SendAsync(XElement operation, EwsAffinity? affinity = null, CancellationToken ct = default) =>
        SendAsync(_ => operation, affinity, ct);

    /// <summary>Sends an operation whose content depends on the schema version (built again after a version fallback).</summary>
    public async Task<XElement> SendAsync(Func<ExchangeVersion, XElement> operation, EwsAffinity? affinity = null, CancellationToken ct = default)
    {
        var (body, _) = await SendWithHeadersAsync(operation, affinity, ct);
        return body;
    }

    /// <summary>Like <see cref="SendAsync(XElement, EwsAffinity?, CancellationToken)"/>, also returning the affinity
    /// cookie the server set (Subscribe on the anchor).</summary>
    /// <param name="impersonate">the mailbox to act as for this call (overrides the client's impersonation)</param>
    public Task<(XElement Body, string? BackEndCookie)> SendWithHeadersAsync(XElement operation, EwsAffinity? affinity, CancellationToken ct,
        string? impersonate = null) =>
        SendWithHeadersAsync(_ => operation, affinity, ct, impersonate);

    private async Task<(XElement Body, string? BackEndCookie)> SendWithHeadersAsync(Func<ExchangeVersion, XElement> operation,
        EwsAffinity? affinity, CancellationToken ct, string? impersonate = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = CreateRequest(operation(Version), affinity, impersonate);
                HttpResponseMessage sent;
                try { sent = await _calls.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct); }
                catch (HttpRequestException e) { throw _http.Explain(e); }
                using var response = sent;
                var document = await ReadEnvelopeAsync(response, ct);
                return (ResponseMessages.Body(document), BackEndCookie(response));
            }
            catch (EwsServerBusyException busy) when (attempt < _options.MaxThrottleRetries && busy.BackOff <= _options.MaxThrottleWait)
            {
                await Task.Delay(busy.BackOff, ct);
            }
            catch (EwsException e) when (IsVersionRefusal(e) && Version != ExchangeVersion.Exchange2010_SP2)
            {
                Version = ExchangeVersion.Exchange2010_SP2;
            }
        }
    }

    /// <summary>Starts a hanging request on the stream pool and returns the open response (headers read, body streaming).</summary>
    internal async Task<HttpResponseMessage> OpenStreamAsync(XElement operation, EwsAffinity? affinity, CancellationToken ct)
    {
        using var request = CreateRequest(operation, affinity);
        HttpResponseMessage response;
        try
        {
            response = await _stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) { throw _http.Explain(e); }
        if (response.StatusCode == HttpStatusCode.OK) return response;
        using (response) await ReadEnvelopeAsync(response, ct); // throws the matching error
        throw new EwsException("ErrorInternalServerError", $"GetStreamingEvents answered HTTP {(int)response.StatusCode}.");
    }

    private HttpRequestMessage CreateRequest(XElement operation, EwsAffinity? affinity, string? impersonate = null)
    {
        var document = Envelope.Build(operation, Version, impersonate ?? _options.ImpersonatedSmtpAddress);
        var xml = document.Declaration + document.Root!.ToString(SaveOptions.DisableFormatting);
        var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint)
        {
            Content = new StringContent(xml, Encoding.UTF8, "text/xml"),
            Version = HttpVersion.Version11,
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/xml"));
        _http.Authorize(request);
        if (affinity is not null)
        {
            request.Headers.Add("X-AnchorMailbox", affinity.AnchorMailbox);
            request.Headers.Add("X-PreferServerAffinity", "true");
            if (affinity.BackEndOverrideCookie is not null)
                request.Headers.Add("Cookie", $"X-BackEndOverrideCookie={affinity.BackEndOverrideCookie}");
        }
        return request;
    }

    private async Task<XDocument> ReadEnvelopeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized) throw _http.Unauthorized();
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            var wait = response.Headers.RetryAfter?.Delta
                       ?? (response.Headers.RetryAfter?.Date is { } at ? at - DateTimeOffset.UtcNow : (TimeSpan?)null)
                       ?? TimeSpan.FromSeconds(5);
            throw new EwsServerBusyException("HTTP503", $"{_options.Endpoint.Host} is unavailable (HTTP 503).", wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }
        var text = await response.Content.ReadAsStringAsync(ct);
        // EWS reports faults (including ErrorServerBusy) with HTTP 500 and a SOAP body; anything else without XML is transport.
        if (!text.TrimStart().StartsWith('<'))
            throw new EwsException($"HTTP{(int)response.StatusCode}", $"{_options.Endpoint.Host} answered HTTP {(int)response.StatusCode} without a SOAP body.");
        return XDocument.Parse(text);
    }

    private static string? BackEndCookie(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies)) return null;
        foreach (var cookie in cookies)
        {
            const string name = "X-BackEndOverrideCookie=";
            if (!cookie.StartsWith(name, StringComparison.OrdinalIgnoreCase)) continue;
            var end = cookie.IndexOf(';');
            return end < 0 ? cookie[name.Length..] : cookie[name.Length..end];
        }
        return null;
    }

    private static bool IsVersionRefusal(EwsException e) =>
        e.ResponseCode == EwsResponseCodes.ErrorInvalidServerVersion
        || (e.ResponseCode == "ErrorSchemaValidation" && e.Message.Contains("RequestServerVersion", StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        _calls.Dispose();
        _stream.Dispose();
    }
}
