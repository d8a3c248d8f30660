using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using SimCalendarItem = Connector.Simulators.Mailboxes.CalendarItem;

namespace Connector.Ews.Tests;

public sealed class SyncTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;

    private static readonly DateTimeOffset Day = new(2030, 6, 3, 8, 0, 0, TimeSpan.Zero);

    private static SimCalendarItem Event(Connector.Simulators.Mailboxes.Mailbox owner, string subject) => new()
    {
        Id = "", FolderId = "", ICalUId = "", Organizer = owner.Email, Subject = subject, Start = Day, End = Day.AddHours(1),
    };

    [Fact]
    public async Task SyncFolderItems_pages_ids_only_then_reports_just_the_changes_since_the_stored_state()
    {
        var alice = _server.AddMailbox("sync-alice");
        var created = Enumerable.Range(0, 5).Select(i => _server.Directory.CreateEvent(alice, Event(alice, $"e{i}"))).ToList();
        using var client = _server.Client(alice);

        // Initial sync in pages of 2: three calls, every item once, as Create.
        var first = await client.SyncFolderItemsAsync(FolderRef.Calendar, null, maxChanges: 2);
        Assert.False(first.IncludesLastItemInRange);
        var second = await client.SyncFolderItemsAsync(FolderRef.Calendar, first.SyncState, maxChanges: 2);
        var third = await client.SyncFolderItemsAsync(FolderRef.Calendar, second.SyncState, maxChanges: 2);
        Assert.True(third.IncludesLastItemInRange);
        var all = first.Changes.Concat(second.Changes).Concat(third.Changes).ToList();
        Assert.All(all, c => Assert.Equal(SyncChangeKind.Create, c.Kind));
        Assert.Equal(created.Select(c => c.Id).Order(), all.Select(c => c.ItemId.Id).Order());

        // Then only what changed: one update, one delete, one new item.
        _server.Directory.UpdateEvent(alice, created[1].Id, e => e with { Subject = "renamed" });
        _server.Directory.DeleteEvent(alice, created[2].Id);
        var added = _server.Directory.CreateEvent(alice, Event(alice, "new"));
        var delta = await client.SyncFolderItemsAsync(FolderRef.Calendar, third.SyncState);
        Assert.True(delta.IncludesLastItemInRange);
        Assert.Equal(
            [(SyncChangeKind.Update, created[1].Id), (SyncChangeKind.Delete, created[2].Id), (SyncChangeKind.Create, added.Id)],
            delta.Changes.Select(c => (c.Kind, c.ItemId.Id)));
        var changed = (await client.GetEventsAsync([delta.Changes[0].ItemId])).Single()!;
        Assert.Equal("renamed", changed.Subject);

        var nothing = await client.SyncFolderItemsAsync(FolderRef.Calendar, delta.SyncState);
        Assert.Empty(nothing.Changes);
    }

    [Fact]
    public async Task An_invalid_sync_state_restarts_with_a_full_resync()
    {
        var alice = _server.AddMailbox("sync-reset");
        var a = _server.Directory.CreateEvent(alice, Event(alice, "a"));
        using var client = _server.Client(alice);
        var state = await client.SyncFolderAsync(FolderRef.Calendar, null, (_, _, _) => Task.CompletedTask);

        alice.InvalidateSyncStates(alice.Calendar.Id);
        var b = _server.Directory.CreateEvent(alice, Event(alice, "b"));

        var pages = new List<(SyncPage Page, bool Full)>();
        var newState = await client.SyncFolderAsync(FolderRef.Calendar, state, (p, full, _) => { pages.Add((p, full)); return Task.CompletedTask; });

        Assert.All(pages, p => Assert.True(p.Full));
        Assert.Equal(new[] { a.Id, b.Id }.Order(), pages.SelectMany(p => p.Page.Changes).Select(c => c.ItemId.Id).Order());
        Assert.NotEqual(state, newState);
        Assert.Contains(_server.Log.All, r => r.Operation == "SyncFolderItems");
    }

    [Fact]
    public async Task SyncFolder_pages_at_most_512_changes_per_call()
    {
        var alice = _server.AddMailbox("sync-many");
        for (var i = 0; i < 600; i++) alice.Create(alice.Tasks.Id, new Connector.Simulators.Mailboxes.TaskItem { Id = "", FolderId = "", Title = $"t{i}" });
        using var client = _server.Client(alice);
        var before = _server.Log.All.Count(r => r.Operation == "SyncFolderItems");
        var sizes = new List<int>();

        await client.SyncFolderAsync(FolderRef.Tasks, null, (p, _, _) => { sizes.Add(p.Changes.Count); return Task.CompletedTask; });

        Assert.Equal([512, 88], sizes);
        Assert.Equal(2, _server.Log.All.Count(r => r.Operation == "SyncFolderItems") - before);
    }
}
