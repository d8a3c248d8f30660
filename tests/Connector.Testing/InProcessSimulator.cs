using Connector.Exchange.Common.Tls;
using Connector.Simulators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Testing;

/// <summary>
/// The simulators (<c>tests/Connector.Simulators</c>: Graph + OAuth, EWS, vtenext) in the test process, on Kestrel at
/// free loopback ports: HTTPS with the simulator's throw-away CA (written to <see cref="CaPath"/>, trusted by clients
/// through the same extra-CA-bundle mechanism the connector uses in production), plain HTTP when asked. One start for
/// every test project; each caller gets its own simulator (fresh state).
/// </summary>
public sealed class InProcessSimulator : IAsyncDisposable
{
    private InProcessSimulator(WebApplication app, IReadOnlyList<Uri> addresses, string caPath)
    {
        App = app;
        Https = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps);
        Http = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp);
        CaPath = caPath;
        Trust = ExtraCaTrust.FromPemFile(caPath);
    }

    public WebApplication App { get; }

    /// <summary>The HTTPS address (null when started with <c>https: false</c>).</summary>
    public Uri? Https { get; }

    /// <summary>The plain HTTP address (null unless started with <c>http: true</c>).</summary>
    public Uri? Http { get; }

    /// <summary>The PEM file of the simulator's CA.</summary>
    public string CaPath { get; }

    /// <summary>The system roots plus the simulator's CA, nothing else.</summary>
    public ExtraCaTrust Trust { get; }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>An HttpClient that trusts the simulator's CA (and the system roots).</summary>
    public HttpClient CreateTrustedClient() => TrustedHttp.CreateClient(Trust);

    /// <param name="https">Serve HTTPS (Graph, the OAuth authority and EWS need it; MSAL accepts only an https authority).</param>
    /// <param name="http">Serve plain HTTP too (vtenext's webservice, EWS on loopback).</param>
    /// <param name="settings">More command-line settings, e.g. <c>--Vtenext:ConnectionString=…</c>.</param>
    /// <param name="minimumLevel">The simulator's console log level; <see cref="LogLevel.None"/>: no log at all.</param>
    /// <param name="beforeStart">Runs on the built app before it starts (e.g. to set EWS simulator options).</param>
    public static async Task<InProcessSimulator> StartAsync(bool https = true, bool http = false, IEnumerable<string>? settings = null,
        LogLevel minimumLevel = LogLevel.Warning, Action<WebApplication>? beforeStart = null)
    {
        if (!https && !http) throw new ArgumentException("Serve HTTPS, HTTP or both.", nameof(https));
        var caPath = Path.Combine(Directory.CreateTempSubdirectory("sim-ca-").FullName, "ca.pem");
        var urls = string.Join(';', new[] { https ? "https://127.0.0.1:0" : null, http ? "http://127.0.0.1:0" : null }.OfType<string>());
        var app = SimulatorApp.Build(["--urls", urls, "--ca-out", caPath, .. settings ?? []], b =>
        {
            b.Logging.ClearProviders();
            if (minimumLevel != LogLevel.None) b.Logging.AddSimpleConsole().SetMinimumLevel(minimumLevel);
        });
        beforeStart?.Invoke(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new InProcessSimulator(app, addresses, caPath);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(Path.GetDirectoryName(CaPath)!, true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
