using Connector.Vtenext.Webservice;
using Dapper;

namespace Connector.Vtenext.Tests;

/// <summary>The webservice client against the vtenext simulator over real HTTP and MariaDB.</summary>
public sealed class WebserviceClientTests : IAsyncLifetime
{
    private VtenextSimulatorHost _crm = null!;

    public async Task InitializeAsync() => _crm = await VtenextSimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    [Fact]
    public async Task Login_with_access_key_then_create_retrieve_revise_delete_an_event()
    {
        var (client, user) = await _crm.ClientForNewUserAsync();
        var events = await client.DescribeAsync("Events");

        var created = await client.CreateAsync("Events", new Dictionary<string, object?>
        {
            ["subject"] = "Kick-off", ["activitytype"] = "Meeting", ["eventstatus"] = "Planned",
            ["date_start"] = "2026-05-04", ["time_start"] = "09:30", ["due_date"] = "2026-05-04", ["time_end"] = "10:15",
            ["location"] = "Room 1",
        });
        Assert.Equal(events.IdPrefix, created.Id.Prefix);
        Assert.Equal(user.WsId, created["assigned_user_id"]);

        var revised = await client.ReviseAsync(created.Id, new Dictionary<string, object?> { ["location"] = "Room 2" });
        Assert.Equal("Room 2", revised["location"]);
        Assert.Equal("Kick-off", revised["subject"]);
        var read = await client.RetrieveAsync(created.Id);
        Assert.Equal(("Room 2", "09:30", "10:15"), (read["location"], read["time_start"], read["time_end"]));

        await client.DeleteAsync(created.Id);
        var gone = await Assert.ThrowsAsync<VtenextException>(() => client.RetrieveAsync(created.Id));
        Assert.True(gone.IsNotFound);
        // vtenext only flags the row: crmentity keeps it with deleted = 1.
        await using var db = await _crm.OpenAsync();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT deleted FROM vte_crmentity WHERE crmid = @id", new { id = created.Id.CrmId }));
    }

    [Fact]
    public async Task Element_id_prefixes_come_from_describe_not_from_constants()
    {
        // Another install numbered its ws entities differently.
        await using (var db = await _crm.OpenAsync())
            await db.ExecuteAsync("UPDATE vte_ws_entity SET id = 1077 WHERE name = 'Contacts'");
        var (client, _) = await _crm.ClientForNewUserAsync();

        var contacts = await client.DescribeAsync("Contacts");
        var created = await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Rossi" });

        Assert.Equal(1077, contacts.IdPrefix);
        Assert.Equal(contacts.Id(created.Id.CrmId), created.Id);
        Assert.Equal("Rossi", (await client.RetrieveAsync(contacts.Id(created.Id.CrmId)))["lastname"]);
        Assert.Contains(contacts.Fields, f => f.Name == "lastname" && f.Mandatory);
    }

