using System.Net.Http.Json;
using Connector.Exchange.Common.Tls;
using Connector.Exchange.Graph.Auth;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Simulators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Graph.Tests;

/// <summary>
/// The simulator, in process, on real loopback HTTPS with its throw-away CA; clients trust that CA through the
/// same extra-CA-bundle mechanism the connector uses in production. Each test gets its own simulator (fresh state).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    public const string TenantId = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "sim-secret-value";

    private SimulatorHost(WebApplication app, Uri baseAddress, string caPath)
    {
        App = app;
        BaseAddress = baseAddress;
        CaPath = caPath;
        Trust = ExtraCaTrust.FromPemFile(caPath);
        Http = TrustedHttp.CreateClient(Trust);
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public string CaPath { get; }
    public ExtraCaTrust Trust { get; }
    /// <summary>An HttpClient that trusts the simulator's CA (and the system roots), nothing else.</summary>
    public HttpClient Http { get; }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<SimulatorHost> StartAsync(int accessTokenLifetimeSeconds = 3600)
    {
        var caPath = Path.Combine(Directory.CreateTempSubdirectory("graph-sim-ca-").FullName, "ca.pem");
        var app = SimulatorApp.Build(["--urls", "https://127.0.0.1:0", "--ca-out", caPath], b =>
        {
            b.Logging.ClearProviders();
            b.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new SimulatorHost(app, new Uri(address), caPath);
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
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(Path.GetDirectoryName(CaPath)!, true); } catch (IOException) { }
    }
}
