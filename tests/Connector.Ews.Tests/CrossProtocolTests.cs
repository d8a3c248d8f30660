using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Exchange.Ews.Streaming;

namespace Connector.Ews.Tests;

/// <summary>Graph and EWS are two doors to the same simulated mailboxes: what one writes, the other syncs and streams.</summary>
public sealed class CrossProtocolTests : IAsyncLifetime
{
    private static readonly string CrmIdGraphId = Connector.Exchange.Common.CrmIdStamp.GraphId;
    private EwsServer _server = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync() => _server = await EwsServer.StartAsync(o => o.Heartbeat = TimeSpan.FromMilliseconds(300));

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _server.DisposeAsync();
    }

    private async Task<HttpClient> GraphAsync()
    {
        var http = new HttpClient { BaseAddress = _server.Http };
        (await http.PostAsJsonAsync("/_sim/apps", new { tenantId = "contoso", clientId = "ews-x", clientSecret = "s3cret" })).EnsureSuccessStatusCode();
        var token = await http.PostAsync("/contoso/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "ews-x", ["client_secret"] = "s3cret",
            ["scope"] = "https://graph.microsoft.com/.default",
        }));
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    [Fact]
    public async Task An_event_created_through_Graph_reaches_the_EWS_stream_and_sync_with_the_same_crm_id()
    {
        var alice = _server.AddMailbox("x-graph-to-ews");
        using var client = _server.Client(alice);
        var listener = new MirrorListener(_ => client);
        var target = new StreamTarget(alice.Address, alice.Address, [FolderRef.Calendar]);
        await listener.SyncAsync(target);
        var group = client.CreateStreamingGroup([target], listener, new StreamingOptions { Heartbeat = TimeSpan.FromSeconds(1) });
        var connected = new TaskCompletionSource();
        group.Connected += _ => connected.TrySetResult();
        _ = Task.Run(() => group.RunAsync(_stop.Token));
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var graph = await GraphAsync();

        var created = await graph.PostAsJsonAsync($"/v1.0/users/{alice.Address}/events", new
        {
            subject = "Made in Graph",
            start = new { dateTime = "2030-10-01T09:00:00", timeZone = "UTC" },
            end = new { dateTime = "2030-10-01T10:00:00", timeZone = "UTC" },
            singleValueExtendedProperties = new[] { new { id = CrmIdGraphId, value = "crm-from-graph" } },
        });
        created.EnsureSuccessStatusCode();
        var graphId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await Eventually.TrueAsync(() => listener.Mirror(alice.Address).ContainsKey(graphId), TimeSpan.FromSeconds(1), "the Graph event in the EWS mirror");
        Assert.Contains(listener.Events, e => e.Event.EventType == "CreatedEvent" && e.Event.ItemId?.Id == graphId);
        var read = (await client.GetEventsAsync([new EwsItemId(graphId)])).Single()!;
        Assert.Equal("Made in Graph", read.Subject);
        Assert.Equal("crm-from-graph", read.CrmId);
        Assert.Equal(new DateTimeOffset(2030, 10, 1, 9, 0, 0, TimeSpan.Zero), read.Start);
    }

    [Fact]
    public async Task An_event_created_through_EWS_is_read_by_Graph_with_the_same_crm_id()
    {
        var alice = _server.AddMailbox("x-ews-to-graph");
        using var client = _server.Client(alice);
        var day = new DateTimeOffset(2030, 10, 2, 9, 0, 0, TimeSpan.Zero);
        using var graph = await GraphAsync();
        // Graph's change feed: a first delta round (empty calendar), then the EWS write, then the next round.
        var window = "startDateTime=2030-10-01T00:00:00Z&endDateTime=2030-10-31T00:00:00Z";
        var first = await graph.GetFromJsonAsync<JsonElement>($"/v1.0/users/{alice.Address}/calendarView/delta?{window}");
        Assert.Empty(first.GetProperty("value").EnumerateArray());
        var deltaLink = first.GetProperty("@odata.deltaLink").GetString()!;

        var id = await client.CreateEventAsync(new CalendarEvent { Subject = "Made in EWS", Start = day, End = day.AddHours(1), CrmId = "crm-from-ews" });

        var next = await graph.GetFromJsonAsync<JsonElement>(deltaLink);
        Assert.Contains(next.GetProperty("value").EnumerateArray(), e => e.GetProperty("id").GetString() == id.Id);

        var filter = Uri.EscapeDataString($"singleValueExtendedProperties/any(ep: ep/id eq '{CrmIdGraphId}' and ep/value eq 'crm-from-ews')");
        var found = await graph.GetFromJsonAsync<JsonElement>($"/v1.0/users/{alice.Address}/events?$filter={filter}");
        var match = Assert.Single(found.GetProperty("value").EnumerateArray());
        Assert.Equal(id.Id, match.GetProperty("id").GetString());
        Assert.Equal("Made in EWS", match.GetProperty("subject").GetString());
    }
}
