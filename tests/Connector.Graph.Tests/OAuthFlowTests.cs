using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Connector.Api.Features.OAuth;
using Connector.Core.Users;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Storage.Users;
using Connector.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySql.Data.MySqlClient;

namespace Connector.Graph.Tests;

/// <summary>
/// The pop-up sign-in end to end over real HTTP: connector /oauth/start → the authority's sign-in page → code
/// redirect → connector /oauth/callback → encrypted token cache in MariaDB → a Graph call with the user's token;
/// then a silent refresh, and a revoked refresh that marks the user "needs sign-in".
/// </summary>
public sealed partial class OAuthFlowTests : IAsyncLifetime
{
    private const string Mailbox = "grace@contoso.com";
    private const string Password = "Grace-Pa55";
    private const string RedirectUri = "https://crm.example.com/modules/ExchangeConnector/oauth_callback.php";
    private SimulatorHost _sim = null!;
    private TestDatabase _db = null!;
    private ConnectorTestHost _connector = null!;

    public async Task InitializeAsync()
    {
        // Access tokens live 60 s: inside MSAL's 5-minute refresh margin, so every silent call refreshes.
        _sim = await SimulatorHost.StartAsync(accessTokenLifetimeSeconds: 60);
        await _sim.AddMailboxAsync(Mailbox, "Grace Hopper", Password);
        _db = await TestDatabase.CreateAsync("graph");
        _connector = await ConnectorTestHost.StartAsync(_db, new Dictionary<string, string?> { ["Connector:ExtraCaBundlePath"] = _sim.CaPath });
        using var admin = _connector.Client(crmUserId: 1, admin: true);
        (await admin.PutAsJsonAsync("/api/v1/settings", new
        {
            exchangeKind = "microsoft365", graphBaseUrl = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'), authorityHost = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'),
            tenantId = SimulatorHost.TenantId, clientId = SimulatorHost.ClientId, clientSecret = SimulatorHost.ClientSecret,
        })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/v1/users/7/preferences", new { enabled = true, mailbox = Mailbox, authMethod = "oauthDelegated" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _db.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Popup_flow_stores_an_encrypted_cache_and_graph_calls_refresh_until_revoked()
    {
        using var bridge = _connector.Client(crmUserId: 7, admin: false);

        // 1. start: the sign-in URL for the pop-up, with PKCE and our state.
        var start = await (await bridge.PostAsJsonAsync("/api/v1/users/7/oauth/start", new { redirectUri = RedirectUri }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<OAuthStartResponse>();
        var url = new Uri(start!.AuthorizationUrl);
        Assert.StartsWith(new Uri(_sim.BaseAddress, $"/{SimulatorHost.TenantId}/oauth2/v2.0/authorize").AbsoluteUri, url.AbsoluteUri);
        Assert.Contains("code_challenge_method=S256", url.Query);
        Assert.Contains($"state={start.State}", url.Query);

        // 2. the user signs in on the authority's page; the authority redirects to the bridge with a code.
        var (code, returnedState) = await SignInAsync(url, Mailbox, Password);
        Assert.Equal(start.State, returnedState); // the callback page gets back exactly our state
        Assert.Single(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query)["state"]);

        // 3. callback: the bridge hands code + state to the connector.
        var callback = await bridge.PostAsJsonAsync("/api/v1/oauth/callback", new { code, state = start.State });
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal(Mailbox, (await callback.Content.ReadFromJsonAsync<OAuthCallbackResponse>())!.Account);

        // 4. the cache is stored encrypted: the column holds no token in clear, the decrypted cache does.
        var rawColumn = await RawTokenCacheAsync(7);
        Assert.NotNull(rawColumn);
        Assert.DoesNotContain("sim-rt-", rawColumn);
        Assert.DoesNotContain("sim-at-", rawColumn);
        var users = _connector.App.Services.GetRequiredService<UserStore>();
        var decrypted = System.Text.Encoding.UTF8.GetString((await users.GetTokenCacheAsync(7))!);
        Assert.Contains("sim-rt-", decrypted);
        Assert.Equal(UserState.Active, (await users.GetAsync(7))!.State);

        // 5. a Graph call with the user's delegated token (silent; the 60 s token forces a refresh).
        var (signIn, _) = await _connector.App.Services.GetRequiredService<GraphSignInFactory>().CreateAsync(CancellationToken.None);
        var grace = new GraphMailboxClient(_sim.Transport(), signIn!.ForUser(7), Mailbox);
        var refreshesBefore = await RefreshGrantsAsync();
        Assert.Equal("defaultList", (await grace.GetDefaultTaskListAsync()).WellknownListName);
        Assert.True(await RefreshGrantsAsync() > refreshesBefore, "the expiring token was refreshed with the stored refresh token");
        Assert.NotEqual(decrypted, System.Text.Encoding.UTF8.GetString((await users.GetTokenCacheAsync(7))!)); // rotated tokens persisted

        // Concurrent calls for the same user share one refresh and all succeed (no false "needs sign-in").
        var burst = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            new GraphMailboxClient(_sim.Transport(), signIn.ForUser(7), Mailbox).ListTaskListsAsync()));
        Assert.All(burst, lists => Assert.Single(lists));
        Assert.Equal(UserState.Active, (await users.GetAsync(7))!.State);

        // The state is one-use.
        var replay = await bridge.PostAsJsonAsync("/api/v1/oauth/callback", new { code, state = start.State });
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.True((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("state", out _));

        // 6. the refresh token is revoked: the next call fails and the user needs to sign in again, with a reason.
        await _sim.ControlAsync($"/_sim/oauth/revoke/{Mailbox}", new { });
        await Assert.ThrowsAsync<SignInRequiredException>(() => grace.ListTaskListsAsync());
        var user = await users.GetAsync(7);
        Assert.Equal(UserState.NeedsSignIn, user!.State);
        Assert.Contains("sign in again", user.StateReason);
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        using var bridge = _connector.Client(crmUserId: 7, admin: false);
        var noRedirect = await bridge.PostAsJsonAsync("/api/v1/users/7/oauth/start", new { redirectUri = "not a url" });
        Assert.Equal(HttpStatusCode.BadRequest, noRedirect.StatusCode);
        Assert.True((await noRedirect.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("redirectUri", out _));

        var noCode = await bridge.PostAsJsonAsync("/api/v1/oauth/callback", new { state = "abc" });
        Assert.True((await noCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _));

        using var other = _connector.Client(crmUserId: 8, admin: false);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/users/7/oauth/start", new { redirectUri = RedirectUri })).StatusCode);
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_names_the_code()
    {
        using var bridge = _connector.Client(crmUserId: 7, admin: false);
        var start = await (await bridge.PostAsJsonAsync("/api/v1/users/7/oauth/start", new { redirectUri = RedirectUri })).Content.ReadFromJsonAsync<OAuthStartResponse>();
        var callback = await bridge.PostAsJsonAsync("/api/v1/oauth/callback", new { code = "made-up", state = start!.State });
        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.True((await callback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _));
        Assert.Null(await RawTokenCacheAsync(7));
    }

    /// <summary>What the user does in the pop-up: fill in the authority's form; returns the code from the redirect.</summary>
    private async Task<(string Code, string State)> SignInAsync(Uri authorizeUrl, string login, string password)
    {
        using var handler = Connector.Exchange.Common.Tls.TrustedHttp.CreateSocketsHandler(_sim.Trust);
        handler.AllowAutoRedirect = false;
        using var browser = new HttpClient(handler);
        var page = await browser.GetStringAsync(authorizeUrl);
        var fields = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["login"] = login;
        fields["passwd"] = password;
        using var response = await browser.PostAsync(authorizeUrl.GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.AbsoluteUri);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    private async Task<string?> RawTokenCacheAsync(int crmUserId)
    {
        await using var connection = new MySqlConnection(_db.ConnectionString);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT token_cache_protected FROM exc_users WHERE crm_user_id = @crmUserId", new { crmUserId });
    }

    private async Task<int> RefreshGrantsAsync() =>
        (await _sim.Http.GetFromJsonAsync<JsonElement>(new Uri(_sim.BaseAddress, "/_sim/oauth/stats"))).GetProperty("refreshGrants").GetInt32();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
