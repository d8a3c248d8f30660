using Connector.Sync.State;
using Connector.Testing;
using Dapper;

namespace Connector.Api.Tests.Channels;

/// <summary>
/// Two connector instances sharing one database (DESIGN.md §5): a mailbox's channel lease belongs to one of them until
/// it lapses, and each check renews all of an instance's leases at once.
/// </summary>
public sealed class ChannelLeaseStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private TestDatabase _db = null!;
    private ChannelLeaseStore _leases = null!;

    public async Task InitializeAsync()
    {
        (_db, var factory) = await TestDatabase.CreateWithSchemaAsync("leases");
        _leases = new ChannelLeaseStore(factory);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_live_lease_belongs_to_its_instance_until_it_lapses_then_another_takes_it_over()
    {
        Assert.True(await _leases.TryAcquireAsync("Anna@Example.test", "a", Lease));
        Assert.False(await _leases.TryAcquireAsync("anna@example.test", "b", Lease));
        Assert.True(await _leases.TryAcquireAsync("anna@example.test", "a", Lease));

        await LapseAsync("anna@example.test");

        Assert.True(await _leases.TryAcquireAsync("anna@example.test", "b", Lease));
        Assert.Equal("b", await _leases.HolderAsync("anna@example.test"));
    }

    [Fact]
    public async Task Renewing_all_extends_only_the_callers_leases_and_tells_who_holds_each()
    {
        await _leases.TryAcquireAsync("anna@example.test", "a", Lease);
        await _leases.TryAcquireAsync("bruno@example.test", "a", Lease);
        await _leases.TryAcquireAsync("carla@example.test", "b", Lease);
        await LapseAsync("bruno@example.test");
        await LapseAsync("carla@example.test");

        var seenByA = await _leases.RenewAllAsync("a", Lease);

        // A's lapsed lease nobody took over is renewed with the rest; B's lapsed one stays lapsed and free.
        Assert.True(seenByA.HeldByMe("Anna@example.test"));
        Assert.True(seenByA.HeldByMe("bruno@example.test"));
        Assert.False(seenByA.HeldByMe("carla@example.test"));
        Assert.False(seenByA.HeldByAnother("carla@example.test"));
        Assert.Null(await _leases.HolderAsync("carla@example.test"));
        Assert.Equal("a", await _leases.HolderAsync("bruno@example.test"));

        var seenByB = await _leases.RenewAllAsync("b", Lease);
        Assert.True(seenByB.HeldByAnother("anna@example.test"));
        Assert.False(seenByB.HeldByMe("anna@example.test"));
        // B was alive after all: its renewal keeps the lapsed lease nobody took over.
        Assert.True(seenByB.HeldByMe("carla@example.test"));
        Assert.False(await _leases.TryAcquireAsync("carla@example.test", "a", Lease));
    }

    [Fact]
    public async Task A_renewal_never_takes_back_a_lease_another_instance_took_over()
    {
        await _leases.TryAcquireAsync("anna@example.test", "a", Lease);
        await LapseAsync("anna@example.test");
        Assert.True(await _leases.TryAcquireAsync("anna@example.test", "b", Lease));

        var seenByA = await _leases.RenewAllAsync("a", Lease);

        Assert.True(seenByA.HeldByAnother("anna@example.test"));
        Assert.Equal("b", await _leases.HolderAsync("anna@example.test"));
    }

    private async Task LapseAsync(string mailbox)
    {
        await using var c = await _db.OpenAsync();
        await c.ExecuteAsync("UPDATE exc_channel_leases SET expires_at = DATE_SUB(UTC_TIMESTAMP(6), INTERVAL 1 SECOND) WHERE mailbox = @mailbox", new { mailbox });
    }
}
