using Connector.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Testing;

/// <summary>
/// The real connector host (the same <see cref="ConnectorApp.Build"/> as production) on Kestrel, bound to a free
/// loopback port, against a test database. Calls go over real HTTP.
/// </summary>
public sealed class ConnectorTestHost : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789abcdef";

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public string KeysPath { get; }

    private ConnectorTestHost(WebApplication app, Uri baseAddress, string keysPath)
    {
        App = app;
        BaseAddress = baseAddress;
        KeysPath = keysPath;
    }

    /// <param name="settings">extra configuration, e.g. <c>["Connector:MaxRequestBodyBytes"] = "1000"</c></param>
    public static async Task<ConnectorTestHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null,
        string? keysPath = null, Action<WebApplicationBuilder>? configure = null)
    {
        keysPath ??= Directory.CreateTempSubdirectory("connector-keys-").FullName;
        var args = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Connector"] = database.ConnectionString,
            ["Connector:ApiKey"] = ApiKey,
            ["Connector:DataProtectionKeysPath"] = keysPath,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) args[k] = v;
        var app = ConnectorApp.Build(args.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(), builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConnectorTestHost(app, new Uri(address), keysPath);
    }

    /// <summary>An HTTP client acting as the bridge for the given CRM user; no key at all when <paramref name="key"/> is null.</summary>
    public HttpClient Client(int? crmUserId = 1, bool admin = true, string? key = ApiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Connector-Key", key);
        if (crmUserId is not null) client.DefaultRequestHeaders.Add("X-Crm-User", crmUserId.ToString());
        client.DefaultRequestHeaders.Add("X-Crm-Admin", admin ? "true" : "false");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
