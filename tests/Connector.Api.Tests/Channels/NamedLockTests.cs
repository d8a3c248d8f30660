using Connector.Storage.Database;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Connector.Testing;

namespace Connector.Api.Tests.Channels;

/// <summary>
/// The per-record named lock (MySQL GET_LOCK, global to the server): one sync of a record at a time in one connector's
/// database, while another connector (another CRM, or another test run) on the same server locks its own record 101.
/// </summary>
public sealed class NamedLockTests : IAsyncLifetime
{
    private TestDatabase _one = null!;
    private TestDatabase _other = null!;

    public async Task InitializeAsync()
    {
        _one = await TestDatabase.CreateAsync("lock");
        _other = await TestDatabase.CreateAsync("lock");
    }

    public async Task DisposeAsync()
    {
        await _one.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task A_record_is_locked_once_per_database_not_across_databases_on_the_server()
    {
        var one = new DbConnectionFactory(_one.ConnectionString);
        var wait = TimeSpan.FromSeconds(1);

        await using (await NamedLock.AcquireAsync(one, "crm:Event:101", wait, default))
        {
            await Assert.ThrowsAsync<TransientSyncException>(() => NamedLock.AcquireAsync(one, "crm:Event:101", wait, default));
            await using var elsewhere = await NamedLock.AcquireAsync(new DbConnectionFactory(_other.ConnectionString), "crm:Event:101", wait, default);
        }

        await using var again = await NamedLock.AcquireAsync(one, "crm:Event:101", wait, default);
    }
}
