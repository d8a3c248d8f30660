using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Testing;
using Dapper;

namespace Connector.Vtenext.Tests;

/// <summary>POST /api/v1/crm/changes on the real connector host (Kestrel, loopback) and MariaDB.</summary>
public sealed class CrmChangesApiTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ConnectorTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("crm");
        // The intake alone: the sync engine would run the queued jobs this test inspects.
        _host = await ConnectorTestHost.StartAsync(_db, new Dictionary<string, string?> { ["Connector:Sync:Enabled"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static object Notice(string module = "Events", int crmid = 4512, string operation = "save",
        string modifiedtime = "2026-03-29T10:15:00+02:00", int actingUser = 5) =>
        new { module, crmid, operation, modifiedtime, actingUser };

    [Fact]
    public async Task A_notice_is_stored_before_the_202()
    {
        var response = await _host.Client(crmUserId: 5, admin: false).PostAsJsonAsync("/api/v1/crm/changes", Notice());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("duplicate").GetBoolean());
        // Read back through a separate connection: committed, not just in the request's transaction.
        await using var c = await _db.OpenAsync();
        var row = await c.QuerySingleAsync<(long Id, string Module, int Crmid, string Operation, string Modifiedtime, DateTime ModifiedUtc, int ActingUser, string Source)>(
            "SELECT id, module, crmid, operation, modifiedtime, modified_utc, acting_user, source FROM exc_crm_changes");
        Assert.Equal((body.GetProperty("id").GetInt64(), "Events", 4512, "save", "2026-03-29T10:15:00+02:00", new DateTime(2026, 3, 29, 8, 15, 0), 5, "api"), row);
    }

    [Fact]
    public async Task A_repeated_notice_is_accepted_once()
    {
        var client = _host.Client();
        var first = await (await client.PostAsJsonAsync("/api/v1/crm/changes", Notice())).Content.ReadFromJsonAsync<JsonElement>();
        // The same instant written in another offset is the same notice.
        var again = await client.PostAsJsonAsync("/api/v1/crm/changes", Notice(modifiedtime: "2026-03-29T08:15:00Z"));
        var delete = await client.PostAsJsonAsync("/api/v1/crm/changes", Notice(operation: "delete"));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await using var c = await _db.OpenAsync();
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM exc_crm_changes"));
    }

    [Fact]
    public async Task Each_new_change_queues_one_job_per_record_carrying_its_latest_change()
    {
        var client = _host.Client();
        await client.PostAsJsonAsync("/api/v1/crm/changes", Notice(crmid: 10, modifiedtime: "2026-04-01T10:00:00+02:00"));
        await client.PostAsJsonAsync("/api/v1/crm/changes", Notice(crmid: 10, modifiedtime: "2026-04-01T10:00:00+02:00")); // repeated
        var last = await (await client.PostAsJsonAsync("/api/v1/crm/changes",
            Notice(crmid: 10, operation: "delete", modifiedtime: "2026-04-01T10:05:00+02:00"))).Content.ReadFromJsonAsync<JsonElement>();
        await client.PostAsJsonAsync("/api/v1/crm/changes", Notice(module: "Contacts", crmid: 11));

        await using var c = await _db.OpenAsync();
        var jobs = (await c.QueryAsync<(string Kind, string Payload, string OrderingKey, string State)>(
            "SELECT kind, payload, ordering_key, state FROM exc_jobs ORDER BY id")).ToList();
        Assert.Equal([("crm.change", "crm:10", "Pending"), ("crm.change", "crm:11", "Pending")], jobs.Select(j => (j.Kind, j.OrderingKey, j.State)));
        var payload = Connector.Storage.CrmChanges.CrmChangeJob.FromPayload(jobs[0].Payload);
        Assert.Equal((last.GetProperty("id").GetInt64(), "Events", 10, "delete"), (payload.ChangeId, payload.Module, payload.CrmId, payload.Operation));
        Assert.Contains("\"changeId\"", jobs[0].Payload);
    }

    [Theory]
    [InlineData("module", """{"module":"Activity","crmid":1,"operation":"save","modifiedtime":"2026-03-29T10:15:00+02:00","actingUser":5}""")]
    [InlineData("crmid", """{"module":"Contacts","crmid":0,"operation":"save","modifiedtime":"2026-03-29T10:15:00+02:00","actingUser":5}""")]
    [InlineData("operation", """{"module":"Calendar","crmid":1,"operation":"restore","modifiedtime":"2026-03-29T10:15:00+02:00","actingUser":5}""")]
    [InlineData("modifiedtime", """{"module":"Events","crmid":1,"operation":"save","modifiedtime":"2026-03-29 10:15:00","actingUser":5}""")]
    [InlineData("modifiedtime", """{"module":"Events","crmid":1,"operation":"save","modifiedtime":"2026-02-30T10:15:00Z","actingUser":5}""")]
    [InlineData("actingUser", """{"module":"Events","crmid":1,"operation":"save","modifiedtime":"2026-03-29T10:15:00Z"}""")]
    [InlineData("crmid", """{"module":"Events","crmid":"abc","operation":"save","modifiedtime":"2026-03-29T10:15:00Z","actingUser":5}""")]
    public async Task Bad_notices_get_problem_details_naming_the_field_and_store_nothing(string field, string json)
    {
        var response = await _host.Client().PostAsync("/api/v1/crm/changes", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
        await using var c = await _db.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM exc_crm_changes"));
    }

    [Fact]
    public async Task A_wrong_server_zone_stops_the_start_with_a_message_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ConnectorTestHost.StartAsync(_db, new Dictionary<string, string?> { ["Connector:VtenextServerTimeZone"] = "Europe/Atlantis" }));
        Assert.Contains("Connector:VtenextServerTimeZone", error.Message);
    }

    [Fact]
    public async Task Notices_need_the_connector_key()
    {
        var response = await _host.Client(key: null).PostAsJsonAsync("/api/v1/crm/changes", Notice());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
