using System.Net;
using Connector.Testing;

namespace Connector.Api.Tests.Health;

public sealed class HealthTests : ApiTestBase
{
    [Fact]
    public async Task Live_and_ready_need_no_key_and_report_the_schema()
    {
        var client = Host.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ReadObjectAsync(ready);
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Contains("Schema at version", (string?)body["checks"]!["database"]!["description"]);
    }

    [Fact]
    public async Task Ready_is_503_when_the_database_is_unreachable_while_live_stays_200()
    {
        await using var unreachable = await ConnectorTestHost.StartAsync(Database, new Dictionary<string, string?>
        {
            // A closed loopback port: the connector starts, keeps retrying, and says it is not ready.
            ["ConnectionStrings:Connector"] = "Server=127.0.0.1;Port=1;Database=none;Uid=x;Pwd=y;SslMode=None;Connection Timeout=2",
        });
        var client = unreachable.Client(key: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("not reachable", await ready.Content.ReadAsStringAsync());
    }
}
