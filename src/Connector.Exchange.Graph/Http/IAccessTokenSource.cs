namespace Connector.Exchange.Graph.Http;

/// <summary>Gives a bearer token for Graph (MSAL app-only or delegated; a test may use a fixed one).</summary>
public interface IAccessTokenSource
{
    Task<string> GetAccessTokenAsync(CancellationToken cancellationToken);
}
