using System.Net;
using Dapper;

namespace Connector.Api.Tests.Users;

public sealed class PreferencesTests : ApiTestBase
{
    private const string Ntlm = """
        {"enabled": true, "mailbox": "anna@example.com", "authMethod": "ntlm", "username": "EXAMPLE\\anna",
         "password": "Winter-2026!", "features": {"calendar": true, "tasks": true, "contacts": false}}
        """;

    private async Task UseOnPremisesAsync() =>
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsync("/api/v1/settings",
            Json("""{"exchangeKind":"onPremises","ewsUrl":"https://mail.example.com/EWS/Exchange.asmx"}"""))).StatusCode);

    [Fact]
    public async Task A_user_saves_and_reads_their_own_preferences()
    {
        await UseOnPremisesAsync();
        var put = await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var body = await ReadObjectAsync(await User(5).GetAsync("/api/v1/users/5/preferences"));
        Assert.Equal(5, (int?)body["crmUserId"]);
        Assert.True((bool?)body["enabled"]);
        Assert.Equal("anna@example.com", (string?)body["mailbox"]);
        Assert.Equal("ntlm", (string?)body["authMethod"]);
        Assert.Equal("EXAMPLE\\anna", (string?)body["username"]);
        Assert.True((bool?)body["passwordSet"]);
        Assert.False((bool?)body["features"]!["contacts"]);
        Assert.Equal("active", (string?)body["state"]);
        Assert.Null(body["password"]);
    }

    [Fact]
    public async Task The_password_is_write_only_and_stored_as_ciphertext()
    {
        await UseOnPremisesAsync();
        await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm));
        Assert.DoesNotContain("Winter-2026!", await (await User(5).GetAsync("/api/v1/users/5/preferences")).Content.ReadAsStringAsync());

        await using var connection = await Database.OpenAsync();
        var raw = await connection.QuerySingleAsync<string>("SELECT password_protected FROM exc_users WHERE crm_user_id = 5");
        Assert.DoesNotContain("Winter", raw);
        var store = Host.App.Services.GetRequiredService<Connector.Storage.Users.UserStore>();
        Assert.Equal("Winter-2026!", await store.GetPasswordAsync(5));

        // Saving again without a password keeps it.
        await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm.Replace("\"password\": \"Winter-2026!\",", "")));
        Assert.Equal("Winter-2026!", await store.GetPasswordAsync(5));
    }

    [Fact]
    public async Task A_user_may_not_touch_another_users_preferences()
    {
        await UseOnPremisesAsync();
        await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm));

        Assert.Equal(HttpStatusCode.Forbidden, (await User(6).GetAsync("/api/v1/users/5/preferences")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await User(6).PutAsync("/api/v1/users/5/preferences", Json(Ntlm.Replace("anna@", "mallory@")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await User(6).DeleteAsync("/api/v1/users/5/preferences")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.Client(crmUserId: null, admin: false).GetAsync("/api/v1/users/5/preferences")).StatusCode);
        Assert.Equal("anna@example.com", (string?)(await ReadObjectAsync(await User(5).GetAsync("/api/v1/users/5/preferences")))["mailbox"]);
    }

    [Fact]
    public async Task An_admin_manages_anyone_and_lists_users_with_their_state()
    {
        await UseOnPremisesAsync();
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsync("/api/v1/users/5/preferences", Json(Ntlm))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsync("/api/v1/users/9/preferences", Json("""{"enabled": false}"""))).StatusCode);

        var list = (await ReadArrayAsync(await Admin.GetAsync("/api/v1/users"))).ToList();
        Assert.Equal([5, 9], list.Select(u => (int)u!["crmUserId"]!));
        Assert.Equal(["active", "disabled"], list.Select(u => (string)u!["state"]!));
        Assert.Equal(HttpStatusCode.Forbidden, (await User(5).GetAsync("/api/v1/users")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/api/v1/users/9/preferences")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/v1/users/9/preferences")).StatusCode);
    }

    [Fact]
    public async Task Invalid_preferences_name_the_field_and_change_nothing()
    {
        await UseOnPremisesAsync();
        await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm));

        Assert.Contains("mailbox", await ProblemFieldsAsync(await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm.Replace("anna@example.com", "anna")))));
        Assert.Contains("username", await ProblemFieldsAsync(await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm.Replace("\"EXAMPLE\\\\anna\"", "\"\"")))));
        Assert.Contains("authMethod", await ProblemFieldsAsync(await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm.Replace("ntlm", "kerberos")))));
        Assert.Contains("authMethod", await ProblemFieldsAsync(await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm.Replace("ntlm", "oauthDelegated")))));
        Assert.Contains("enabled", await ProblemFieldsAsync(await User(5).PutAsync("/api/v1/users/5/preferences", Json("""{"mailbox":"anna@example.com"}"""))));
        Assert.Contains("colour", await ProblemFieldsAsync(await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm.Replace("\"enabled\"", "\"colour\": \"red\", \"enabled\"")))));

        var body = await ReadObjectAsync(await User(5).GetAsync("/api/v1/users/5/preferences"));
        Assert.Equal("anna@example.com", (string?)body["mailbox"]);
        Assert.Equal("ntlm", (string?)body["authMethod"]);
    }

    [Fact]
    public async Task A_mailbox_belongs_to_one_user()
    {
        await UseOnPremisesAsync();
        await User(5).PutAsync("/api/v1/users/5/preferences", Json(Ntlm));
        Assert.Contains("mailbox", await ProblemFieldsAsync(await User(6).PutAsync("/api/v1/users/6/preferences",
            Json(Ntlm.Replace("EXAMPLE\\\\anna", "EXAMPLE\\\\mallory").Replace("Winter-2026!", "mallory")))));

        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/v1/users/6/preferences")).StatusCode);
        var anna = await ReadObjectAsync(await Admin.GetAsync("/api/v1/users/5/preferences"));
        Assert.Equal("EXAMPLE\\anna", (string?)anna["username"]);
        Assert.Equal("Winter-2026!", await Host.App.Services.GetRequiredService<Connector.Storage.Users.UserStore>().GetPasswordAsync(5));
    }

    private static async Task<System.Text.Json.Nodes.JsonArray> ReadArrayAsync(HttpResponseMessage response) =>
        (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>(response.Content))!.AsArray();
}
