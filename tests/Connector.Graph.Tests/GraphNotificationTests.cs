using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Connector.Api.Features.GraphNotifications;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Tls;
using Connector.Storage.Graph;
using Connector.Storage.Jobs;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Connector.Testing;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MySql.Data.MySqlClient;

namespace Connector.Graph.Tests;

/// <summary>
/// The connector's notification endpoint and subscription upkeep against the simulator: the connector (HTTPS, with a
/// certificate from the simulator's CA) subscribes to a user's calendar; the simulator's notifications arrive at
/// <c>/graph/notifications</c>, are checked against the clientState and stored as catch-up jobs before the 202.
/// </summary>
public sealed class GraphNotificationTests : IAsyncLifetime
{
    private const string Mailbox = "ivy@contoso.com";
    private SimulatorHost _sim = null!;
    private TestDatabase _db = null!;
    private ConnectorTestHost _connector = null!;
    private Uri _connectorHttps = null!;

    public async Task InitializeAsync()
    {
        _sim = await SimulatorHost.StartAsync();
        await _sim.AddMailboxAsync(Mailbox, "Ivy");
        _db = await TestDatabase.CreateAsync("graphn");
        var certificate = _sim.Service<SimulatorTls>().Authority.IssueServerCertificate();
        _connector = await ConnectorTestHost.StartAsync(_db, new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0;https://127.0.0.1:0",
            ["Connector:ExtraCaBundlePath"] = _sim.CaPath,
        }, configure: b => b.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h => h.ServerCertificate = certificate)));
        var addresses = _connector.App.Urls.Select(u => new Uri(u)).ToList();
        _connectorHttps = addresses.First(a => a.Scheme == "https");
        using var admin = _connector.Client(crmUserId: 1, admin: true);
        (await admin.PutAsJsonAsync("/api/v1/settings", new
        {
            exchangeKind = "microsoft365", graphBaseUrl = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'), authorityHost = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'),
            tenantId = SimulatorHost.TenantId, clientId = SimulatorHost.ClientId, clientSecret = SimulatorHost.ClientSecret,
            notificationUrl = new Uri(_connectorHttps, GraphNotificationEndpoints.Path).AbsoluteUri,
        })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/v1/users/5/preferences", new { enabled = true, mailbox = Mailbox, authMethod = "application" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _db.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task The_connector_subscribes_and_a_change_in_exchange_becomes_a_stored_catch_up_job()
    {
        // No sign-in pop-up here (application permissions): the user's channel starting is what subscribes them.
        var queue = _connector.App.Services.GetRequiredService<JobQueue>();
        var stored = await Eventually(async () => (await _connector.App.Services.GetRequiredService<GraphSubscriptionStore>().ListForUserAsync(5)).SingleOrDefault());
        Assert.Equal($"/users/{Mailbox}/events", stored.Resource);
        var onGraph = (await _sim.Http.GetFromJsonAsync<List<Subscription>>(new Uri(_sim.BaseAddress, "/_sim/subscriptions"), GraphJson.Options))!.Single();
        Assert.Equal(stored.SubscriptionId, onGraph.Id);
        Assert.StartsWith(_connectorHttps.AbsoluteUri, onGraph.NotificationUrl); // handshake with the connector passed
        await Eventually(async () => await CountJobsAsync(GraphNotificationEndpoints.CatchUpKind) == 1 ? "queued" : null); // initial catch-up

        await ClaimAllCatchUpsAsync(queue);
        var created = await _sim.Mailbox(Mailbox).CreateEventAsync(new Event
        {
            Subject = "Pushed", Start = DateTimeTimeZone.FromUtc(new DateTimeOffset(2030, 5, 5, 9, 0, 0, TimeSpan.Zero)),
            End = DateTimeTimeZone.FromUtc(new DateTimeOffset(2030, 5, 5, 10, 0, 0, TimeSpan.Zero)),
        });
        // The sync engine's graph.catchUp handler may already have run it: the stored job is what counts, in any state.
        var payload = await Eventually(async () => (await CatchUpPayloadsAsync()).FirstOrDefault(p => p.Contains("\"created\"", StringComparison.Ordinal)));
        var job = JsonSerializer.Deserialize<GraphCatchUpPayload>(payload)!;
        Assert.Equal(5, job.CrmUserId);
        Assert.Equal(Mailbox, job.Mailbox);
        Assert.Equal("created", job.Trigger);
        Assert.NotNull(created.Id);

        // Without a notificationUrl the connector polls delta: saving the settings removes the subscription on both sides.
        using var admin = _connector.Client(crmUserId: 1, admin: true);
        (await admin.PutAsJsonAsync("/api/v1/settings", new
        {
            exchangeKind = "microsoft365", graphBaseUrl = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'), authorityHost = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'),
            tenantId = SimulatorHost.TenantId, clientId = SimulatorHost.ClientId,
        })).EnsureSuccessStatusCode();
        await Eventually(async () => (await _connector.App.Services.GetRequiredService<GraphSubscriptionStore>().ListForUserAsync(5)).Count == 0 ? "gone" : null);
        Assert.Empty((await _sim.Http.GetFromJsonAsync<List<Subscription>>(new Uri(_sim.BaseAddress, "/_sim/subscriptions"), GraphJson.Options))!);

        // An admin who adds the URL later subscribes the users already enabled.
        (await admin.PutAsJsonAsync("/api/v1/settings", new
        {
            exchangeKind = "microsoft365", graphBaseUrl = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'), authorityHost = _sim.BaseAddress.AbsoluteUri.TrimEnd('/'),
            tenantId = SimulatorHost.TenantId, clientId = SimulatorHost.ClientId,
            notificationUrl = new Uri(_connectorHttps, GraphNotificationEndpoints.Path).AbsoluteUri,
        })).EnsureSuccessStatusCode();
        await Eventually(async () => (await _sim.Http.GetFromJsonAsync<List<Subscription>>(new Uri(_sim.BaseAddress, "/_sim/subscriptions"), GraphJson.Options))!.SingleOrDefault());
    }

    [Fact]
    public async Task Handshake_is_echoed_and_notifications_with_a_wrong_clientState_are_ignored()
    {
        using var anonymous = new HttpClient { BaseAddress = _connector.BaseAddress }; // Graph sends no connector key
        var echo = await anonymous.PostAsync($"{GraphNotificationEndpoints.Path}?validationToken={Uri.EscapeDataString("Validation: token 1+2")}", null);
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Equal("text/plain", echo.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Validation: token 1+2", await echo.Content.ReadAsStringAsync());

        var store = _connector.App.Services.GetRequiredService<GraphSubscriptionStore>();
        await store.SaveAsync(new StoredGraphSubscription("sub-1", 5, Mailbox, $"/users/{Mailbox}/events", DateTime.UtcNow.AddDays(2)), "the-real-state");
        ChangeNotificationCollection Notification(string state, string? lifecycle = null) => new()
        {
            Value = [new ChangeNotification { SubscriptionId = "sub-1", ClientState = state, ChangeType = lifecycle is null ? "updated" : null, LifecycleEvent = lifecycle }],
        };

        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync(GraphNotificationEndpoints.Path, Notification("forged"), GraphJson.Options)).StatusCode);
        Assert.Equal(0, await CountJobsAsync(GraphNotificationEndpoints.CatchUpKind));

        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync(GraphNotificationEndpoints.Path, Notification("the-real-state"), GraphJson.Options)).StatusCode);
        Assert.Equal(1, await CountJobsAsync(GraphNotificationEndpoints.CatchUpKind));

        await anonymous.PostAsJsonAsync(GraphNotificationEndpoints.Path, Notification("the-real-state", "missed"), GraphJson.Options);
        // Folded into the waiting catch-up: never two waiting at once (the sync engine may already have run the first).
        Assert.True(await CountWaitingAsync(GraphNotificationEndpoints.CatchUpKind) <= 1);
        await anonymous.PostAsJsonAsync(GraphNotificationEndpoints.Path, Notification("the-real-state", "subscriptionRemoved"), GraphJson.Options);
        Assert.True(await CountJobsAsync(GraphNotificationEndpoints.SubscriptionKind) >= 1);
    }

    [Fact]
    public async Task A_notification_about_calendar_events_reads_the_calendar_feed_only()
    {
        var handler = _connector.App.Services.GetServices<Connector.Api.Workers.IJobHandler>().OfType<Connector.Api.Features.Sync.GraphCatchUpHandler>().Single();
        async Task<List<SyncFolder>> FeedsQueuedAfter(string mailbox, string resource)
        {
            var payload = JsonSerializer.Serialize(new GraphCatchUpPayload(9, mailbox, resource, "sub-9", "created"));
            await handler.HandleAsync(new Job(0, GraphNotificationEndpoints.CatchUpKind, payload, null, JobState.Running, 1, 8, DateTime.UtcNow, null, DateTime.UtcNow, DateTime.UtcNow), default);
            await using var connection = new MySqlConnection(_db.ConnectionString);
            var payloads = await connection.QueryAsync<string>("SELECT payload FROM exc_jobs WHERE kind = 'exchange.change' AND payload LIKE @like", new { like = $"%{mailbox}%" });
            return payloads.Select(p => SyncJobs.Deserialize<SyncJobs.FeedPayload>(p).Folder).Order().ToList();
        }

        // The subscription watches the calendar's events: the task feed is read by polling, not on every notification.
        Assert.Equal([SyncFolder.Calendar], await FeedsQueuedAfter("zoe@contoso.com", "/users/zoe@contoso.com/events"));
        // A resource it does not know: every feed, rather than miss a change.
        Assert.Equal([SyncFolder.Calendar, SyncFolder.Tasks], await FeedsQueuedAfter("max@contoso.com", "/users/max@contoso.com/somethingElse"));
    }

    private async Task<int> CountJobsAsync(string kind)
    {
        await using var connection = new MySqlConnection(_db.ConnectionString);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM exc_jobs WHERE kind = @kind", new { kind });
    }

    private async Task<int> CountWaitingAsync(string kind)
    {
        await using var connection = new MySqlConnection(_db.ConnectionString);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM exc_jobs WHERE kind = @kind AND state = 'Pending'", new { kind });
    }

    private async Task<List<string>> CatchUpPayloadsAsync()
    {
        await using var connection = new MySqlConnection(_db.ConnectionString);
        return (await connection.QueryAsync<string>("SELECT payload FROM exc_jobs WHERE kind = @kind ORDER BY id DESC",
            new { kind = GraphNotificationEndpoints.CatchUpKind })).ToList();
    }

    // Take the waiting catch-ups out of the way (the sync engine's handler may have taken them already).
    private static async Task ClaimAllCatchUpsAsync(JobQueue queue)
    {
        foreach (var job in await queue.ClaimAsync("test", 100, kinds: [GraphNotificationEndpoints.CatchUpKind])) await queue.CompleteAsync(job.Id);
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(50);
        }
        throw new TimeoutException("condition not reached in 30 s");
    }
}
