using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Core.Sync;
using Connector.Exchange.Graph.Sync;
using Connector.Sync.Ports;

namespace Connector.Graph.Tests;

/// <summary>
/// <see cref="GraphMailbox"/> as the engine's <see cref="IExchangeSeriesMailbox"/>, against the Graph simulator: a series
/// created with an exception and a deleted occurrence reads back as the same model; "edit all" changes the master and
/// keeps the exception; an occurrence moved past its neighbour is refused naming the dates, before anything is written.
/// </summary>
public sealed class GraphSeriesMailboxTests(GraphSeriesSimulatorTests.Simulator fixture) : IClassFixture<GraphSeriesSimulatorTests.Simulator>
{
    private const string Mailbox = "alice@contoso.com";
    private const string Zone = "Europe/Rome";
    private static readonly DateOnly Until = new(2031, 1, 1);

    private GraphMailbox Open() => new(fixture.Host.Mailbox(Mailbox), new MailboxAccount(7, Mailbox));

    private static DateTimeOffset At(DateOnly d, int hour, int minute = 0) =>
        Core.Time.Zones.ToInstant(d.ToDateTime(new TimeOnly(hour, minute)), Core.Time.Zones.Get(Zone));

    /// <summary>Mondays at 09:00 (Rome) from 4 March 2030, no end; the third moved to 11:00 and renamed, the fourth deleted.</summary>
    private static CalendarEvent Weekly(string subject)
    {
        var first = new DateOnly(2030, 3, 4);
        var rule = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday, DayOfWeek.Monday), RecurrenceRange.NoEnd(first), Zone,
            [new ModifiedOccurrence(first.AddDays(14), EventSpan.Timed(At(first.AddDays(14), 11), At(first.AddDays(14), 11, 30), Zone), subject + " (moved)")],
            [first.AddDays(21)]);
        return new CalendarEvent { Subject = subject, Span = EventSpan.Timed(At(first, 9), At(first, 9, 30), Zone), Location = "Room 1", Recurrence = rule };
    }

    private static RecurrenceRule Rule(ExchangeSeries s) => ((CalendarEvent)s.Master.Entity).Recurrence!;

    [Fact]
    public async Task A_series_with_an_exception_and_a_deleted_occurrence_is_created_and_read_back_as_the_same_model()
    {
        var mailbox = Open();
        var wanted = Weekly("Created");
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 4101), wanted, Until, sendInvitations: false, default);

        Assert.Equal(created.Master.Key.ItemId, created.Master.SeriesMasterId);
        Assert.Equal(4101, created.Master.StampedCrmId);
        var read = (await mailbox.ReadSeriesAsync(created.Master.Key.ItemId, Until, default))!;
        Assert.Equal(wanted.Recurrence!.Pattern, Rule(read).Pattern);
        Assert.Equal(wanted.Recurrence.Range, Rule(read).Range);
        Assert.Equal(wanted.Recurrence.Deleted, Rule(read).Deleted);
        var exception = Assert.Single(Rule(read).Modified);
        Assert.Equal((new DateOnly(2030, 3, 18), "Created (moved)", wanted.Recurrence.Modified[0].Span.ContentText),
            (exception.OriginalDate, exception.Subject, exception.Span.ContentText));
        // Every occurrence up to the date asked for has its instance id (deleted ones none).
        Assert.DoesNotContain(new DateOnly(2030, 3, 25), read.OccurrenceIds.Keys);
        Assert.Contains(new DateOnly(2030, 12, 30), read.OccurrenceIds.Keys);
    }

    [Fact]
    public async Task Edit_all_changes_the_master_and_keeps_the_exception()
    {
        var mailbox = Open();
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 4102), Weekly("Before"), Until, false, default);
        var edited = (CalendarEvent)created.Master.Entity with { Subject = "After", Location = "Room 9" };

        var updated = await mailbox.UpdateSeriesAsync(created.Master.Key, edited, Until, false, default);

        Assert.Equal(("After", "Room 9"), (((CalendarEvent)updated.Master.Entity).Subject, ((CalendarEvent)updated.Master.Entity).Location));
        Assert.Equal(Rule(created).Modified.Select(m => m.OriginalDate), Rule(updated).Modified.Select(m => m.OriginalDate));
        Assert.Equal(Rule(created).Deleted, Rule(updated).Deleted);
    }

    [Fact]
    public async Task An_occurrence_moved_past_its_neighbour_is_refused_naming_the_dates_and_nothing_is_written()
    {
        var mailbox = Open();
        var created = await mailbox.CreateSeriesAsync(new CrmKey(RecordKind.Event, 4103), Weekly("Fixed"), Until, false, default);
        var series = (CalendarEvent)created.Master.Entity;
        // The occurrence of 11 March dragged to 19 March: past its neighbour of 18 March.
        var moved = series with
        {
            Subject = "Renamed too",
            Recurrence = series.Recurrence!.WithModified(new ModifiedOccurrence(new DateOnly(2030, 3, 11),
                EventSpan.Timed(At(new DateOnly(2030, 3, 19), 9), At(new DateOnly(2030, 3, 19), 9, 30), Zone))),
        };

        var refused = await Assert.ThrowsAsync<PermanentSyncException>(() => mailbox.UpdateSeriesAsync(created.Master.Key, moved, Until, false, default));
        Assert.Contains("2030-03-11", refused.Message);
        Assert.Contains("2030-03-19", refused.Message);
        var after = (await mailbox.ReadSeriesAsync(created.Master.Key.ItemId, Until, default))!;
        Assert.Equal(Fingerprint.Of(created.Master.Entity), Fingerprint.Of(after.Master.Entity)); // not even the subject changed
    }
}
