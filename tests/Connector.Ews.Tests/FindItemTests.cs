using System.Net.Http.Headers;
using System.Text;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Core.Tasks;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Exchange.Ews.Sync;
using Mailbox = Connector.Simulators.Mailboxes.Mailbox;
using MailItem = Connector.Simulators.Mailboxes.MailItem;
using Connector.Sync.Ports;
using RecurrencePattern = Connector.Core.Recurrence.RecurrencePattern;
using DomainEvent = Connector.Core.Calendar.CalendarEvent;
using DomainTask = Connector.Core.Tasks.TaskItem;
using EwsTaskItem = Connector.Exchange.Ews.Items.TaskItem;

namespace Connector.Ews.Tests;

/// <summary>
/// "Find by stamp" and "find by iCalUId" through a restricted FindItem over HTTPS + NTLM, every request validated
/// against Microsoft's schema: the answer is the item Outlook shows, found with one FindItem and one GetItem however
/// full the folder is, never with a folder read (SyncFolderItems).
/// </summary>
public sealed class FindItemTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;
    private static readonly DateTimeOffset Day = new(2030, 5, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Find_by_stamp_finds_the_stamped_item_among_many_with_one_FindItem_and_nothing_for_an_unknown_id()
    {
        var (mailbox, sim) = Open("find-stamp");
        for (var i = 0; i < 40; i++)
            await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 8000 + i), Event($"Visit {i}", Day.AddHours(i)), false, default);

        var before = Requests(sim);
        var found = Assert.Single(await mailbox.FindByStampAsync(new CrmKey(RecordKind.Event, 8017), default));
        var used = Since(sim, before);

        Assert.Equal(8017, found.StampedCrmId);
        Assert.Equal("Visit 17", ((DomainEvent)found.Entity).Subject);
        Assert.Equal("Visit 17", sim.Find<Connector.Simulators.Mailboxes.CalendarItem>(found.Key.ItemId)!.Subject);
        Assert.Equal(["FindItem", "GetItem"], used);

        before = Requests(sim);
        Assert.Empty(await mailbox.FindByStampAsync(new CrmKey(RecordKind.Event, 9999), default));
        Assert.Equal(["FindItem"], Since(sim, before));
    }

    [Fact]
    public async Task Find_by_stamp_looks_in_the_folder_of_the_record_kind()
    {
        var (mailbox, sim) = Open("find-stamp-task");
        await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 8100), Event("Same CRM id, an event", Day), false, default);
        await mailbox.CreateAsync(new CrmKey(RecordKind.Task, 8100), new DomainTask { Subject = "Call back" }, false, default);

        var task = Assert.Single(await mailbox.FindByStampAsync(new CrmKey(RecordKind.Task, 8100), default));

        Assert.Equal("Call back", ((DomainTask)task.Entity).Subject);
        Assert.Equal(sim.Tasks.Id, sim.Find<MailItem>(task.Key.ItemId)!.FolderId);
    }

    [Fact]
    public async Task More_matches_than_one_page_are_paged_with_IndexedPageItemView()
    {
        var sim = _server.AddMailbox("find-paged");
        using var client = _server.Client(sim, https: true);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
            created.Add((await client.CreateTaskAsync(new EwsTaskItem { Subject = $"Duplicate {i}", CrmId = "8200" })).Id);
        await client.CreateTaskAsync(new EwsTaskItem { Subject = "Other", CrmId = "8201" });

        var before = Requests(sim);
        var ids = await client.FindItemIdsAsync(FolderRef.Tasks, ItemFilter.CrmId("8200"), pageSize: 2);

        Assert.Equal(created.Order(), ids.Select(i => i.Id).Order());
        Assert.Equal(["FindItem", "FindItem", "FindItem"], Since(sim, before));
    }

    [Fact]
    public async Task Find_by_iCalUId_finds_the_meeting_in_the_attendees_calendar()
    {
        var (organizer, _) = Open("find-uid-org");
        var (attendee, bobSim) = Open("find-uid-bob");
        for (var i = 0; i < 10; i++)
            await attendee.CreateAsync(new CrmKey(RecordKind.Event, 8300 + i), Event($"Bob's own {i}", Day.AddHours(i)), false, default);
        var meeting = Event("Quarterly review", Day.AddDays(1)) with
        {
            Attendees = ValueList.Of(new Attendee(bobSim.Address, "Bob")),
        };
        var sent = await organizer.CreateAsync(new CrmKey(RecordKind.Event, 8310), meeting, sendInvitations: true, default);
        Assert.NotNull(sent.Key.ICalUId);

        var before = Requests(bobSim);
        var copy = Assert.Single(await attendee.FindByICalUIdAsync(sent.Key.ICalUId!, default));

        Assert.Equal("Quarterly review", ((DomainEvent)copy.Entity).Subject);
        Assert.False(copy.IsOrganizer);
        Assert.Equal(sent.Key.ICalUId, copy.Key.ICalUId);
        Assert.Equal(bobSim.Calendar.Id, bobSim.Find<MailItem>(copy.Key.ItemId)!.FolderId);
        Assert.Equal(["FindItem", "GetItem"], Since(bobSim, before));
        Assert.Empty(await attendee.FindByICalUIdAsync("040000008200E00074C5B7101A82E00800000000" + new string('0', 32), default));
    }

    [Fact]
    public async Task A_series_master_is_found_by_its_stamp_as_the_master_with_its_rule()
    {
        var (mailbox, _) = Open("find-series");
        await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 8400), Event("Single before", Day), false, default);
        var rule = new RecurrenceRule(RecurrencePattern.Daily(1), RecurrenceRange.Numbered(DateOnly.FromDateTime(Day.UtcDateTime), 5), "UTC");
        var series = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 8401), Event("Daily stand-up", Day.AddHours(2)) with { Recurrence = rule }, false, default);

        var found = Assert.Single(await mailbox.FindByStampAsync(new CrmKey(RecordKind.Event, 8401), default));

        Assert.Equal(series.Key.ItemId, found.Key.ItemId);
        Assert.Equal(found.Key.ItemId, found.SeriesMasterId);
        Assert.Equal(rule, ((DomainEvent)found.Entity).Recurrence);
    }

    [Theory]
    [InlineData("<t:IsEqualTo><t:FieldURI FieldURI=\"calendar:UID\"/><t:FieldURIOrConstant><t:Constant Value=\"x\"/></t:FieldURIOrConstant></t:IsEqualTo>", "ErrorUnsupportedPathForQuery")]
    [InlineData("<t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/><t:FieldURIOrConstant><t:Constant Value=\"x\"/></t:FieldURIOrConstant></t:IsEqualTo>", "ErrorUnsupportedPathForQuery")]
    [InlineData("<t:Contains ContainmentMode=\"Substring\" ContainmentComparison=\"IgnoreCase\"><t:FieldURI FieldURI=\"item:Subject\"/><t:Constant Value=\"x\"/></t:Contains>", "ErrorUnsupportedQueryFilter")]
    public async Task A_restriction_the_simulator_does_not_model_is_refused_not_answered_wrongly(string expression, string code)
    {
        var sim = _server.AddMailbox("find-unsupported");
        var body = $"""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
              <s:Body><m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>
                <m:Restriction>{expression}</m:Restriction>
                <m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem></s:Body>
            </s:Envelope>
            """;
        EwsSchema.Validate(body);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.EwsUrl()) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"find-unsupported:{EwsServer.PasswordOf("find-unsupported")}")));

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal(code, (string?)System.Xml.Linq.XDocument.Parse(text).Descendants().Single(e => e.Name.LocalName == "ResponseCode"));
    }

    // ---- helpers

    private (EwsMailbox Mailbox, Mailbox Sim) Open(string localPart)
    {
        var sim = _server.AddMailbox(localPart);
        return (new EwsMailbox(_server.Client(sim, https: true), new MailboxAccount(1, sim.Address), ownsClient: true), sim);
    }

    private static DomainEvent Event(string subject, DateTimeOffset start) =>
        new() { Subject = subject, Span = EventSpan.Timed(start, start.AddMinutes(30), "UTC") };

    private int Requests(Mailbox sim) => _server.Log.All.Count(r => r.User == sim.Address);

    private IReadOnlyList<string> Since(Mailbox sim, int before) =>
        _server.Log.All.Where(r => r.User == sim.Address).Skip(before).Select(r => r.Operation).ToList();
}
