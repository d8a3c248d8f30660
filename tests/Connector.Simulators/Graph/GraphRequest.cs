using System.Collections.Concurrent;
using System.Text.Json;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Graph.Auth;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph;

/// <summary>Graph-style error results: <c>{"error":{"code","message"}}</c>.</summary>
public static class GraphErrors
{
    public static IResult Error(int status, string code, string message) =>
        Results.Json(new GraphErrorBody { Error = new GraphError { Code = code, Message = message } }, GraphJson.Options, statusCode: status);

    public static IResult NotFound(string what = "The specified object was not found in the store.") => Error(404, "ErrorItemNotFound", what);
    public static IResult BadRequest(string message, string code = "ErrorInvalidRequest") => Error(400, code, message);
}

/// <summary>
/// Resolves who is calling and which mailbox a <c>/me/…</c> or <c>/users/{id}/…</c> request is about. App-only
/// tokens reach any mailbox; delegated tokens only their own. At most four requests per mailbox run at once, as
/// Exchange Online's MailboxConcurrency limit; the fifth gets 429 with Retry-After.
/// </summary>
public sealed class GraphRequestContext(OAuthState oauth, MailboxDirectory mailboxes)
{
    public const int MaxConcurrentPerMailbox = 4;
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The highest concurrency seen per mailbox, for tests of the client's limiter.</summary>
    public ConcurrentDictionary<string, int> PeakConcurrency { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TokenGrant? Authenticate(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? oauth.FindAccessToken(header[7..].Trim()) : null;
    }

    public (Mailbox? Mailbox, IResult? Error) ResolveMailbox(HttpContext http, TokenGrant grant)
    {
        var user = http.Request.RouteValues.TryGetValue("user", out var u) ? u?.ToString() : null;
        if (user is null)
        {
            if (grant.User is null) return (null, GraphErrors.BadRequest("/me request is only valid with delegated authentication flow."));
            user = grant.User;
        }
        if (grant.User is not null && !grant.User.Equals(user, StringComparison.OrdinalIgnoreCase))
            return (null, GraphErrors.Error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."));
        return mailboxes.Find(user) is { } m ? (m, null) : (null, GraphErrors.Error(404, "ErrorInvalidUser", $"The requested user '{user}' is invalid."));
    }

    private int _throttled;

    /// <summary>How many requests were refused for exceeding the per-mailbox limit.</summary>
    public int Throttled => _throttled;

    public IDisposable? Enter(Mailbox mailbox)
    {
        var now = _inFlight.AddOrUpdate(mailbox.Address, 1, (_, n) => n + 1);
        if (now > MaxConcurrentPerMailbox)
        {
            Interlocked.Increment(ref _throttled);
            _inFlight.AddOrUpdate(mailbox.Address, 0, (_, n) => n - 1);
            return null;
        }
        PeakConcurrency.AddOrUpdate(mailbox.Address, now, (_, peak) => Math.Max(peak, now));
        return new Exit(() => _inFlight.AddOrUpdate(mailbox.Address, 0, (_, n) => n - 1));
    }

    private sealed class Exit(Action exit) : IDisposable { public void Dispose() => exit(); }
}

/// <summary>Per-request helpers: the resolved mailbox, the output zone from <c>Prefer: outlook.timezone</c>, the page size.</summary>
public static class GraphHttp
{
    public const string MailboxKey = "sim.mailbox";
    public const string GrantKey = "sim.grant";

    public static Mailbox Mailbox(this HttpContext http) => (Mailbox)http.Items[MailboxKey]!;
    public static TokenGrant Grant(this HttpContext http) => (TokenGrant)http.Items[GrantKey]!;

    public static TimeZoneInfo OutputZone(this HttpContext http)
    {
        foreach (var prefer in http.Request.Headers["Prefer"].SelectMany(h => (h ?? "").Split(',')))
        {
            var p = prefer.Trim();
            if (p.StartsWith("outlook.timezone=", StringComparison.OrdinalIgnoreCase))
                return RecurrenceExpander.FindZone(p["outlook.timezone=".Length..].Trim('"'));
        }
        return TimeZoneInfo.Utc;
    }

    public static int PageSize(this HttpContext http, int fallback)
    {
        foreach (var prefer in http.Request.Headers["Prefer"].SelectMany(h => (h ?? "").Split(',')))
        {
            var p = prefer.Trim();
            if (p.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase) && int.TryParse(p[18..], out var n) && n > 0)
                return Math.Min(n, 1000);
        }
        return int.TryParse(http.Request.Query["$top"], out var top) && top > 0 ? Math.Min(top, 1000) : fallback;
    }

    public static async Task<(T? Body, IResult? Error)> ReadBody<T>(this HttpContext http) where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, GraphJson.Options, http.RequestAborted);
            return body is null ? (null, GraphErrors.BadRequest("Empty Payload. JSON content expected.", "BadRequest")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, GraphErrors.BadRequest($"Invalid JSON: {e.Message}", "BadRequest"));
        }
    }

    public static IResult Json(object value, int status = 200) => Results.Json(value, GraphJson.Options, statusCode: status);

    /// <summary>The URL of this request's path with a new query, for nextLink/deltaLink (same scheme, host and route).</summary>
    public static string LinkTo(this HttpContext http, string query) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}?{query}";
}
