namespace Connector.Exchange.Graph.Http;

public sealed class GraphClientOptions
{
    /// <summary>Graph's root without version ("https://graph.microsoft.com"); from settings <c>graphBaseUrl</c>.</summary>
    public Uri GraphBaseUrl { get; init; } = new("https://graph.microsoft.com");

    /// <summary>Exchange Online allows four concurrent requests per app and mailbox; more answer 429.</summary>
    public int MaxConcurrentPerMailbox { get; init; } = 4;

    /// <summary>Retries of a throttled (429) or unavailable (503/504) request, or a dropped connection.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First backoff when the service gives no Retry-After (doubles per attempt, jittered).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public Uri VersionRoot => new(GraphBaseUrl.AbsoluteUri.TrimEnd('/') + "/v1.0/");
}
