using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Core.Time;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Services;
using Connector.Exchange.Ews.Sync;
using Connector.Sync.Ports;
using DomainEvent = Connector.Core.Calendar.CalendarEvent;
using RecurrencePattern = Connector.Core.Recurrence.RecurrencePattern;
using RecurrenceRange = Connector.Core.Recurrence.RecurrenceRange;
using RecurrenceExpander = Connector.Core.Recurrence.RecurrenceExpander;
using DomainTask = Connector.Core.Tasks.TaskItem;
using Mailbox = Connector.Simulators.Mailboxes.Mailbox;
using SimCalendarItem = Connector.Simulators.Mailboxes.CalendarItem;
using SimTaskItem = Connector.Simulators.Mailboxes.TaskItem;

namespace Connector.Ews.Tests;

/// <summary>
/// Issue 8, request economy: SyncFolderItems asked for a summary shape answers what matching and windowing read
/// (ChangeKey, stamp, UID, subject, times) and nothing FindItem cannot return, so a folder's changes cost their
/// SyncFolderItems pages and no GetItem, except one for the recurring masters a first (windowed) read must test.
/// Every request and answer is validated against Microsoft's schema.
/// </summary>
public sealed class SyncSummaryTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;
    private static readonly DateTimeOffset Day = new(2030, 9, 9, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_summary_shape_answers_what_matching_needs_and_no_body()
    {
        var sim = _server.AddMailbox("summary-parse");
        var answers = new List<string>();
        using var client = _server.Client(sim, https: true, validateResponses: true, responses: answers.Add);
        var mailbox = new EwsMailbox(client, new MailboxAccount(1, sim.Address));
        var meeting = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 4711), new DomainEvent
        {
            Subject = "Quarterly review", Description = "The long agenda", Location = "Room 4",
            Span = EventSpan.Timed(Day, Day.AddMinutes(90), "UTC"),
        }, false, default);
        var holiday = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 4712), new DomainEvent
        {
            Subject = "Holiday", Span = EventSpan.AllDay(new DateOnly(2030, 9, 10), new DateOnly(2030, 9, 12)),
        }, false, default);
        var unstamped = _server.Directory.CreateEvent(sim, new SimCalendarItem
        {
            Id = "", FolderId = "", ICalUId = "", Organizer = sim.Email, Subject = "Entered in Outlook", Body = "Not for SyncFolderItems",
            Start = Day.AddDays(1), End = Day.AddDays(1).AddHours(1),
        });
        answers.Clear();

        var page = await client.SyncFolderItemsAsync(FolderRef.Calendar, null, summary: SummaryShape.Calendar);

        var summaries = page.Changes.ToDictionary(c => c.ItemId.Id, c => c.Summary!);
        Assert.Equal(3, summaries.Count);
        var first = summaries[meeting.Key.ItemId];
        var stored = sim.Find<SimCalendarItem>(meeting.Key.ItemId)!;
        Assert.Equal(("Quarterly review", Day, Day.AddMinutes(90), false), (first.Subject, first.Start, first.End, first.IsAllDay));
        Assert.Equal(("4711", stored.ICalUId, "Single", stored.ChangeKey), (first.CrmId, first.Uid, first.CalendarItemType, first.Id.ChangeKey));
        var allDay = summaries[holiday.Key.ItemId];
        Assert.Equal(("Holiday", "4712", true), (allDay.Subject, allDay.CrmId, allDay.IsAllDay));
        Assert.Equal((new DateTimeOffset(2030, 9, 10, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 9, 12, 0, 0, 0, TimeSpan.Zero)), (allDay.Start, allDay.End));
        var outlook = summaries[unstamped.Id];
        Assert.Equal(("Entered in Outlook", null, unstamped.ICalUId), (outlook.Subject, outlook.CrmId, outlook.Uid));
        // The answer carries no body, location or attendees: only what was asked for.
        var answer = Assert.Single(answers);
        var items = XDocument.Parse(answer).Descendants().Where(e => e.Name.LocalName == "CalendarItem").ToList();
        Assert.Equal(3, items.Count);
        var asked = new HashSet<string> { "ItemId", "Subject", "ExtendedProperty", "UID", "Start", "End", "IsAllDayEvent", "CalendarItemType" };
        Assert.All(items, i => Assert.Subset(asked, i.Elements().Select(e => e.Name.LocalName).ToHashSet()));
        Assert.Equal(2, items.Count(i => i.Elements().Any(e => e.Name.LocalName == "ExtendedProperty")));
        Assert.DoesNotContain("Not for SyncFolderItems", answer);
        Assert.DoesNotContain("Room 4", answer);

        // In domain terms, what the engine's matcher reads: the same as a full read gives, with no GetItem.
        var before = Requests(sim);
        var changes = await mailbox.ReadChangesAsync(SyncFolder.Calendar, null, Day.AddDays(-7), Day.AddDays(7), default);
        Assert.Equal(["SyncFolderItems"], Since(sim, before));
        foreach (var full in new[] { meeting, holiday })
        {
            var summary = changes.Changed.Single(i => i.Key.ItemId == full.Key.ItemId);
            Assert.Equal(full.Key, summary.Key);
            Assert.Equal(full.StampedCrmId, summary.StampedCrmId);
            Assert.Equal(((DomainEvent)full.Entity).Subject, ((DomainEvent)summary.Entity).Subject);
            Assert.Equal(((DomainEvent)full.Entity).Span, ((DomainEvent)summary.Entity).Span);
        }
    }

    [Fact]
    public async Task A_task_summary_has_its_subject_dates_and_stamp()
    {
        var sim = _server.AddMailbox("summary-task");
        using var client = _server.Client(sim, https: true, validateResponses: true);
        var mailbox = new EwsMailbox(client, new MailboxAccount(1, sim.Address));
        var task = await mailbox.CreateAsync(new CrmKey(RecordKind.Task, 4720), new DomainTask
        {
            Subject = "Send the offer", Description = "Details", StartDate = new DateOnly(2030, 9, 1), DueDate = new DateOnly(2030, 9, 15),
        }, false, default);
        sim.Create(sim.Tasks.Id, new SimTaskItem { Id = "", FolderId = "", Title = "No dates" });

        var before = Requests(sim);
        var changes = await mailbox.ReadChangesAsync(SyncFolder.Tasks, null, Day, Day, default);

        Assert.Equal(["SyncFolderItems"], Since(sim, before));
        var summary = changes.Changed.Single(i => i.Key.ItemId == task.Key.ItemId);
        Assert.Equal((task.Key, 4720L), (summary.Key, summary.StampedCrmId!.Value));
        var entity = (DomainTask)summary.Entity;
        Assert.Equal(("Send the offer", new DateOnly(2030, 9, 1), new DateOnly(2030, 9, 15)), (entity.Subject, entity.StartDate, entity.DueDate));
        Assert.Equal("No dates", ((DomainTask)changes.Changed.Single(i => i.Key.ItemId != task.Key.ItemId).Entity).Subject);
    }

    [Fact]
    public async Task A_first_read_windows_recurring_masters_by_their_rule_with_one_GetItem_for_all_of_them()
    {
        var sim = _server.AddMailbox("summary-window");
        using var client = _server.Client(sim, https: true, validateResponses: true);
        var mailbox = new EwsMailbox(client, new MailboxAccount(1, sim.Address));
        var from = new DateTimeOffset(2031, 1, 6, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddMonths(1);
        var monday = new DateOnly(2030, 3, 4);
        // Weekly since March 2030, no end: it has occurrences in January 2031 although its first one is long before.
        await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 4730), Series("Weekly since last year",
            new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Monday), RecurrenceRange.NoEnd(monday), "Europe/Rome")), DateOnly.MaxValue, false, default);
        // Weekly, ten occurrences: over by May 2030.
        await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 4731), Series("Weekly, ended",
            new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Monday), RecurrenceRange.Numbered(monday, 10), "Europe/Rome")), DateOnly.MaxValue, false, default);
        // Weekly until the window's first week: its last occurrence (13 January) is in it.
        await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 4732), Series("Weekly, ends in the window",
            new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Monday), RecurrenceRange.Until(monday, new DateOnly(2031, 1, 13)), "Europe/Rome")), DateOnly.MaxValue, false, default);
        await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 4733), Single("In the window", from.AddDays(3)), false, default);
        await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 4734), Single("Before the window", from.AddDays(-3)), false, default);

        var before = Requests(sim);
        var first = await mailbox.ReadChangesAsync(SyncFolder.Calendar, null, from, to, default);

        Assert.Equal(["SyncFolderItems", "GetItem"], Since(sim, before));
        Assert.Equal(["In the window", "Weekly since last year", "Weekly, ends in the window"], first.Changed.Select(Subject).Order());
        var endless = first.Changed.Single(i => Subject(i) == "Weekly since last year");
        Assert.Equal(endless.Key.ItemId, endless.SeriesMasterId);
        Assert.Equal(RecurrenceRange.NoEnd(monday), ((DomainEvent)endless.Entity).Recurrence!.Range);

        // Later reads are not windowed: a change to any series is reported, from its summary alone.
        _server.Directory.UpdateEvent(sim, endless.Key.ItemId, m => m with { Subject = "Renamed" });
        before = Requests(sim);
        var next = await mailbox.ReadChangesAsync(SyncFolder.Calendar, first.Cursor, from, to, default);
        Assert.Equal(["SyncFolderItems"], Since(sim, before));
        Assert.Equal("Renamed", Subject(Assert.Single(next.Changed)));
    }

    [Theory]
    [InlineData("item:Body", "Body")]
    [InlineData("calendar:Recurrence", "Recurrence")]
    [InlineData("calendar:RequiredAttendees", "RequiredAttendees")]
    public async Task SyncFolderItems_leaves_out_a_property_FindItem_cannot_return_and_FindItem_refuses_it(string fieldUri, string element)
    {
        // The item has it (a body, a weekly rule, an attendee); asked for, SyncFolderItems answers only the subject.
        var user = $"summary-omit-{element.ToLowerInvariant()}";
        var sim = _server.AddMailbox(user);
        using var client = _server.Client(sim, https: true);
        var mailbox = new EwsMailbox(client, new MailboxAccount(1, sim.Address));
        var rule = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Monday), RecurrenceRange.Numbered(new DateOnly(2030, 9, 9), 4), "Europe/Rome");
        await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 4740), Series("Planning", rule) with
        {
            Description = "The agenda", Attendees = [new Attendee("bob@contoso.com", "Bob")],
        }, DateOnly.MaxValue, false, default);
        var shape = $"""<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="item:Subject"/><t:FieldURI FieldURI="{fieldUri}"/></t:AdditionalProperties></m:ItemShape>""";

        var synced = await PostAsync(user, $"""
            <m:SyncFolderItems>{shape}<m:SyncFolderId><t:DistinguishedFolderId Id="calendar"/></m:SyncFolderId>
              <m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>
            """);
        var item = Assert.Single(synced.Descendants(), e => e.Name.LocalName == "CalendarItem");
        Assert.Equal(["ItemId", "Subject"], item.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Planning", item.Elements().Single(e => e.Name.LocalName == "Subject").Value);

        var found = await PostAsync(user, $"""
            <m:FindItem Traversal="Shallow">{shape}
              <m:Restriction><t:IsEqualTo>{CrmStampPath}<t:FieldURIOrConstant><t:Constant Value="4740"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>
              <m:ParentFolderIds><t:DistinguishedFolderId Id="calendar"/></m:ParentFolderIds></m:FindItem>
            """);
        Assert.Equal("ErrorInvalidPropertyForOperation", (string?)found.Descendants().Single(e => e.Name.LocalName == "ResponseCode"));
    }

    private static readonly string CrmStampPath =
        $"""<t:ExtendedFieldURI PropertySetId="{CrmIdProperty.PropertySetId}" PropertyName="{CrmIdProperty.PropertyName}" PropertyType="String"/>""";

    /// <summary>A request written by hand (schema-checked), sent with Basic; its answer schema-checked too.</summary>
    private async Task<XDocument> PostAsync(string user, string operation)
    {
        var body = $"""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
              <s:Header><t:RequestServerVersion Version="Exchange2013_SP1"/></s:Header><s:Body>{operation}</s:Body>
            </s:Envelope>
            """;
        EwsSchema.Validate(body);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.EwsUrl()) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{EwsServer.PasswordOf(user)}")));
        using var response = await http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        EwsSchema.Validate(answer);
        return XDocument.Parse(answer);
    }

    // ---- helpers

    private static string Subject(ExchangeItem item) => ((DomainEvent)item.Entity).Subject;

    private static DomainEvent Single(string subject, DateTimeOffset start) =>
        new() { Subject = subject, Span = EventSpan.Timed(start, start.AddHours(1), "UTC") };

    private static DomainEvent Series(string subject, RecurrenceRule rule)
    {
        var rome = Zones.Get("Europe/Rome");
        var start = Zones.ToInstant(RecurrenceExpander.PatternDates(rule).First().ToDateTime(new TimeOnly(9, 0)), rome);
        return new DomainEvent { Subject = subject, Span = EventSpan.Timed(start, start.AddHours(1), "Europe/Rome"), Recurrence = rule };
    }

    private int Requests(Mailbox sim) => _server.Log.All.Count(r => r.User == sim.Address);

    private IReadOnlyList<string> Since(Mailbox sim, int before) =>
        _server.Log.All.Where(r => r.User == sim.Address).Skip(before).Select(r => r.Operation).ToList();
}
