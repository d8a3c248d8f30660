using System.Net;
using Dapper;

namespace Connector.Api.Tests.Settings;

/// <summary>Each kind of invalid field gets a 400 problem details naming it, and changes nothing.</summary>
public sealed class SettingsValidationTests : ApiTestBase
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"exchangeKind":"onPrem"}""", "exchangeKind" },                                             // not one of the enum values
        { """{"ewsUrl":"https://x.example.com/EWS/Exchange.asmx"}""", "exchangeKind" },                 // required field missing
        { """{"exchangeKind":"onPremises"}""", "ewsUrl" },                                               // required for on-premises
        { """{"exchangeKind":"onPremises","ewsUrl":"http://mail.example.com/EWS/Exchange.asmx"}""", "ewsUrl" }, // plain http off loopback
        { """{"exchangeKind":"onPremises","ewsUrl":"not a url"}""", "ewsUrl" },
        { """{"exchangeKind":"microsoft365","clientId":"8f2c1b7e-3a4d-4c5e-9f60-1a2b3c4d5e6f"}""", "tenantId" },
        { """{"exchangeKind":"microsoft365","tenantId":"contoso.onmicrosoft.com","clientId":"my-app"}""", "clientId" },
        { """{"exchangeKind":"microsoft365","tenantId":"t.example.com","clientId":"8f2c1b7e-3a4d-4c5e-9f60-1a2b3c4d5e6f","authorityHost":"http://login.example.com"}""", "authorityHost" },
        { """{"exchangeKind":"microsoft365","tenantId":"t.example.com","clientId":"8f2c1b7e-3a4d-4c5e-9f60-1a2b3c4d5e6f","notificationUrl":"http://127.0.0.1/notify"}""", "notificationUrl" },
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","errorCheckSchedule":"every 5 minutes"}""", "errorCheckSchedule" },
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","userInitSchedule":"0 25 * * *"}""", "userInitSchedule" },
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","recurrenceHorizonMonths":0}""", "recurrenceHorizonMonths" },
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","recurrenceHorizonMonths":"twelve"}""", "recurrenceHorizonMonths" }, // wrong JSON type
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","contactSyncMode":"everything"}""", "contactSyncMode" },
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","conflictPolicy":0}""", "conflictPolicy" },   // enums are names, not numbers
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","features":{"calendar":"yes","tasks":true,"contacts":true}}""", "features.calendar" },
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","vtenextUrl":"ftp://crm.example.com"}""", "vtenextUrl" },
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","pollingInterval":5}""", "pollingInterval" },     // unknown field
        { """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","features":{"calendar":true,"tasks":true,"contacts":true,"notes":true}}""", "features.notes" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_field_is_named_in_a_400_problem(string body, string field)
    {
        var response = await Admin.PutAsync("/api/v1/settings", Json(body));
        Assert.Contains(field, await ProblemFieldsAsync(response));
    }

    [Fact]
    public async Task A_rejected_request_changes_nothing()
    {
        var valid = """{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","vtenextAccessKey":"key-1"}""";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsync("/api/v1/settings", Json(valid))).StatusCode);
        await using var connection = await Database.OpenAsync();
        var before = await connection.QuerySingleAsync<string>("SELECT CONCAT_WS('|', exchange_kind, ews_url, vtenext_access_key_protected, updated_at) FROM exc_settings");

        var invalid = """{"exchangeKind":"microsoft365","tenantId":"t.example.com","clientId":"8f2c1b7e-3a4d-4c5e-9f60-1a2b3c4d5e6f","vtenextAccessKey":"key-2","recurrenceHorizonMonths":99}""";
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PutAsync("/api/v1/settings", Json(invalid))).StatusCode);

        Assert.Equal(before, await connection.QuerySingleAsync<string>("SELECT CONCAT_WS('|', exchange_kind, ews_url, vtenext_access_key_protected, updated_at) FROM exc_settings"));
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_named()
    {
        var response = await Admin.PutAsync("/api/v1/settings",
            Json("""{"exchangeKind":"onPremises","errorCheckSchedule":"* * *","recurrenceHorizonMonths":100}"""));
        Assert.Equal(["errorCheckSchedule", "ewsUrl", "recurrenceHorizonMonths"], await ProblemFieldsAsync(response));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem()
    {
        var response = await Admin.PutAsync("/api/v1/settings", Json("{ exchangeKind: "));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class OversizedBodyTests : ApiTestBase
{
    protected override IDictionary<string, string?> HostSettings => new Dictionary<string, string?> { ["Connector:MaxRequestBodyBytes"] = "4096" };

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_and_changes_nothing()
    {
        var huge = $$"""{"exchangeKind":"onPremises","ewsUrl":"https://m.example.com/EWS/Exchange.asmx","vtenextUser":"{{new string('a', 5000)}}"}""";
        var response = await Admin.PutAsync("/api/v1/settings", Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("microsoft365", (string?)(await ReadObjectAsync(await Admin.GetAsync("/api/v1/settings")))["exchangeKind"]);
    }
}
