using Connector.Storage.Jobs;
using Connector.Testing;
using Dapper;

namespace Connector.Api.Tests.Jobs;

public sealed class JobQueueTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private JobQueue _queue = null!;

    public async Task InitializeAsync()
    {
        (_db, var factory) = await TestDatabase.CreateWithSchemaAsync("jobs");
        _queue = new JobQueue(factory);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_enqueued_job_is_claimed_once_and_completed()
    {
        var id = await _queue.EnqueueAsync(new NewJob("test", """{"n":1}"""));
        var claimed = await _queue.ClaimAsync("w1", 10);
        Assert.Equal([id], claimed.Select(j => j.Id));
        Assert.Equal("""{"n":1}""", claimed[0].Payload);
        Assert.Empty(await _queue.ClaimAsync("w2", 10));

        await _queue.CompleteAsync(id);
        Assert.Equal(JobState.Done, (await _queue.GetAsync(id))!.State);
    }

    [Fact]
    public async Task Identical_waiting_jobs_fold_into_one_but_a_running_one_does_not_absorb_new_work()
    {
        var a = await _queue.EnqueueAsync(new NewJob("sync", "{}", DedupeKey: "item-1"));
        var b = await _queue.EnqueueAsync(new NewJob("sync", "{}", DedupeKey: "item-1"));
        Assert.Equal(a, b);

        await _queue.ClaimAsync("w1", 10);
        // The item changed again while being synced: that change must not be lost.
        var c = await _queue.EnqueueAsync(new NewJob("sync", "{}", DedupeKey: "item-1"));
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Jobs_with_the_same_ordering_key_run_one_at_a_time_in_order()
    {
        var first = await _queue.EnqueueAsync(new NewJob("sync", "1", OrderingKey: "crm:42"));
        var second = await _queue.EnqueueAsync(new NewJob("sync", "2", OrderingKey: "crm:42"));
        var other = await _queue.EnqueueAsync(new NewJob("sync", "3", OrderingKey: "crm:43"));

        Assert.Equal([first, other], (await _queue.ClaimAsync("w1", 10)).Select(j => j.Id));
        Assert.Empty(await _queue.ClaimAsync("w1", 10));
        await _queue.CompleteAsync(first);
        Assert.Equal([second], (await _queue.ClaimAsync("w1", 10)).Select(j => j.Id));
    }

    [Fact]
    public async Task Concurrent_workers_never_claim_the_same_job()
    {
        for (var i = 0; i < 200; i++) await _queue.EnqueueAsync(new NewJob("bulk", i.ToString()));
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (true)
            {
                var batch = await _queue.ClaimAsync($"w{w}", 7);
                if (batch.Count == 0) return mine;
                mine.AddRange(batch.Select(j => j.Id));
            }
        })));
        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_taken_over_when_its_lease_lapses()
    {
        var id = await _queue.EnqueueAsync(new NewJob("sync", "{}"));
        await _queue.ClaimAsync("dead-worker", 1, lease: TimeSpan.FromMilliseconds(200));
        Assert.Empty(await _queue.ClaimAsync("w2", 1));
        await Task.Delay(400);
        Assert.Equal([id], (await _queue.ClaimAsync("w2", 1)).Select(j => j.Id));
    }

    [Fact]
    public async Task Failures_back_off_then_become_a_failed_item_that_can_be_retried()
    {
        var id = await _queue.EnqueueAsync(new NewJob("sync", "{}", MaxAttempts: 2));
        await _queue.ClaimAsync("w", 1);
        await _queue.FailAsync(id, "Exchange said 503", retryAfter: TimeSpan.FromMilliseconds(300));
        var waiting = (await _queue.GetAsync(id))!;
        Assert.Equal(JobState.Pending, waiting.State);
        Assert.Empty(await _queue.ClaimAsync("w", 1)); // not before the remote's Retry-After
        await Task.Delay(400);
        Assert.Single(await _queue.ClaimAsync("w", 1));
        await _queue.FailAsync(id, "Exchange said 503 again");

        var failed = Assert.Single(await _queue.ListFailedAsync());
        Assert.Equal((id, 2, "Exchange said 503 again"), (failed.Id, failed.Attempts, failed.LastError));
        Assert.True(await _queue.RetryAsync(id));
        Assert.False(await _queue.RetryAsync(id)); // no longer a failed item
        Assert.Single(await _queue.ClaimAsync("w", 1));
    }

    [Fact]
    public async Task A_permanent_error_fails_at_once_and_the_error_check_requeues_every_failed_item()
    {
        var a = await _queue.EnqueueAsync(new NewJob("sync", "a"));
        var b = await _queue.EnqueueAsync(new NewJob("sync", "b"));
        await _queue.ClaimAsync("w", 2);
        await _queue.FailAsync(a, "occurrence would cross its neighbour", permanent: true);
        await _queue.FailAsync(b, "occurrence would cross its neighbour", permanent: true);
        Assert.Equal(2, (await _queue.ListFailedAsync()).Count);

        Assert.Equal(2, await _queue.RetryAllFailedAsync());
        Assert.Empty(await _queue.ListFailedAsync());
        await using var connection = await _db.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM exc_jobs WHERE state = 'Pending'"));
    }
}
