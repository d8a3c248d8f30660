using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Connector.Sync.Tests;

/// <summary>
/// Issue 6, sign-in on premises: EWS refusing a user's password (401 from the simulator's real NTLM acceptor) puts the
/// user in NeedsSignIn with the server's reason, as a failed Graph token refresh does; the connector then stops asking
/// (no channel restarts, no job retries against EWS), and the user's changes wait. Saving the right password brings the
/// user back to Active, the channel restarts and the waiting change reaches the mailbox.
/// </summary>
public sealed class EwsSignInTests : IAsyncLifetime
{
    private SyncWorld _w = null!;

    public async Task InitializeAsync() => _w = await SyncWorld.StartAsync(protocol: ExchangeProtocol.Ews);

    public async Task DisposeAsync() => await _w.DisposeAsync();

    [Fact]
    public async Task A_refused_ntlm_password_needs_sign_in_stops_asking_and_the_right_one_lets_waiting_changes_flow()
    {
        using var admin = _w.Connector.Client(crmUserId: 1, admin: true);
        using var alice = _w.Connector.Client(crmUserId: _w.AliceId, admin: false);
        (await admin.PutAsJsonAsync($"/api/v1/users/{_w.AliceId}/preferences", new
        {
            enabled = true, mailbox = SyncWorld.Alice, authMethod = "ntlm", username = "CONTOSO\\alice", password = "not-her-password",
        })).EnsureSuccessStatusCode();

        // The channel's first Subscribe is refused: the user needs to sign in, with the server's reason, everywhere it shows.
        var status = (await SyncWorld.Eventually(async () =>
            await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/status") is var s && s.GetProperty("state").GetString() == "needsSignIn" ? (JsonElement?)s : null,
            "Alice's state to be needsSignIn"))!.Value;
        Assert.Contains("refused", status.GetProperty("stateReason").GetString());
        Assert.Contains("alice", status.GetProperty("stateReason").GetString());
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/users")).EnumerateArray().Single(u => u.GetProperty("crmUserId").GetInt32() == _w.AliceId);
        Assert.Equal("needsSignIn", listed.GetProperty("state").GetString());
        var preferences = await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/preferences");
        Assert.Equal("needsSignIn", preferences.GetProperty("state").GetString());
        Assert.Equal(status.GetProperty("stateReason").GetString(), preferences.GetProperty("stateReason").GetString());

        // A CRM change for her meanwhile waits (parked, not failed, no hot retry).
        var day = DateTime.SpecifyKind(DateTime.Today.AddDays(5).AddHours(11), DateTimeKind.Unspecified);
        var id = await _w.CrmCreateEventAsync("Waits for the password", day, _w.AliceId);
        await SyncWorld.Eventually(async () => (await _w.ConnectorQueryAsync<string>(
                "SELECT last_error FROM exc_jobs WHERE kind = 'crm.change' AND state = 'Pending' AND last_error LIKE 'Waiting for CRM user%'")).Count == 1 ? (object)true : null,
            "the CRM change to wait for Alice's sign-in");
        Assert.Empty(await _w.FailedJobsAsync());
        using (var errors = await admin.GetAsync("/api/v1/errors"))
            Assert.Empty((await errors.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());

        // Nobody asks EWS again with the refused password: over a dozen channel checks and polls, not one EWS request.
        var before = await EwsRequestsAsync();
        var quiet = DateTime.UtcNow.AddSeconds(4);
        while (DateTime.UtcNow < quiet)
        {
            await Task.Delay(250);
            Assert.Equal(before, await EwsRequestsAsync());
        }
        Assert.Equal("needsSignIn", (await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/status")).GetProperty("state").GetString());

        // The right password: Active again, the channel runs, the waiting change reaches her calendar.
        (await alice.PutAsJsonAsync($"/api/v1/users/{_w.AliceId}/preferences", EwsWorld.Preferences(enabled: true, SyncWorld.Alice)))
            .EnsureSuccessStatusCode();
        Assert.Equal("active", (await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/preferences")).GetProperty("state").GetString());
        var mailbox = _w.Mailbox(SyncWorld.Alice);
        var created = await SyncWorld.Eventually(async () =>
                (await mailbox.FindEventsByCrmIdAsync(id.CrmId.ToString(CultureInfo.InvariantCulture))).SingleOrDefault(),
            "the waiting CRM event in Alice's calendar");
        Assert.Equal("Waits for the password", created.Subject);
        await SyncWorld.Eventually(async () =>
                (await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/status")).GetProperty("channelRunning").GetBoolean() ? (object)true : null,
            "Alice's channel to run again");

        // And her Exchange changes flow to the CRM again (through the restarted stream).
        await mailbox.UpdateEventAsync(created.Id!, new Connector.Exchange.Graph.Models.Event { Subject = "Signed in again" });
        await SyncWorld.Eventually(async () => await _w.CrmScalarAsync<string>("SELECT subject FROM vte_activity WHERE activityid = @id", new { id = id.CrmId }) == "Signed in again" ? (object)true : null,
            "the Exchange edit in vtenext");
        var status2 = await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/status");
        Assert.Equal("active", status2.GetProperty("state").GetString());
        Assert.Empty(await _w.FailedJobsAsync());
    }

    private async Task<long> EwsRequestsAsync()
    {
        var counts = await _w.SimRequestsAsync();
        return counts.TryGetValue("ews", out var n) ? n : 0;
    }
}
