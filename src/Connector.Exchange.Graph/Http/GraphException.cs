using System.Net;

namespace Connector.Exchange.Graph.Http;

/// <summary>A Graph error answer: HTTP status plus Graph's error code and message.</summary>
public class GraphException(HttpStatusCode status, string? code, string message, TimeSpan? retryAfter = null)
    : Exception($"Graph answered {(int)status} {code}: {message}")
{
    public HttpStatusCode Status { get; } = status;
    public string? Code { get; } = code;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The delta token is no longer valid (410 Gone / syncStateNotFound): the caller must resync from scratch.</summary>
public sealed class SyncStateInvalidException(string? code, string message) : GraphException(HttpStatusCode.Gone, code, message);

/// <summary>The user's sign-in can no longer be refreshed; they must sign in again (the user was marked so).</summary>
public sealed class SignInRequiredException(string reason) : Exception(reason);
