using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Exchange.Common.Tls;
using Connector.Exchange.Graph.Models;
using Polly;
using Polly.Retry;

namespace Connector.Exchange.Graph.Http;

/// <summary>
/// Every Graph request goes through here: bearer token, <c>Prefer</c> headers (UTC times, immutable ids), at most
/// <see cref="GraphClientOptions.MaxConcurrentPerMailbox"/> requests in flight per mailbox, and retries of
/// 429/503/504 and dropped connections that honour <c>Retry-After</c> (else exponential backoff), with jitter so
/// many mailboxes do not retry in lock-step. The slot is released while waiting to retry.
/// </summary>
public sealed class GraphTransport
{
    public const string PreferHeader = "outlook.timezone=\"UTC\", IdType=\"ImmutableId\"";

    private readonly HttpClient _http;
    private readonly GraphClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.OrdinalIgnoreCase);

    public GraphTransport(HttpClient http, GraphClientOptions options, TimeProvider? time = null)
    {
        _http = http;
        _options = options;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(e => e is not TlsTrustException)
                    .HandleResult(r => IsTransient(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result) is { } wait
                    ? (TimeSpan?)(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250))) // jitter on top, never below what was asked
                    : null),
                OnRetry = args => { args.Outcome.Result?.Dispose(); return ValueTask.CompletedTask; },
            })
            .Build();
    }

    public GraphClientOptions Options => _options;

    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Sends a request built fresh for every attempt. <paramref name="mailbox"/> keys the concurrency limit.</summary>
    public async Task<HttpResponseMessage> SendAsync(string mailbox, IAccessTokenSource tokens, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(mailbox, _ => new SemaphoreSlim(_options.MaxConcurrentPerMailbox));
        return await _retry.ExecuteAsync(async ct =>
        {
            var token = await tokens.GetAccessTokenAsync(ct);
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (!request.Headers.Contains("Prefer")) request.Headers.TryAddWithoutValidation("Prefer", PreferHeader);
            await slot.WaitAsync(ct);
            try { return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct); }
            finally { slot.Release(); }
        }, cancellationToken);
    }

    public async Task<T> SendJsonAsync<T>(string mailbox, IAccessTokenSource tokens, HttpMethod method, string url, object? body,
        CancellationToken cancellationToken, string? prefer = null)
    {
        using var response = await SendAsync(mailbox, tokens, () => Build(method, url, body, prefer), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(GraphJson.Options, cancellationToken))!;
    }

    /// <summary>Sends and checks the status; returns false for 404 (already gone) when <paramref name="notFoundIsFalse"/>.</summary>
    public async Task<bool> SendNoContentAsync(string mailbox, IAccessTokenSource tokens, HttpMethod method, string url, object? body,
        CancellationToken cancellationToken, bool notFoundIsFalse = false)
    {
        using var response = await SendAsync(mailbox, tokens, () => Build(method, url, body, null), cancellationToken);
        if (notFoundIsFalse && response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    public HttpRequestMessage Build(HttpMethod method, string url, object? body, string? prefer)
    {
        var request = new HttpRequestMessage(method, Absolute(url));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: GraphJson.Options);
        if (prefer is not null) request.Headers.TryAddWithoutValidation("Prefer", prefer);
        return request;
    }

    /// <summary>Relative paths are under the version root; nextLink/deltaLink are absolute and used as given.</summary>
    public Uri Absolute(string url) => Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
        ? absolute : new Uri(_options.VersionRoot, url.TrimStart('/'));

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        GraphError? error = null;
        try { error = (await response.Content.ReadFromJsonAsync<GraphErrorBody>(GraphJson.Options, cancellationToken))?.Error; }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException) { /* not a Graph error body */ }
        var message = error?.Message ?? response.ReasonPhrase ?? "no message";
        if (response.StatusCode == HttpStatusCode.Gone || error?.Code is "syncStateNotFound" or "resyncRequired" or "SyncStateNotFound")
            throw new SyncStateInvalidException(error?.Code, message);
        throw new GraphException(response.StatusCode, error?.Code, message, RetryAfter(response));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retry) return null;
        var wait = retry.Delta ?? (retry.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w && w > TimeSpan.Zero ? (w > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : w) : TimeSpan.Zero;
    }
}
