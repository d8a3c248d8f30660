using System.Collections.Concurrent;
using System.Net;
using Connector.Api.Workers;
using Connector.Storage.Jobs;
using Connector.Testing;

namespace Connector.Api.Tests.Jobs;

/// <summary>The worker inside the real host runs handlers, retries failures and lists what keeps failing at /api/v1/errors.</summary>
public sealed class JobWorkerTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ConnectorTestHost _host = null!;
    private readonly FlakyHandler _handler = new();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("worker");
        _host = await ConnectorTestHost.StartAsync(_db, configure: b => b.Services.AddSingleton<IJobHandler>(_handler));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_job_that_keeps_failing_is_listed_and_an_admin_retry_runs_it_again()
    {
        var queue = _host.App.Services.GetRequiredService<JobQueue>();
        var id = await queue.EnqueueAsync(new NewJob(FlakyHandler.KindName, "always-fails", MaxAttempts: 2));
        _host.App.Services.GetRequiredService<JobSignal>().Notify();

        // Attempt 1 fails and asks to come back in 100 ms; attempt 2 fails; then it is a failed item.
        var listed = await Eventually(async () =>
        {
            var items = await ReadArrayAsync(await _host.Client().GetAsync("/api/v1/errors"));
            return items.Count == 1 ? items[0] : null;
        });
        Assert.Equal(id, (long)listed!["id"]!);
        Assert.Equal(2, (int)listed["attempts"]!);
        Assert.Equal("remote refused always-fails", (string?)listed["lastError"]);
        Assert.Equal(2, _handler.Attempts["always-fails"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await _host.Client(7, admin: false).PostAsync($"/api/v1/errors/{id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Client().PostAsync($"/api/v1/errors/{id}/retry", null)).StatusCode);
        await Eventually(() => Task.FromResult(_handler.Attempts["always-fails"] >= 3 ? "" : null));
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client().PostAsync("/api/v1/errors/999999/retry", null)).StatusCode);
    }

    [Fact]
    public async Task A_job_that_fails_once_succeeds_on_retry_and_is_not_listed()
    {
        var queue = _host.App.Services.GetRequiredService<JobQueue>();
        var id = await queue.EnqueueAsync(new NewJob(FlakyHandler.KindName, "fails-once"));
        _host.App.Services.GetRequiredService<JobSignal>().Notify();
        await Eventually(async () => (await queue.GetAsync(id))!.State == JobState.Done ? "" : null);
        Assert.Equal(2, _handler.Attempts["fails-once"]);
        Assert.Empty(await ReadArrayAsync(await _host.Client().GetAsync("/api/v1/errors")));
    }

    private static async Task<T?> Eventually<T>(Func<Task<T?>> probe) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } result) return result;
            await Task.Delay(50);
        }
        throw new TimeoutException("The condition did not hold within 20 s.");
    }

    private static async Task<System.Text.Json.Nodes.JsonArray> ReadArrayAsync(HttpResponseMessage response) =>
        System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

    private sealed class FlakyHandler : IJobHandler
    {
        public const string KindName = "test.flaky";
        public ConcurrentDictionary<string, int> Attempts { get; } = new();
        public string Kind => KindName;

        public Task HandleAsync(Job job, CancellationToken cancellationToken)
        {
            var attempt = Attempts.AddOrUpdate(job.Payload, 1, (_, n) => n + 1);
            if (job.Payload == "always-fails" || attempt == 1)
                throw new JobRetryException($"remote refused {job.Payload}", TimeSpan.FromMilliseconds(100));
            return Task.CompletedTask;
        }
    }
}
