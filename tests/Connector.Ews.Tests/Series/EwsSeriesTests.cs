using System.Xml.Linq;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Core.Sync;
using Connector.Core.Time;
using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Sync;
using Connector.Simulators.Mailboxes;
using Connector.Sync.Ports;
using DomainEvent = Connector.Core.Calendar.CalendarEvent;
using DomainModified = Connector.Core.Recurrence.ModifiedOccurrence;
using EwsCalendarEvent = Connector.Exchange.Ews.Items.CalendarEvent;
using SimCalendarItem = Connector.Simulators.Mailboxes.CalendarItem;
using SimExpander = Connector.Simulators.Mailboxes.RecurrenceExpander;
using CoreExpander = Connector.Core.Recurrence.RecurrenceExpander;
using RecurrencePattern = Connector.Core.Recurrence.RecurrencePattern;
using RecurrenceRange = Connector.Core.Recurrence.RecurrenceRange;
using WeekIndex = Connector.Core.Recurrence.WeekIndex;

namespace Connector.Ews.Tests.Series;

/// <summary>
/// The EWS adapter's series operations against the simulator over HTTPS + NTLM, every request validated against
/// Microsoft's schema: what the connector writes is what Outlook shows (the simulator's own expansion of the master),
/// and reads back as the same model.
/// </summary>
public sealed class EwsSeriesTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;
    private static readonly DateOnly Monday = new(2030, 3, 4);
    private static readonly DateOnly Until = new(2031, 12, 31);

    public static TheoryData<string, RecurrencePattern> Patterns => new()
    {
        { "daily every 2 days", RecurrencePattern.Daily(2) },
        { "every 2 weeks Mon+Wed+Fri, weeks start Monday", RecurrencePattern.Weekly(2, DaysOfWeek.Monday | DaysOfWeek.Wednesday | DaysOfWeek.Friday, DayOfWeek.Monday) },
        { "monthly on the 15th", RecurrencePattern.AbsoluteMonthly(1, 15) },
        { "monthly on the 31st (the last day in shorter months)", RecurrencePattern.AbsoluteMonthly(1, 31) },
        { "yearly on 29 February (28th in other years)", RecurrencePattern.AbsoluteYearly(1, 2, 29) },
        { "every 2 months, last Friday", RecurrencePattern.RelativeMonthly(2, DaysOfWeek.Friday, WeekIndex.Last) },
        { "monthly, second weekday", RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Weekdays, WeekIndex.Second) },
        { "yearly on 15 March", RecurrencePattern.AbsoluteYearly(1, 3, 15) },
        { "every 2 years on 20 March", RecurrencePattern.AbsoluteYearly(2, 3, 20) },
        { "yearly, fourth Thursday of November", RecurrencePattern.RelativeYearly(1, 11, DaysOfWeek.Thursday, WeekIndex.Fourth) },
    };

    public static IEnumerable<object[]> PatternsTimesRanges() =>
        from p in Patterns
        from r in new[] { "end date", "numbered", "no end" }
        select new[] { p[0], p[1], r };

    [Theory]
    [MemberData(nameof(PatternsTimesRanges))]
    public async Task A_series_written_reads_back_equal_and_Exchange_shows_its_occurrences(string name, RecurrencePattern pattern, string rangeKind)
    {
        var (mailbox, sim) = Open($"ser-{Guid.NewGuid():N}"[..16]);
        var range = rangeKind switch
        {
            "end date" => RecurrenceRange.Until(Monday, new DateOnly(2033, 3, 31)),
            "numbered" => RecurrenceRange.Numbered(Monday, 5),
            _ => RecurrenceRange.NoEnd(Monday),
        };
        var series = Series(name, "Europe/Rome", new TimeOnly(9, 30), TimeSpan.FromMinutes(45), new RecurrenceRule(pattern, range, "Europe/Rome"));

        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7001), series, Until, false, default);

        AssertSameSeries(series, created.Master);
        Assert.Equal(created.Master.Key.ItemId, created.Master.SeriesMasterId);
        Assert.Empty(created.OccurrenceIds); // EWS addresses occurrences by master + index
        var read = await mailbox.ReadSeriesAsync(created.Master.Key.ItemId, Until, default);
        AssertSameSeries(series, read!.Master);
        Assert.Equal(7001, read.Master.StampedCrmId);
        // What Outlook shows: Exchange's own expansion has the model's dates at 09:30 in Rome.
        var master = sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!;
        var shown = SimExpander.OriginalStarts(master).Take(6).ToList();
        var expected = CoreExpander.PatternDates(series.Recurrence!).Take(6).ToList();
        Assert.Equal(expected, shown.Select(s => Zones.DateIn(s, Zones.Get("Europe/Rome"))).ToList());
        Assert.All(shown, s => Assert.Equal(new TimeOnly(9, 30), TimeOnly.FromDateTime(Zones.ToLocal(s, Zones.Get("Europe/Rome")))));
    }

    [Fact]
    public async Task An_exception_and_a_deleted_occurrence_written_from_the_model_show_in_Exchange_and_read_back()
    {
        var (mailbox, sim) = Open("ser-exc-out");
        var rome = Zones.Get("Europe/Rome");
        var plain = Series("Team sync", "Europe/Rome", new TimeOnly(10, 0), TimeSpan.FromHours(1), WeeklyMwf());
        var moved = new DomainModified(new DateOnly(2030, 3, 6), Timed(new DateTime(2030, 3, 6, 14, 0, 0), TimeSpan.FromHours(1), "Europe/Rome"),
            "Team sync (moved)", "Room 7", "Bring the numbers");
        var series = plain with { Recurrence = plain.Recurrence!.WithModified(moved).WithDeleted(new DateOnly(2030, 3, 8)) };

        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7002), series, Until, false, default);

        AssertSameSeries(series, created.Master);
        var master = sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!;
        var march = SimExpander.Expand(master, Instant(new DateTime(2030, 3, 1), rome), Instant(new DateTime(2030, 3, 12), rome));
        Assert.Equal(["03-04 10:00", "03-06 14:00", "03-11 10:00"], march.Select(o => Zones.ToLocal(o.Start, rome).ToString("MM-dd HH:mm")));
        var exception = Assert.Single(master.Exceptions);
        Assert.Equal("Team sync (moved)", exception.Subject);
        Assert.Equal("Room 7", exception.Location);
        Assert.Equal("Bring the numbers", exception.Body);
    }

    [Fact]
    public async Task An_exception_and_a_deleted_occurrence_made_in_Outlook_read_as_the_model_and_later_indexes_stay_right()
    {
        var (mailbox, sim) = Open("ser-exc-in");
        var series = Series("Standup", "America/New_York", new TimeOnly(9, 0), TimeSpan.FromMinutes(15), WeeklyMwf("America/New_York"));
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7003), series, Until, false, default);
        var masterId = created.Master.Key.ItemId;

        // Outlook: occurrence 2 (Wed 6 March) moves to 11:00 with its own subject; occurrence 3 (Fri 8 March) is deleted.
        var ny = Zones.Get("America/New_York");
        var second = (await mailbox.Client.GetEventsAsync([new OccurrenceRef(masterId, 2)])).Single()!;
        await mailbox.Client.UpdateOccurrenceAsync(new OccurrenceRef(masterId, 2), second with
        {
            Subject = "Standup (late)", Location = "Hall", Body = "Coffee first",
            Start = Instant(new DateTime(2030, 3, 6, 11, 0, 0), ny), End = Instant(new DateTime(2030, 3, 6, 11, 15, 0), ny),
        });
        await mailbox.Client.DeleteEventAsync(new OccurrenceRef(masterId, 3));

        var read = (await mailbox.ReadSeriesAsync(masterId, Until, default))!;
        var rule = ((DomainEvent)read.Master.Entity).Recurrence!;
        var modified = Assert.Single(rule.Modified);
        Assert.Equal(new DateOnly(2030, 3, 6), modified.OriginalDate);
        Assert.Equal(Timed(new DateTime(2030, 3, 6, 11, 0, 0), TimeSpan.FromMinutes(15), "America/New_York").ContentText, modified.Span.ContentText);
        Assert.Equal(("Standup (late)", "Hall", "Coffee first"), (modified.Subject, modified.Location, modified.Description));
        Assert.Equal([new DateOnly(2030, 3, 8)], rule.Deleted);
        // The plain reads say which series the item belongs to.
        var plainRead = await mailbox.ReadAsync(RecordKind.Event, masterId, default);
        Assert.Equal(masterId, plainRead!.SeriesMasterId);
        Assert.Equal(rule, ((DomainEvent)plainRead.Entity).Recurrence);
        var exceptionId = sim.Find<SimCalendarItem>(masterId)!.Exceptions.Select(x => SimExpander.OccurrenceId(masterId, x.OriginalStart)).Single();
        Assert.Equal(masterId, (await mailbox.ReadAsync(RecordKind.Event, exceptionId, default))!.SeriesMasterId);

        // The CRM edits Monday 11 March: index 4 counts the deleted Friday, so the right occurrence changes.
        var edited = (DomainEvent)read.Master.Entity with
        {
            Recurrence = rule.WithModified(new DomainModified(new DateOnly(2030, 3, 11), Timed(new DateTime(2030, 3, 11, 9, 30, 0), TimeSpan.FromMinutes(15), "America/New_York"))),
        };
        var updated = await mailbox.UpdateSeriesAsync(read.Master.Key, edited, Until, false, default);
        AssertSameSeries(edited, updated.Master);
        var eleventh = sim.Find<SimCalendarItem>(masterId)!.Exceptions.Single(x => x.OriginalStart == Instant(new DateTime(2030, 3, 11, 9, 0, 0), ny));
        Assert.Equal(Instant(new DateTime(2030, 3, 11, 9, 30, 0), ny), eleventh.Start);
    }

    [Fact]
    public async Task Edit_all_keeps_the_exceptions_and_a_new_time_of_day_applies_them_again()
    {
        var (mailbox, sim) = Open("ser-edit-all");
        var plain = Series("Review", "Europe/Rome", new TimeOnly(10, 0), TimeSpan.FromHours(1), WeeklyMwf());
        var series = plain with
        {
            Recurrence = plain.Recurrence!
                .WithModified(new DomainModified(new DateOnly(2030, 3, 6), Timed(new DateTime(2030, 3, 6, 15, 0, 0), TimeSpan.FromHours(1), "Europe/Rome"), Location: "Lab"))
                .WithDeleted(new DateOnly(2030, 3, 8)),
        };
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7004), series, Until, false, default);

        // Subject and location for the whole series: one UpdateItem of the master, the recurrence untouched.
        var renamed = series with { Subject = "Design review", Location = "Room 2" };
        var before = _server.Log.All.Count;
        var afterRename = await mailbox.UpdateSeriesAsync(created.Master.Key, renamed, Until, false, default);
        AssertSameSeries(renamed, afterRename.Master);
        var master = sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!;
        Assert.Equal("Design review", master.Subject);
        Assert.Single(master.Exceptions);
        Assert.Single(master.DeletedOccurrences);
        Assert.Equal(1, _server.Log.All.Skip(before).Count(r => r.Operation == "UpdateItem"));

        // 10:00 -> 08:30 for the series: Exchange rewrites it, the connector applies the exception and the deletion again.
        var earlier = renamed with { Span = Timed(new DateTime(2030, 3, 4, 8, 30, 0), TimeSpan.FromHours(1), "Europe/Rome") };
        var afterMove = await mailbox.UpdateSeriesAsync(afterRename.Master.Key, earlier, Until, false, default);
        AssertSameSeries(earlier, afterMove.Master);
        var rome = Zones.Get("Europe/Rome");
        master = sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!;
        var march = SimExpander.Expand(master, Instant(new DateTime(2030, 3, 1), rome), Instant(new DateTime(2030, 3, 12), rome));
        Assert.Equal(["03-04 08:30", "03-06 15:00", "03-11 08:30"], march.Select(o => Zones.ToLocal(o.Start, rome).ToString("MM-dd HH:mm")));
    }

    [Fact]
    public async Task A_rewrite_keeps_the_exceptions_past_the_horizon_the_CRM_does_not_hold()
    {
        var (mailbox, sim) = Open("ser-horizon");
        var plain = Series("Planning", "Europe/Rome", new TimeOnly(10, 0), TimeSpan.FromHours(1), WeeklyMwf());
        var series = plain with
        {
            Recurrence = plain.Recurrence!
                .WithModified(new DomainModified(new DateOnly(2030, 6, 5), Timed(new DateTime(2030, 6, 5, 16, 0, 0), TimeSpan.FromHours(1), "Europe/Rome"), "Far away"))
                .WithDeleted(new DateOnly(2030, 6, 7)),
        };
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7010), series, Until, false, default);

        // The CRM holds occurrences up to April only: it renames the series, then moves it to 11:00.
        var horizon = new DateOnly(2030, 4, 30);
        var renamed = await mailbox.UpdateSeriesAsync(created.Master.Key, plain with { Subject = "Planning (renamed)" }, horizon, false, default);
        var june = Assert.Single(((DomainEvent)renamed.Master.Entity).Recurrence!.Modified);
        Assert.Equal(("Far away", Timed(new DateTime(2030, 6, 5, 16, 0, 0), TimeSpan.FromHours(1), "Europe/Rome").ContentText),
            (june.Subject, june.Span.ContentText));
        var later = plain with { Subject = "Planning (renamed)", Span = Timed(new DateTime(2030, 3, 4, 11, 0, 0), TimeSpan.FromHours(1), "Europe/Rome") };
        var updated = await mailbox.UpdateSeriesAsync(renamed.Master.Key, later, horizon, false, default);

        var rule = ((DomainEvent)updated.Master.Entity).Recurrence!;
        Assert.Equal("Far away", Assert.Single(rule.Modified).Subject);
        Assert.Equal([new DateOnly(2030, 6, 7)], rule.Deleted);
        var master = sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!;
        Assert.Equal(new TimeOnly(11, 0), TimeOnly.FromDateTime(Zones.ToLocal(master.Start, Zones.Get("Europe/Rome"))));
    }

    [Fact]
    public async Task A_series_that_started_before_the_window_is_listed_while_it_still_has_occurrences_in_it()
    {
        var (mailbox, _) = Open("ser-window");
        var endless = Series("Endless", "Europe/Rome", new TimeOnly(9, 0), TimeSpan.FromHours(1), WeeklyMwf());
        var ended = Series("Ended", "Europe/Rome", new TimeOnly(9, 0), TimeSpan.FromHours(1),
            new RecurrenceRule(RecurrencePattern.Daily(1), RecurrenceRange.Numbered(Monday, 3), "Europe/Rome"));
        await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7011), endless, Until, false, default);
        await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7012), ended, Until, false, default);
        var from = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var listed = new List<ExchangeItem>();
        await foreach (var item in mailbox.ListAsync(SyncFolder.Calendar, from, from.AddMonths(1), default)) listed.Add(item);
        var firstRead = await mailbox.ReadChangesAsync(SyncFolder.Calendar, null, from, from.AddMonths(1), default);

        Assert.Equal(["Endless"], listed.Select(i => ((DomainEvent)i.Entity).Subject));
        Assert.Equal(["Endless"], firstRead.Changed.Select(i => ((DomainEvent)i.Entity).Subject));
    }

    [Fact]
    public async Task A_move_onto_a_neighbour_is_refused_with_the_dates_and_nothing_is_written()
    {
        var (mailbox, sim) = Open("ser-cross");
        var series = Series("Sprint", "Europe/Rome", new TimeOnly(10, 0), TimeSpan.FromHours(1), WeeklyMwf());
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7005), series, Until, false, default);
        var changeKey = sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!.ChangeKey;

        // Wednesday 6 March onto Friday 8 March, the next occurrence's day.
        var crossing = series with
        {
            Recurrence = series.Recurrence!.WithModified(new DomainModified(new DateOnly(2030, 3, 6),
                Timed(new DateTime(2030, 3, 8, 16, 0, 0), TimeSpan.FromHours(1), "Europe/Rome"))),
        };
        var e = await Assert.ThrowsAsync<PermanentSyncException>(() => mailbox.UpdateSeriesAsync(created.Master.Key, crossing, Until, false, default));
        Assert.Contains("2030-03-06", e.Message);
        Assert.Contains("2030-03-08", e.Message);
        Assert.Equal(changeKey, sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!.ChangeKey);
        Assert.Empty(sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!.Exceptions);

        // Exchange itself refuses the same move.
        var rome = Zones.Get("Europe/Rome");
        var second = (await mailbox.Client.GetEventsAsync([new OccurrenceRef(created.Master.Key.ItemId, 2)])).Single()!;
        var refused = await Assert.ThrowsAsync<EwsException>(() => mailbox.Client.UpdateOccurrenceAsync(new OccurrenceRef(created.Master.Key.ItemId, 2),
            second with { Start = Instant(new DateTime(2030, 3, 8, 16, 0, 0), rome), End = Instant(new DateTime(2030, 3, 8, 17, 0, 0), rome) }));
        Assert.Equal("ErrorOccurrenceCrossingBoundary", refused.ResponseCode);
    }

    [Fact]
    public async Task Two_neighbours_moving_later_together_are_written_in_an_order_Exchange_accepts()
    {
        var (mailbox, sim) = Open("ser-shift");
        var series = Series("Shift", "Europe/Rome", new TimeOnly(10, 0), TimeSpan.FromHours(1), WeeklyMwf());
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7006), series, Until, false, default);

        // Wednesday -> Friday and Friday -> Sunday: valid at the end, but Wednesday cannot move while Friday is still there.
        var shifted = series with
        {
            Recurrence = series.Recurrence!
                .WithModified(new DomainModified(new DateOnly(2030, 3, 6), Timed(new DateTime(2030, 3, 8, 12, 0, 0), TimeSpan.FromHours(1), "Europe/Rome")))
                .WithModified(new DomainModified(new DateOnly(2030, 3, 8), Timed(new DateTime(2030, 3, 10, 12, 0, 0), TimeSpan.FromHours(1), "Europe/Rome"))),
        };
        var updated = await mailbox.UpdateSeriesAsync(created.Master.Key, shifted, Until, false, default);

        AssertSameSeries(shifted, updated.Master);
        Assert.Equal(2, sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!.Exceptions.Count);
    }

    [Theory]
    [InlineData("Europe/Rome")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public async Task A_weekly_series_across_the_DST_change_keeps_its_local_time(string zoneId)
    {
        var (mailbox, sim) = Open($"ser-dst-{zoneId.Split('/')[1].ToLowerInvariant()}");
        var zone = Zones.Get(zoneId);
        // Mondays 4 March - 8 April 2030: New York changes on 10 March, Rome on 31 March (Kolkata has no DST).
        var series = Series("Weekly 1:1", zoneId, new TimeOnly(9, 0), TimeSpan.FromMinutes(30),
            new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.Numbered(Monday, 6), zoneId));

        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7007), series, Until, false, default);

        AssertSameSeries(series, created.Master);
        Assert.Equal(zoneId, ((DomainEvent)created.Master.Entity).Recurrence!.TimeZone);
        var starts = SimExpander.OriginalStarts(sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!).ToList();
        Assert.Equal(6, starts.Count);
        Assert.All(starts, s => Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(Zones.ToLocal(s, zone))));
        var offsets = starts.Select(s => zone.GetUtcOffset(s)).Distinct().Count();
        Assert.Equal(zoneId == "Asia/Kolkata" ? 1 : 2, offsets); // the UTC time moved, the local time did not
    }

    [Theory]
    [InlineData("Europe/Rome")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public async Task An_all_day_series_stays_on_its_dates(string zoneId)
    {
        var (mailbox, sim) = Open($"ser-allday-{zoneId.Split('/')[1].ToLowerInvariant()}");
        var zone = Zones.Get(zoneId);
        var friday = new DateOnly(2030, 3, 8);
        var series = new DomainEvent
        {
            Subject = "Release day",
            Span = EventSpan.AllDay(friday, friday.AddDays(1)),
            Recurrence = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Friday), RecurrenceRange.Numbered(friday, 6), zoneId,
                deleted: [new DateOnly(2030, 3, 22)]),
        };

        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7008), series, Until, false, default);

        AssertSameSeries(series, created.Master);
        var master = sim.Find<SimCalendarItem>(created.Master.Key.ItemId)!;
        Assert.True(master.IsAllDay);
        var shown = SimExpander.Expand(master, Instant(new DateTime(2030, 3, 1), zone), Instant(new DateTime(2030, 5, 1), zone));
        Assert.Equal(["03-08", "03-15", "03-29", "04-05", "04-12"], shown.Select(o => Zones.ToLocal(o.Start, zone).ToString("MM-dd")));
        Assert.All(shown, o => Assert.Equal(TimeSpan.Zero, Zones.ToLocal(o.Start, zone).TimeOfDay)); // midnight where the user is
    }

    [Fact]
    public async Task The_plain_create_and_update_write_a_series_entity_as_a_series()
    {
        var (mailbox, sim) = Open("ser-plain-port");
        var plain = Series("Via the plain port", "Asia/Kolkata", new TimeOnly(18, 0), TimeSpan.FromHours(1), WeeklyMwf("Asia/Kolkata"));
        var series = plain with { Recurrence = plain.Recurrence!.WithDeleted(new DateOnly(2030, 3, 6)) };

        var created = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 7013), series, false, default);
        AssertSameSeries(series, created);
        var renamed = series with { Subject = "Renamed via the plain port" };
        var updated = await mailbox.UpdateAsync(created.Key, renamed, false, default);

        AssertSameSeries(renamed, updated);
        Assert.Equal(created.Key.ItemId, updated.SeriesMasterId);
        Assert.Single(sim.Find<SimCalendarItem>(created.Key.ItemId)!.DeletedOccurrences);
    }

    [Fact]
    public async Task A_pattern_EWS_cannot_write_is_refused_content_and_nothing_is_created()
    {
        var (mailbox, sim) = Open("ser-unwritable");
        // "First Monday or Tuesday": EWS relative patterns take one day, Day, Weekday or WeekendDay.
        var series = Series("Odd", "Europe/Rome", new TimeOnly(9, 0), TimeSpan.FromHours(1), new RecurrenceRule(
            RecurrencePattern.RelativeMonthly(1, DaysOfWeek.Monday | DaysOfWeek.Tuesday, WeekIndex.First), RecurrenceRange.NoEnd(Monday), "Europe/Rome"));

        var e = await Assert.ThrowsAsync<PermanentSyncException>(() => mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 7014), series, Until, false, default));

        Assert.Contains("Odd", e.Message);
        Assert.Empty(sim.Items<SimCalendarItem>(sim.Calendar.Id));
    }

    [Fact]
    public async Task Single_events_read_as_before_without_a_series()
    {
        var (mailbox, _) = Open("ser-single");
        var single = new DomainEvent { Subject = "One-off", Span = EventSpan.Timed(new DateTimeOffset(2030, 3, 4, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 4, 10, 0, 0, TimeSpan.Zero), "UTC") };
        var created = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 7009), single, false, default);
        Assert.Null(created.SeriesMasterId);
        Assert.Null(((DomainEvent)created.Entity).Recurrence);
        Assert.Equal(Fingerprint.Of(single with { Organizer = ((DomainEvent)created.Entity).Organizer }), Fingerprint.Of(created.Entity));
    }

    public static TheoryData<string> DocumentedSeries()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Reference.Path("extracted", "ews"), "*.xml").Order())
            if (CalendarItemsWithRecurrence(file).Any()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedSeries))]
    public void Documented_series_parse_through_the_read_path(string file)
    {
        foreach (var item in CalendarItemsWithRecurrence(Reference.Path("extracted", "ews", file)))
        {
            var parsed = EwsCalendarEvent.Parse(item);
            var domain = EwsSeriesMapping.ToDomain(parsed, new Dictionary<string, EwsCalendarEvent>(), "someone@contoso.com");
            Assert.NotNull(domain.Recurrence);
        }
    }

    [Fact]
    public void The_documented_GetItem_of_a_master_reads_as_its_rule()
    {
        var item = CalendarItemsWithRecurrence(Reference.Path("extracted", "ews", "how-to-create-a-recurring-series-by-using-ews-in-exchange__04.xml")).Single();
        var domain = EwsSeriesMapping.ToDomain(EwsCalendarEvent.Parse(item), new Dictionary<string, EwsCalendarEvent>(), "someone@contoso.com");
        Assert.Equal(new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Saturday), RecurrenceRange.Numbered(new DateOnly(2014, 3, 8), 10), "UTC"),
            domain.Recurrence);
        Assert.Equal("Weekly Update Meeting", domain.Subject);
    }

    [Fact]
    public void A_documented_series_file_exists()
    {
        Assert.True(DocumentedSeries().Count >= 3, $"only {DocumentedSeries().Count} documented series");
    }

    // ---- helpers

    private (EwsMailbox Mailbox, Mailbox Sim) Open(string localPart)
    {
        var sim = _server.AddMailbox(localPart);
        return (new EwsMailbox(_server.Client(sim, https: true), new MailboxAccount(1, sim.Address), ownsClient: true), sim);
    }

    private static RecurrenceRule WeeklyMwf(string zone = "Europe/Rome") =>
        new(RecurrencePattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Wednesday | DaysOfWeek.Friday, DayOfWeek.Monday), RecurrenceRange.NoEnd(Monday), zone);

    private static DomainEvent Series(string subject, string zone, TimeOnly at, TimeSpan duration, RecurrenceRule rule)
    {
        var first = CoreExpander.PatternDates(rule).First();
        return new DomainEvent
        {
            Subject = subject,
            Location = "Main room",
            Description = "Agenda in the wiki",
            Span = Timed(first.ToDateTime(at), duration, zone),
            Recurrence = rule,
        };
    }

    private static TimedSpan Timed(DateTime local, TimeSpan duration, string zone)
    {
        var start = Instant(local, Zones.Get(zone));
        return EventSpan.Timed(start, start + duration, zone);
    }

    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone) => Zones.ToInstant(local, zone);

    private static void AssertSameSeries(DomainEvent expected, ExchangeItem item)
    {
        var actual = Assert.IsType<DomainEvent>(item.Entity);
        Assert.Equal(expected.Recurrence, actual.Recurrence);
        Assert.Equal(expected.Span.ContentText, actual.Span.ContentText);
        Assert.Equal((expected.Subject, expected.Location, expected.Description), (actual.Subject, actual.Location, actual.Description));
        Assert.Equal(Fingerprint.Of(expected with { Organizer = actual.Organizer }), Fingerprint.Of(actual));
    }

    private static IEnumerable<XElement> CalendarItemsWithRecurrence(string file)
    {
        XDocument document;
        try { document = XDocument.Load(file); }
        catch (System.Xml.XmlException) { yield break; }
        foreach (var item in document.Descendants(Ns.T + "CalendarItem"))
            if (item.Element(Ns.T + "Recurrence") is { HasElements: true }) yield return item;
    }
}
