using System.Net.Http.Json;
using Connector.Exchange.Common.Tls;
using Connector.Exchange.Graph.Auth;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Testing;
using Microsoft.AspNetCore.Builder;

namespace Connector.Graph.Tests;

/// <summary>
/// The simulator for Graph tests (the shared <see cref="InProcessSimulator"/>, HTTPS only) with an app registered and
/// Graph clients on it. Each test gets its own simulator (fresh state).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    public const string TenantId = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "sim-secret-value";

    private readonly InProcessSimulator _simulator;

    private SimulatorHost(InProcessSimulator simulator)
    {
        _simulator = simulator;
        Http = simulator.CreateTrustedClient();
    }

    public WebApplication App => _simulator.App;
    public Uri BaseAddress => _simulator.Https!;
    public string CaPath => _simulator.CaPath;
    public ExtraCaTrust Trust => _simulator.Trust;
    /// <summary>An HttpClient that trusts the simulator's CA (and the system roots), nothing else.</summary>
    public HttpClient Http { get; }

    public T Service<T>() where T : notnull => _simulator.Service<T>();

    public static async Task<SimulatorHost> StartAsync(int accessTokenLifetimeSeconds = 3600)
    {
        var host = new SimulatorHost(await InProcessSimulator.StartAsync());
        await host.ControlAsync("/_sim/apps", new { tenantId = TenantId, clientId = ClientId, clientSecret = ClientSecret, accessTokenLifetimeSeconds });
        return host;
    }

    public async Task ControlAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(BaseAddress, path), body);
        response.EnsureSuccessStatusCode();
    }

    public Task AddMailboxAsync(string address, string displayName, string password = "P@ssw0rd!") =>
        ControlAsync("/_sim/mailboxes", new { address, displayName, password });

    public GraphAuthOptions AuthOptions => new()
    {
        AuthorityHost = BaseAddress, TenantId = TenantId, ClientId = ClientId, ClientSecret = ClientSecret,
    };

    public GraphTransport Transport(GraphClientOptions? options = null) => new(Http, options ?? new GraphClientOptions
    {
        GraphBaseUrl = BaseAddress, BaseDelay = TimeSpan.FromMilliseconds(100),
    });

    /// <summary>App-only MSAL tokens from the simulator's authority (real client-credentials flow).</summary>
    public IAccessTokenSource AppTokens() => new AppOnlyTokenSource(AuthOptions, Http);

    public GraphMailboxClient Mailbox(string address, GraphTransport? transport = null) => new(transport ?? Transport(), AppTokens(), address);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _simulator.DisposeAsync();
    }
}
