using System.Net;
using Connector.Testing;

namespace Connector.Api.Tests.Security;

public sealed class AuthenticationTests : ApiTestBase
{
    [Theory]
    [InlineData("/api/v1/settings")]
    [InlineData("/api/v1/users")]
    [InlineData("/api/v1/users/1/preferences")]
    public async Task Without_the_key_every_call_is_401(string path)
    {
        var response = await Host.Client(key: null).GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_wrong_key_is_401_and_changes_nothing()
    {
        var put = await Host.Client(key: "not-the-key-0123456789").PutAsync("/api/v1/settings",
            Json("""{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.Equal("microsoft365", (string?)(await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings")))["exchangeKind"]);
    }

    [Fact]
    public async Task A_malformed_acting_user_is_401()
    {
        var client = Host.Client(crmUserId: null);
        client.DefaultRequestHeaders.Add("X-Crm-User", "anna");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/settings")).StatusCode);

        var maybeAdmin = Host.Client(crmUserId: 1, admin: false);
        maybeAdmin.DefaultRequestHeaders.Remove("X-Crm-Admin");
        maybeAdmin.DefaultRequestHeaders.Add("X-Crm-Admin", "yes");
        Assert.Equal(HttpStatusCode.Unauthorized, (await maybeAdmin.GetAsync("/api/v1/settings")).StatusCode);
    }

    [Fact]
    public void The_service_refuses_to_start_without_a_key_or_database()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Hosting.ConnectorApp.Build(["--urls=http://127.0.0.1:0"]));
        Assert.Contains("Connector:ApiKey", error.Message);
        Assert.Contains("ConnectionStrings:Connector", error.Message);
        Assert.Contains("Connector:DataProtectionKeysPath", error.Message);

        var shortKey = Assert.Throws<InvalidOperationException>(() => Hosting.ConnectorApp.Build(
            ["--urls=http://127.0.0.1:0", $"--ConnectionStrings:Connector={Database.ConnectionString}", "--Connector:ApiKey=short",
             "--Connector:DataProtectionKeysPath=/tmp/k"]));
        Assert.Contains("at least 16", shortKey.Message);
    }

    [Fact]
    public async Task By_default_the_service_listens_on_loopback_only()
    {
        var settings = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var url = new Uri(settings.RootElement.GetProperty("Urls").GetString()!);
        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(url.Host)), $"default Urls {url} is not loopback");
        Assert.Equal("127.0.0.1", Host.BaseAddress.Host);
    }
}
