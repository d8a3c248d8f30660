using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Testing;

namespace Connector.Api.Tests;

/// <summary>A fresh database and a running connector for each test class instance (xunit makes one per test).</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;
    protected ConnectorTestHost Host { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? HostSettings => null;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("api");
        Host = await ConnectorTestHost.StartAsync(Database, HostSettings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected HttpClient Admin => Host.Client(crmUserId: 1, admin: true);

    protected HttpClient User(int id) => Host.Client(crmUserId: id, admin: false);

    protected static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    protected static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!.AsObject();

    /// <summary>The field names a 400 problem details response blames.</summary>
    protected static async Task<string[]> ProblemFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await ReadObjectAsync(response);
        return body["errors"]!.AsObject().Select(kv => kv.Key).OrderBy(k => k).ToArray();
    }

    protected static string Serialize(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
