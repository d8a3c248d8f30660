using System.Net.Http.Json;
using System.Text.Json;
using Connector.Exchange.Graph.Models;

namespace Connector.Sync.Tests;

/// <summary>
/// Issue 6, user initialisation: Exchange items in the window are pulled, CRM records pushed, a pair that exists on both
/// sides is linked (not duplicated), historical meetings send no invitations, progress is reported.
/// </summary>
public class InitialSyncTests : IAsyncLifetime
{
    /// <summary>The protocol the connector speaks to Exchange (an EWS subclass runs the same scenarios, see EwsWorld.cs).</summary>
    protected virtual ExchangeProtocol Protocol => ExchangeProtocol.Graph;

    private SyncWorld _w = null!;

    public async Task InitializeAsync() => _w = await SyncWorld.StartAsync(protocol: Protocol);

    public async Task DisposeAsync() => await _w.DisposeAsync();

    [Fact]
    public async Task Initialisation_pulls_pushes_and_links_without_duplicates_or_invitations_and_reports_progress()
    {
        var rome = TimeZoneInfo.FindSystemTimeZoneById(SyncWorld.ServerZone);
        var today = DateTime.SpecifyKind(DateTime.Today, DateTimeKind.Unspecified);
        var crmEvents = Enumerable.Range(0, 20).Select(i => ($"CRM event {i}", today.AddDays(i - 10).AddHours(9))).ToList();
        await _w.SeedCrmEventsAsync(_w.AliceId, crmEvents);
        // A past meeting with Bob invited: pushing it must not invite Bob.
        await _w.CrmCreateEventAsync("Old meeting with Bob", today.AddDays(-3).AddHours(15), _w.AliceId, inviteeEmails: [SyncWorld.Bob]);
        var exchangeEvents = Enumerable.Range(0, 20).Select(i =>
        {
            var start = new DateTimeOffset(today.AddDays(i - 5).AddHours(16), TimeSpan.Zero);
            return ($"Exchange event {i}", start, start.AddMinutes(45));
        }).ToList();
        // The same appointment entered on both sides before the connector existed.
        var both = TimeZoneInfo.ConvertTimeToUtc(today.AddDays(2).AddHours(9), rome);
        exchangeEvents.Add(("CRM event 12", new DateTimeOffset(both, TimeSpan.Zero), new DateTimeOffset(both.AddHours(1), TimeSpan.Zero)));
        _w.SeedExchangeEvents(SyncWorld.Alice, exchangeEvents);

        await _w.EnableAsync(_w.AliceId, SyncWorld.Alice);
        using var alice = _w.Connector.Client(crmUserId: _w.AliceId, admin: false);
        var accepted = await alice.PostAsync($"/api/v1/users/{_w.AliceId}/initialize", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);

        var status = await SyncWorld.Eventually(async () =>
        {
            var s = await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/status");
            return s.GetProperty("initialization") is { ValueKind: JsonValueKind.Object } init && init.GetProperty("state").GetString() == "finished" ? (JsonElement?)s : null;
        }, "initialisation finished", 60);
        var init = status!.Value.GetProperty("initialization");
        Assert.Equal(100, init.GetProperty("percent").GetInt32());
        Assert.Equal(0, init.GetProperty("failed").GetInt32());
        Assert.True(init.GetProperty("items").GetInt32() >= 41, init.ToString());
        await _w.QuietAsync();

        // Every CRM event is in Exchange once, every Exchange event in the CRM once, the pair only once on each side.
        var calendar = await _w.Mailbox(SyncWorld.Alice).CalendarViewDeltaAsync(DateTimeOffset.UtcNow.AddDays(-40), DateTimeOffset.UtcNow.AddDays(400), null);
        var subjects = calendar.Items.Select(e => e.Subject!).ToList();
        Assert.Equal(subjects.Count, subjects.Distinct().Count());
        Assert.Equal(20 + 1 + 20, subjects.Count);
        var crmSubjects = await _w.CrmQueryAsync<string>("SELECT a.subject FROM vte_activity a JOIN vte_crmentity e ON e.crmid = a.activityid WHERE e.deleted = 0");
        Assert.Equal(crmSubjects.Count, crmSubjects.Distinct().Count());
        Assert.Equal(subjects.Order(), crmSubjects.Order());
        Assert.Equal(41, (await _w.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_links WHERE mailbox = @m", new { m = SyncWorld.Alice }))[0]);
        Assert.Equal(41, (await alice.GetFromJsonAsync<JsonElement>($"/api/v1/users/{_w.AliceId}/status")).GetProperty("linkedItems").GetInt32());

        // No invitation storm: Bob got no copy of the historical meeting.
        var bobs = await _w.Mailbox(SyncWorld.Bob).CalendarViewDeltaAsync(DateTimeOffset.UtcNow.AddDays(-40), DateTimeOffset.UtcNow.AddDays(400), null);
        Assert.Empty(bobs.Items);
        Assert.Empty(await _w.FailedJobsAsync());
    }
}
