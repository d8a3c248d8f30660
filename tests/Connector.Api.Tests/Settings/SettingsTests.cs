using System.Net;
using Dapper;

namespace Connector.Api.Tests.Settings;

public sealed class SettingsTests : ApiTestBase
{
    private const string OnPremises = """
        {
          "exchangeKind": "onPremises",
          "ewsUrl": "https://mail.example.com/EWS/Exchange.asmx",
          "vtenextUrl": "https://crm.example.com",
          "vtenextUser": "exchange.sync",
          "vtenextAccessKey": "Ab12Cd34Ef56Gh78",
          "features": { "calendar": true, "tasks": false, "contacts": true },
          "contactSyncMode": "visible",
          "conflictPolicy": "crmWins",
          "errorCheckSchedule": "*/5 * * * *",
          "userInitSchedule": "30 1 * * MON-FRI",
          "recurrenceHorizonMonths": 18
        }
        """;

    private const string Microsoft365 = """
        {
          "exchangeKind": "microsoft365",
          "tenantId": "contoso.onmicrosoft.com",
          "clientId": "8f2c1b7e-3a4d-4c5e-9f60-1a2b3c4d5e6f",
          "clientSecret": "s3cr3t-value-~xyz",
          "notificationUrl": "https://connector.example.com/graph/notify",
          "graphBaseUrl": "https://graph.microsoft.us",
          "authorityHost": "https://login.microsoftonline.us"
        }
        """;

    [Fact]
    public async Task Defaults_are_the_public_cloud_before_anything_is_saved()
    {
        var body = await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings"));
        Assert.Equal("microsoft365", (string?)body["exchangeKind"]);
        Assert.Equal("https://graph.microsoft.com", (string?)body["graphBaseUrl"]);
        Assert.Equal("https://login.microsoftonline.com", (string?)body["authorityHost"]);
        Assert.Equal(12, (int?)body["recurrenceHorizonMonths"]);
        Assert.False((bool?)body["clientSecretSet"]);
    }

    [Fact]
    public async Task On_premises_settings_round_trip()
    {
        var put = await Admin.PutAsync("/api/v1/settings", Json(OnPremises));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var body = await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings"));
        Assert.Equal("onPremises", (string?)body["exchangeKind"]);
        Assert.Equal("https://mail.example.com/EWS/Exchange.asmx", (string?)body["ewsUrl"]);
        Assert.Equal("https://crm.example.com", (string?)body["vtenextUrl"]);
        Assert.Equal("exchange.sync", (string?)body["vtenextUser"]);
        Assert.True((bool?)body["vtenextAccessKeySet"]);
        Assert.False((bool?)body["features"]!["tasks"]);
        Assert.True((bool?)body["features"]!["contacts"]);
        Assert.Equal("visible", (string?)body["contactSyncMode"]);
        Assert.Equal("crmWins", (string?)body["conflictPolicy"]);
        Assert.Equal("*/5 * * * *", (string?)body["errorCheckSchedule"]);
        Assert.Equal("30 1 * * MON-FRI", (string?)body["userInitSchedule"]);
        Assert.Equal(18, (int?)body["recurrenceHorizonMonths"]);
    }

    [Fact]
    public async Task Microsoft365_settings_round_trip_with_a_national_cloud()
    {
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsync("/api/v1/settings", Json(Microsoft365))).StatusCode);
        var body = await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings"));
        Assert.Equal("contoso.onmicrosoft.com", (string?)body["tenantId"]);
        Assert.Equal("8f2c1b7e-3a4d-4c5e-9f60-1a2b3c4d5e6f", (string?)body["clientId"]);
        Assert.Equal("https://graph.microsoft.us", (string?)body["graphBaseUrl"]);
        Assert.Equal("https://login.microsoftonline.us", (string?)body["authorityHost"]);
        Assert.Equal("https://connector.example.com/graph/notify", (string?)body["notificationUrl"]);
        Assert.True((bool?)body["clientSecretSet"]);
    }

    [Fact]
    public async Task Secrets_are_write_only_and_stored_as_ciphertext()
    {
        await Admin.PutAsync("/api/v1/settings", Json(Microsoft365));
        var text = await (await Admin.GetAsync("/api/v1/settings")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("s3cr3t-value-~xyz", text);
        Assert.DoesNotContain("\"clientSecret\"", text);

        await using var connection = await Database.OpenAsync();
        var raw = await connection.QuerySingleAsync<string>("SELECT client_secret_protected FROM exc_settings");
        Assert.DoesNotContain("s3cr3t", raw);
        Assert.True(raw.Length > 40, "the stored value is Data Protection ciphertext, not the secret");
    }

    [Fact]
    public async Task An_omitted_secret_is_kept_and_an_empty_one_clears_it()
    {
        await Admin.PutAsync("/api/v1/settings", Json(Microsoft365));
        await using var connection = await Database.OpenAsync();
        var before = await connection.QuerySingleAsync<string>("SELECT client_secret_protected FROM exc_settings");

        var withoutSecret = Microsoft365.Replace("\"clientSecret\": \"s3cr3t-value-~xyz\",", "");
        await Admin.PutAsync("/api/v1/settings", Json(withoutSecret));
        Assert.Equal(before, await connection.QuerySingleAsync<string>("SELECT client_secret_protected FROM exc_settings"));
        Assert.True((bool?)(await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings")))["clientSecretSet"]);

        await Admin.PutAsync("/api/v1/settings", Json(Microsoft365.Replace("s3cr3t-value-~xyz", "")));
        Assert.False((bool?)(await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings")))["clientSecretSet"]);
        Assert.Null(await connection.QuerySingleAsync<string?>("SELECT client_secret_protected FROM exc_settings"));
    }

    [Fact]
    public async Task The_stored_secret_decrypts_to_what_the_admin_entered()
    {
        await Admin.PutAsync("/api/v1/settings", Json(Microsoft365));
        var store = Host.App.Services.GetRequiredService<Connector.Storage.Settings.SettingsStore>();
        Assert.Equal("s3cr3t-value-~xyz", await store.GetClientSecretAsync());
    }

    [Fact]
    public async Task Settings_are_for_admins_only()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await User(7).GetAsync("/api/v1/settings")).StatusCode);
        var put = await User(7).PutAsync("/api/v1/settings", Json(OnPremises));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Equal("microsoft365", (string?)(await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings")))["exchangeKind"]);
    }
}
