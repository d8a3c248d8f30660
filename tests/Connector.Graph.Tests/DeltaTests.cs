using System.Net.Http.Json;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;

namespace Connector.Graph.Tests;

/// <summary>calendarView/delta, To Do and contacts delta: paging, deltaLink, @removed, 410 → full resync.</summary>
public sealed class DeltaTests : IAsyncLifetime
{
    private SimulatorHost _sim = null!;
    private static readonly DateTimeOffset From = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2030, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _sim = await SimulatorHost.StartAsync();
        await _sim.AddMailboxAsync("carol@contoso.com", "Carol");
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private static Event At(int day, string subject) => new()
    {
        Subject = subject,
        Start = DateTimeTimeZone.FromUtc(From.AddDays(day).AddHours(9)),
        End = DateTimeTimeZone.FromUtc(From.AddDays(day).AddHours(10)),
    };

    [Fact]
    public async Task Catch_up_over_500_changes_pages_through_nextLinks_and_ends_with_a_delta_link()
    {
        var carol = _sim.Mailbox("carol@contoso.com");
        var first = await carol.CalendarViewDeltaAsync(From, To, null);
        Assert.Empty(first.Items);

        // 300 creates, 150 updates, 50 deletes = 500 changes after the stored delta link.
        var created = new List<Event>();
        for (var i = 0; i < 300; i++) created.Add(await carol.CreateEventAsync(At(i, $"Event {i}")));
        for (var i = 0; i < 150; i++) await carol.UpdateEventAsync(created[i].Id!, new Event { Subject = $"Event {i} (updated)" });
        for (var i = 250; i < 300; i++) await carol.DeleteEventAsync(created[i].Id!);

        var round = await carol.CalendarViewDeltaAsync(From, To, first.DeltaLink, pageSize: 40);
        Assert.False(round.WasFullResync);
        Assert.True(round.Pages >= 8, $"expected paging, got {round.Pages} page(s)");
        Assert.Equal(250, round.Items.Count);                       // items still there, each once in its latest state
        Assert.Equal(250, round.Items.Select(e => e.Id).Distinct().Count());
        Assert.Equal("Event 0 (updated)", round.Items.Single(e => e.Id == created[0].Id).Subject);
        Assert.Equal(created.Skip(250).Select(e => e.Id).Order(), round.RemovedIds.Order()); // deletions as @removed

        // The next round from the new link is empty; one more change shows up alone.
        Assert.Empty((await carol.CalendarViewDeltaAsync(From, To, round.DeltaLink)).Items);
        await carol.UpdateEventAsync(created[10].Id!, new Event { Subject = "Only change" });
        var next = await carol.CalendarViewDeltaAsync(From, To, round.DeltaLink);
        Assert.Equal("Only change", next.Items.Single().Subject);
    }

    [Fact]
    public async Task Items_deleted_or_added_while_the_first_round_pages_are_neither_skipped_nor_repeated()
    {
        var carol = _sim.Mailbox("carol@contoso.com");
        var created = new List<Event>();
        for (var i = 0; i < 30; i++) created.Add(await carol.CreateEventAsync(At(i, $"E{i}")));
        var transport = _sim.Transport();
        var tokens = _sim.AppTokens();
        var url = $"users/carol@contoso.com/calendarView/delta?startDateTime=2030-01-01T00:00:00Z&endDateTime=2030-12-31T00:00:00Z";
        var prefer = $"{GraphTransport.PreferHeader}, odata.maxpagesize=10";
        var page1 = await transport.SendJsonAsync<GraphPage<Event>>("carol@contoso.com", tokens, HttpMethod.Get, url, null, default, prefer);

        await carol.DeleteEventAsync(created[2].Id!);                        // on page 1 already
        await carol.CreateEventAsync(At(0, "Added while paging"));            // sorts first

        var seen = page1.Value.Select(e => e.Id!).ToList();
        var next = page1.NextLink;
        string? deltaLink = null;
        while (next is not null)
        {
            var page = await transport.SendJsonAsync<GraphPage<Event>>("carol@contoso.com", tokens, HttpMethod.Get, next, null, default, prefer);
            seen.AddRange(page.Value.Select(e => e.Id!));
            (next, deltaLink) = (page.NextLink, page.DeltaLink);
        }
        Assert.Equal(created.Select(e => e.Id).Order(), seen.Order()); // the round is the state when it started
        var after = await carol.CalendarViewDeltaAsync(From, To, deltaLink);
        Assert.Equal("Added while paging", after.Items.Single().Subject);  // later changes come in the next round
        Assert.Equal(created[2].Id, after.RemovedIds.Single());
    }

    [Fact]
    public async Task An_invalidated_delta_link_answers_410_and_the_client_resyncs_fully()
    {
        var carol = _sim.Mailbox("carol@contoso.com");
        await carol.CreateEventAsync(At(1, "Existing"));
        var first = await carol.CalendarViewDeltaAsync(From, To, null);

        await _sim.ControlAsync("/_sim/mailboxes/carol@contoso.com/invalidate-sync", new { });
        using var raw = await RawGetAsync(first.DeltaLink);
        Assert.Equal(System.Net.HttpStatusCode.Gone, raw.StatusCode);
        Assert.Contains("syncStateNotFound", await raw.Content.ReadAsStringAsync());

        var again = await carol.CalendarViewDeltaAsync(From, To, first.DeltaLink);
        Assert.True(again.WasFullResync);
        Assert.Equal("Existing", again.Items.Single().Subject);
    }

