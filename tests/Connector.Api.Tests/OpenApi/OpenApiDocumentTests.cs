using System.Text.Json.Nodes;

namespace Connector.Api.Tests.OpenApi;

/// <summary>
/// The checked-in openapi/connector.v1.json must equal the served document. After changing endpoints refresh it with
/// <c>UPDATE_OPENAPI=1 dotnet test tests/Connector.Api.Tests --filter OpenApiDocumentTests</c>.
/// </summary>
public sealed class OpenApiDocumentTests : ApiTestBase
{
    private static string CheckedInPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Connector.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "openapi", "connector.v1.json");
        }
    }

    [Fact]
    public async Task The_checked_in_document_equals_the_served_one()
    {
        var served = await Host.Client(key: null).GetStringAsync("/swagger/v1/swagger.json");
        var normalized = JsonNode.Parse(served)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
            await File.WriteAllTextAsync(CheckedInPath, normalized);

        Assert.True(File.Exists(CheckedInPath), $"{CheckedInPath} is missing; create it with UPDATE_OPENAPI=1.");
        var checkedIn = await File.ReadAllTextAsync(CheckedInPath);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(checkedIn), JsonNode.Parse(served)),
            "openapi/connector.v1.json differs from the served document. Refresh it with: " +
            "UPDATE_OPENAPI=1 dotnet test tests/Connector.Api.Tests --filter OpenApiDocumentTests");
    }

    [Fact]
    public async Task Swagger_ui_is_served_and_the_document_describes_the_key_headers()
    {
        var ui = await Host.Client(key: null).GetAsync("/swagger/index.html");
        Assert.Equal(System.Net.HttpStatusCode.OK, ui.StatusCode);
        var doc = JsonNode.Parse(await Host.Client(key: null).GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal(["X-Connector-Key", "X-Crm-User", "X-Crm-Admin"], schemes.Select(s => (string)s.Value!["name"]!).ToArray());
        Assert.NotNull(doc["paths"]!["/api/v1/settings"]!["put"]);
        Assert.NotNull(doc["paths"]!["/api/v1/users/{crmUserId}/preferences"]!["delete"]);
    }
}
