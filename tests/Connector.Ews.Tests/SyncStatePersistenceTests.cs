using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Storage.Ews;
using Connector.Testing;
using SimTask = Connector.Simulators.Mailboxes.TaskItem;

namespace Connector.Ews.Tests;

/// <summary>The SyncState lives in MariaDB per mailbox folder, so a restarted connector continues where it stopped.</summary>
public sealed class SyncStatePersistenceTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;

    [Fact]
    public async Task A_restarted_client_continues_from_the_stored_sync_state_and_sees_only_new_changes()
    {
        var (database, db) = await TestDatabase.CreateWithSchemaAsync("ews");
        await using var _ = database;
        var store = new EwsSyncStateStore(db);
        var alice = _server.AddMailbox("persist-alice");
        alice.Create(alice.Tasks.Id, new SimTask { Id = "", FolderId = "", Title = "before" });

        async Task<List<SyncChange>> SyncOnceAsync()
        {
            using var client = _server.Client(alice); // a fresh client: nothing kept in memory between runs
            var seen = new List<SyncChange>();
            var state = await client.SyncFolderAsync(FolderRef.Tasks, await store.GetAsync(alice.Address, "tasks"), async (page, _, ct) =>
            {
                seen.AddRange(page.Changes);                                  // store the changes first ...
                await store.SaveAsync(alice.Address, "tasks", page.SyncState, ct); // ... then the position
            });
            Assert.Equal(state, await store.GetAsync(alice.Address, "tasks"));
            return seen;
        }

        Assert.Single(await SyncOnceAsync());
        var added = alice.Create(alice.Tasks.Id, new SimTask { Id = "", FolderId = "", Title = "after" });
        var second = await SyncOnceAsync();

        var only = Assert.Single(second);
        Assert.Equal((SyncChangeKind.Create, added.Id), (only.Kind, only.ItemId.Id));
        Assert.Null(await store.GetAsync(alice.Address, "calendar"));
        await store.DeleteAsync(alice.Address, "tasks");
        Assert.Null(await store.GetAsync(alice.Address, "tasks"));
    }
}
