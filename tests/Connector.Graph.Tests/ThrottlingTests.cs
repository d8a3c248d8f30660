using System.Diagnostics;
using System.Net.Http.Json;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Graph;

namespace Connector.Graph.Tests;

/// <summary>Retry-After honoured, jittered backoff, dropped connections retried, at most 4 concurrent per mailbox, $batch.</summary>
public sealed class ThrottlingTests : IAsyncLifetime
{
    private SimulatorHost _sim = null!;

    public async Task InitializeAsync()
    {
        _sim = await SimulatorHost.StartAsync();
        await _sim.AddMailboxAsync("dave@contoso.com", "Dave");
        await _sim.AddMailboxAsync("erin@contoso.com", "Erin");
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private static Event NewEvent(string subject) => new()
    {
        Subject = subject,
        Start = DateTimeTimeZone.FromUtc(new DateTimeOffset(2030, 6, 1, 9, 0, 0, TimeSpan.Zero)),
        End = DateTimeTimeZone.FromUtc(new DateTimeOffset(2030, 6, 1, 10, 0, 0, TimeSpan.Zero)),
    };

    [Theory]
    [InlineData("throttle", 429)]
    [InlineData("serverError", 503)]
    public async Task A_throttled_request_waits_at_least_Retry_After_then_succeeds(string kind, int status)
    {
        var dave = _sim.Mailbox("dave@contoso.com");
        await dave.ListTaskListsAsync(); // token acquired outside the measurement
        await _sim.ControlAsync("/_sim/faults", new { kind, status, retryAfterSeconds = 2, count = 1, pathContains = "/events" });

        var watch = Stopwatch.StartNew();
        var created = await dave.CreateEventAsync(NewEvent("After throttling"));
        watch.Stop();

        Assert.NotNull(created.Id);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2), $"retried after {watch.Elapsed.TotalMilliseconds} ms, before Retry-After");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"waited {watch.Elapsed.TotalMilliseconds} ms");
        Assert.Single(_sim.Service<Connector.Simulators.Control.FaultInjector>().Fired, f => f.Kind == kind);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_and_the_create_is_not_duplicated()
    {
        var dave = _sim.Mailbox("dave@contoso.com");
        await dave.ListTaskListsAsync();
        await _sim.ControlAsync("/_sim/faults", new { kind = "drop", count = 1, pathContains = "/events" });
        var created = await dave.CreateEventAsync(NewEvent("Survives a drop"));
        Assert.NotNull(created.Id);
        var all = await dave.CalendarViewDeltaAsync(new(2030, 5, 1, 0, 0, 0, TimeSpan.Zero), new(2030, 7, 1, 0, 0, 0, TimeSpan.Zero), null);
        Assert.Single(all.Items);
    }

    [Fact]
    public async Task No_more_than_four_requests_per_mailbox_are_in_flight()
    {
        var transport = _sim.Transport();
        var dave = _sim.Mailbox("dave@contoso.com", transport);
        await dave.ListTaskListsAsync();
        await _sim.ControlAsync("/_sim/faults", new { kind = "latency", latencyMs = 150, count = 24, pathContains = "/todo/lists" });

        await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => dave.ListTaskListsAsync()));

        var peak = _sim.Service<GraphRequestContext>().PeakConcurrency["dave@contoso.com"];
        Assert.InRange(peak, 2, GraphRequestContext.MaxConcurrentPerMailbox);
        Assert.Equal(0, _sim.Service<GraphRequestContext>().Throttled);
    }

    [Fact]
    public async Task A_client_allowing_more_than_four_is_throttled_by_the_mailbox_limit_and_still_completes_by_retrying()
    {
        // The counter-check of the test above: the simulator really enforces the limit.
        var transport = _sim.Transport(new GraphClientOptions { GraphBaseUrl = _sim.BaseAddress, MaxConcurrentPerMailbox = 12, BaseDelay = TimeSpan.FromMilliseconds(50) });
        var dave = _sim.Mailbox("dave@contoso.com", transport);
        await dave.ListTaskListsAsync();
        await _sim.ControlAsync("/_sim/faults", new { kind = "latency", latencyMs = 300, count = 12, pathContains = "/todo/lists" });

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => dave.ListTaskListsAsync()));

        Assert.All(results, lists => Assert.Single(lists));
        Assert.Equal(GraphRequestContext.MaxConcurrentPerMailbox, _sim.Service<GraphRequestContext>().PeakConcurrency["dave@contoso.com"]);
        Assert.True(_sim.Service<GraphRequestContext>().Throttled > 0, "the simulator answered 429 to requests beyond the fourth");
    }

    [Fact]
    public async Task Batch_sends_at_most_20_per_call_and_retries_only_the_throttled_items()
    {
        var transport = _sim.Transport();
        var tokens = _sim.AppTokens();
        var batch = new GraphBatchClient(transport, tokens, "erin@contoso.com");
        var requests = Enumerable.Range(0, 45).Select(i => new BatchRequestItem
        {
            Id = i.ToString(), Method = "POST", Url = "/users/erin@contoso.com/events",
            Headers = new() { ["Content-Type"] = "application/json" },
            Body = System.Text.Json.JsonSerializer.SerializeToElement(NewEvent($"Batched {i}"), GraphJson.Options),
        }).ToList();
        // Two inner requests get throttled; they are retried in a later batch.
        await _sim.ControlAsync("/_sim/faults", new { kind = "throttle", retryAfterSeconds = 1, count = 2, pathContains = "/users/erin" });

        var results = await batch.SendAsync(requests);

        Assert.Equal(45, results.Count);
        Assert.All(results.Values, r => Assert.Equal(201, r.Status));
        Assert.Equal(4, batch.BatchCalls); // 20 + 20 + 5, then one retry batch with the 2 throttled
        var dump = await _sim.Http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri(_sim.BaseAddress, "/_sim/mailboxes/erin@contoso.com"));
        var calendar = dump.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "Calendar");
        Assert.Equal(45, calendar.GetProperty("items").GetArrayLength());

        var tooMany = new Connector.Exchange.Graph.Models.BatchRequest { Requests = requests.Take(21).ToList() };
        var ex = await Assert.ThrowsAsync<GraphException>(() => transport.SendJsonAsync<BatchResponse>("erin@contoso.com", tokens, HttpMethod.Post, "$batch", tooMany, CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, ex.Status);
    }

    [Fact]
    public async Task GetSchedule_splits_more_than_100_addresses_and_more_than_62_days()
    {
        var dave = _sim.Mailbox("dave@contoso.com");
        var erin = _sim.Mailbox("erin@contoso.com");
        await erin.CreateEventAsync(new Event
        {
            Subject = "Busy in March", ShowAs = "busy",
            Start = DateTimeTimeZone.FromUtc(new DateTimeOffset(2030, 3, 10, 9, 0, 0, TimeSpan.Zero)),
            End = DateTimeTimeZone.FromUtc(new DateTimeOffset(2030, 3, 10, 10, 0, 0, TimeSpan.Zero)),
        });
        var addresses = Enumerable.Range(0, 149).Select(i => $"nobody{i}@contoso.com").Append("erin@contoso.com").ToList();
        var (start, end) = (new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 4, 1, 0, 0, 0, TimeSpan.Zero)); // 90 days

        var schedules = await dave.GetScheduleAsync(addresses, start, end, intervalMinutes: 60);

        Assert.Equal(150, schedules.Count);
        var erinSchedule = schedules.Single(s => s.ScheduleId == "erin@contoso.com");
        Assert.Equal(90 * 24, erinSchedule.AvailabilityView!.Length);             // two windows joined seamlessly
        var busyHour = (int)(new DateTimeOffset(2030, 3, 10, 9, 0, 0, TimeSpan.Zero) - start).TotalHours;
        Assert.Equal('2', erinSchedule.AvailabilityView[busyHour]);
        Assert.Equal(1, erinSchedule.AvailabilityView.Count(c => c != '0'));
        Assert.Equal("ErrorMailRecipientNotFound", schedules.First(s => s.ScheduleId == "nobody0@contoso.com").Error!.ResponseCode);
    }
}