    [Fact]
    public async Task Deleting_a_series_removes_its_occurrences_from_the_view()
    {
        var carol = _sim.Mailbox("carol@contoso.com");
        var series = At(3, "Series");
        series.Recurrence = new PatternedRecurrence
        {
            Pattern = new RecurrencePattern { Type = "daily", Interval = 1 },
            Range = new RecurrenceRange { Type = "numbered", StartDate = "2030-01-04", NumberOfOccurrences = 3, RecurrenceTimeZone = "UTC" },
        };
        var master = await carol.CreateEventAsync(series);
        var first = await carol.CalendarViewDeltaAsync(From, To, null);
        Assert.Equal(3, first.Items.Count);
        Assert.All(first.Items, i => Assert.Equal("occurrence", i.Type));

        await carol.DeleteEventAsync(master.Id!);
        var after = await carol.CalendarViewDeltaAsync(From, To, first.DeltaLink);
        Assert.Equal(first.Items.Select(i => i.Id).Order(), after.RemovedIds.Order());
    }

    [Fact]
    public async Task Todo_tasks_crud_with_crm_id_in_linkedResources_and_delta()
    {
        var carol = _sim.Mailbox("carol@contoso.com");
        var list = await carol.GetDefaultTaskListAsync();
        var start = await carol.TasksDeltaAsync(list.Id!, null);

        var task = new TodoTask { Title = "Call customer", DueDateTime = DateTimeTimeZone.FromUtc(From.AddDays(5)) };
        Connector.Exchange.Graph.Client.GraphMailboxClient.StampCrmId(task, "crm-task-7", "https://crm.example/index.php?record=7");
        var created = await carol.CreateTaskAsync(list.Id!, task);
        Assert.Equal("crm-task-7", Connector.Exchange.Graph.Client.GraphMailboxClient.CrmIdOf(created));

        var done = await carol.UpdateTaskAsync(list.Id!, created.Id!, new TodoTask { Status = "completed" });
        Assert.Equal("completed", done.Status);
        var read = await carol.GetTaskAsync(list.Id!, created.Id!);
        Assert.Equal("crm-task-7", Connector.Exchange.Graph.Client.GraphMailboxClient.CrmIdOf(read!));

        var delta = await carol.TasksDeltaAsync(list.Id!, start.DeltaLink);
        Assert.Equal("completed", delta.Items.Single().Status);

        Assert.True(await carol.DeleteTaskAsync(list.Id!, created.Id!));
        var removed = await carol.TasksDeltaAsync(list.Id!, delta.DeltaLink);
        Assert.Equal(created.Id, removed.RemovedIds.Single());
    }

    [Fact]
    public async Task Contacts_live_in_the_vtenext_folder_and_never_touch_the_users_own_contacts()
    {
        var carol = _sim.Mailbox("carol@contoso.com");
        var folder = await carol.EnsureContactFolderAsync();
        Assert.Equal("vtenext", folder.DisplayName);
        Assert.Equal(folder.Id, (await carol.EnsureContactFolderAsync()).Id); // found, not created twice

        var contact = new Contact { GivenName = "Dana", Surname = "Scully", EmailAddresses = [new EmailAddressValue { Address = "dana@fbi.example" }] };
        Connector.Exchange.Graph.Client.GraphMailboxClient.StampCrmId(contact, "crm-contact-42");
        var created = await carol.CreateContactAsync(folder.Id!, contact);
        Assert.Equal(folder.Id, created.ParentFolderId);
        Assert.Single(await carol.FindContactsByCrmIdAsync(folder.Id!, "crm-contact-42"));

        var updated = await carol.UpdateContactAsync(folder.Id!, created.Id!, new Contact { JobTitle = "Agent" });
        Assert.Equal("Agent", updated.JobTitle);
        Assert.NotEqual(created.ChangeKey, updated.ChangeKey);

        // The user's own default contacts folder stays empty.
        var dump = await _sim.Http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri(_sim.BaseAddress, "/_sim/mailboxes/carol@contoso.com"));
        var own = dump.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "Contacts" && f.GetProperty("isDefault").GetBoolean());
        Assert.Equal(0, own.GetProperty("items").GetArrayLength());

        var delta = await carol.ContactsDeltaAsync(folder.Id!, null);
        Assert.Equal("Agent", delta.Items.Single().JobTitle);
        Assert.True(await carol.DeleteContactAsync(folder.Id!, created.Id!));
        Assert.Equal(created.Id, (await carol.ContactsDeltaAsync(folder.Id!, delta.DeltaLink)).RemovedIds.Single());
    }

    private async Task<HttpResponseMessage> RawGetAsync(string url)
    {
        var token = await _sim.AppTokens().GetAccessTokenAsync(CancellationToken.None);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new("Bearer", token);
        return await _sim.Http.SendAsync(request);
    }
}