    [Fact]
    public async Task Query_pages_past_the_row_limit()
    {
        var (client, _) = await _crm.ClientForNewUserAsync();
        for (var i = 0; i < 230; i++)
            await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = $"Contact {i:000}", ["department"] = "Sales" });
        await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Other", ["department"] = "HR" });

        // One statement gets at most the server's cap…
        var single = await client.QueryAsync("SELECT * FROM Contacts WHERE department = 'Sales';");
        Assert.Equal(100, single.Count);
        // …paging gets them all, each once.
        var queriesBefore = (await _crm.StatsAsync()).GetValueOrDefault("query");
        var all = await client.QueryAllAsync("SELECT id, lastname FROM Contacts WHERE department = 'Sales' ORDER BY id").ToListAsync();
        Assert.Equal(230, all.Count);
        Assert.Equal(230, all.Select(r => r["id"]).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 230).Select(i => $"Contact {i:000}"), all.Select(r => r["lastname"]));
        Assert.Equal(3, (await _crm.StatsAsync())["query"] - queriesBefore);
    }

    [Fact]
    public async Task A_server_cap_below_the_page_size_does_not_cut_the_listing()
    {
        await using var crm = await VtenextSimulatorHost.StartAsync(maxRowsPerQuery: 40);
        var (client, _) = await crm.ClientForNewUserAsync();
        for (var i = 0; i < 90; i++)
            await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = $"C{i:00}" });

        var all = await client.QueryAllAsync("SELECT lastname FROM Contacts ORDER BY id").ToListAsync();

        Assert.Equal(Enumerable.Range(0, 90).Select(i => $"C{i:00}"), all.Select(r => r["lastname"]));
    }

    [Fact]
    public async Task An_expired_session_is_renewed_and_the_call_repeated()
    {
        var (client, _) = await _crm.ClientForNewUserAsync();
        var first = await client.SessionAsync();
        var created = await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Bianchi" });

        await _crm.ExpireSessionsAsync();
        var read = await client.RetrieveAsync(created.Id);

        Assert.Equal("Bianchi", read["lastname"]);
        Assert.NotEqual(first.SessionName, (await client.SessionAsync()).SessionName);
        Assert.Equal(2, (await _crm.StatsAsync())["login"]);
    }

    [Fact]
    public async Task A_session_left_idle_is_renewed_too()
    {
        await using var crm = await VtenextSimulatorHost.StartAsync(sessionIdleSeconds: 1);
        var (client, _) = await crm.ClientForNewUserAsync();
        var created = await client.CreateAsync("Contacts", new Dictionary<string, object?> { ["lastname"] = "Idle" });

        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var read = await client.RetrieveAsync(created.Id);

        Assert.Equal("Idle", read["lastname"]);
        Assert.Equal(2, (await crm.StatsAsync())["login"]);
    }

    [Fact]
    public async Task Errors_name_the_problem()
    {
        var (good, _) = await _crm.ClientForNewUserAsync();
        var wrongKey = new VtenextClient(_crm.Http, good.Options with { AccessKey = "not-the-key" });

        var login = await Assert.ThrowsAsync<VtenextException>(() => wrongKey.SessionAsync());
        Assert.Equal("INVALID_USER_CREDENTIALS", login.Code);
        Assert.Contains("access key", login.Message);

        var mandatory = await Assert.ThrowsAsync<VtenextException>(() => good.CreateAsync("Contacts", new Dictionary<string, object?> { ["firstname"] = "No last name" }));
        Assert.Equal("MANDATORY_FIELDS_MISSING", mandatory.Code);
        Assert.Contains("lastname", mandatory.Message);

        var syntax = await Assert.ThrowsAsync<VtenextException>(() => good.QueryAsync("SELECT * FROM Contacts WHERE"));
        Assert.Equal("QUERY_SYNTAX_ERROR", syntax.Code);

        var notVtenext = new VtenextClient(_crm.Http, good.Options with { SiteUrl = new Uri(_crm.BaseAddress, "/nothing-here/") });
        var http = await Assert.ThrowsAsync<VtenextException>(() => notVtenext.SessionAsync());
        Assert.Contains("HTTP 404", http.Message);
    }

    [Fact]
    public async Task Write_operations_are_form_posts_and_reads_are_gets()
    {
        var (client, _) = await _crm.ClientForNewUserAsync();
        var session = await client.SessionAsync();
        // vtenext reads a GET operation's parameters from the URL only: a retrieve sent as a POST is refused.
        var response = await _crm.Http.PostAsync(client.Options.WebserviceUrl, new FormUrlEncodedContent(
            new Dictionary<string, string> { ["operation"] = "retrieve", ["sessionName"] = session.SessionName, ["id"] = session.UserId.ToString() }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"success\":false", body);
        // …and the client's own GET works.
        Assert.Equal("integration", (await client.RetrieveAsync(session.UserId))["user_name"]);
    }
}
