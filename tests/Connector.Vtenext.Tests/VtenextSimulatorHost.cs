using System.Net.Http.Json;
using Connector.Simulators.Vtenext;
using Connector.Testing;
using Connector.Vtenext.Webservice;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using MySql.Data.MySqlClient;

namespace Connector.Vtenext.Tests;

/// <summary>The vtenext simulator on Kestrel (loopback, free port) over its own fresh MariaDB database.</summary>
public sealed class VtenextSimulatorHost : IAsyncDisposable
{
    public const string ServerZone = "Europe/Rome";

    public required InProcessSimulator Simulator { get; init; }
    public WebApplication App => Simulator.App;
    public required Uri BaseAddress { get; init; }
    public required TestDatabase Database { get; init; }
    public HttpClient Http { get; } = new();

    public static async Task<VtenextSimulatorHost> StartAsync(int maxRowsPerQuery = 100, int sessionIdleSeconds = 1800)
    {
        var database = await TestDatabase.CreateAsync("vte");
        await using (var c = await database.OpenAsync())
            await c.ExecuteAsync(VtenextDatabase.SchemaSql());
        var simulator = await InProcessSimulator.StartAsync(https: false, http: true, minimumLevel: LogLevel.Error, settings: [
            $"--Vtenext:ConnectionString={database.ConnectionString}",
            $"--Vtenext:ServerTimeZone={ServerZone}",
            $"--Vtenext:MaxRowsPerQuery={maxRowsPerQuery}",
            $"--Vtenext:SessionIdleSeconds={sessionIdleSeconds}",
        ]);
        return new VtenextSimulatorHost { Simulator = simulator, BaseAddress = simulator.Http!, Database = database };
    }

    public sealed record CreatedUser(int Id, string WsId);

    public async Task<CreatedUser> CreateUserAsync(string userName, string email, string accessKey, string timeZone, bool isAdmin = false)
    {
        var response = await Http.PostAsJsonAsync(new Uri(BaseAddress, "/_sim/crm/users"), new { userName, email, accessKey, isAdmin, timeZone });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedUser>())!;
    }

    /// <summary>A client logged in as a new integration user living in <paramref name="timeZone"/>.</summary>
    public async Task<(VtenextClient Client, CreatedUser User)> ClientForNewUserAsync(string timeZone = ServerZone, string userName = "integration")
    {
        var accessKey = "AK" + Guid.NewGuid().ToString("N")[..14];
        var user = await CreateUserAsync(userName, $"{userName}@crm.example", accessKey, timeZone, isAdmin: true);
        return (new VtenextClient(Http, new VtenextClientOptions(BaseAddress, userName, accessKey)), user);
    }

    public async Task<Dictionary<string, int>> StatsAsync() =>
        (await Http.GetFromJsonAsync<Dictionary<string, int>>(new Uri(BaseAddress, "/_sim/crm/stats")))!;

    public async Task ExpireSessionsAsync() =>
        (await Http.PostAsync(new Uri(BaseAddress, "/_sim/crm/sessions/expire"), null)).EnsureSuccessStatusCode();

    public Task<MySqlConnection> OpenAsync() => Database.OpenAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
        await Database.DisposeAsync();
    }
}
