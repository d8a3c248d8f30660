using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Time;
using Connector.Exchange.Graph.Models;
using Connector.Exchange.Graph.Sync;
using ModelPattern = Connector.Core.Recurrence.RecurrencePattern;
using ModelRange = Connector.Core.Recurrence.RecurrenceRange;

namespace Connector.Graph.Tests;

/// <summary>
/// Series written with <see cref="GraphRecurrenceMapping"/> through the real client to the Graph simulator (which has
/// its own expander): the master reads back as the same rule, the simulator's instances fall on the dates our
/// expander gives at the same wall-clock time, and an edited and a deleted instance read back as the rule's
/// exception and deleted occurrence — in Rome, New York and Kolkata, across DST.
/// </summary>
public sealed class GraphSeriesSimulatorTests(GraphSeriesSimulatorTests.Simulator fixture) : IClassFixture<GraphSeriesSimulatorTests.Simulator>
{
    private const string Mailbox = "alice@contoso.com";
    private readonly SimulatorHost _sim = fixture.Host;

    /// <summary>One simulator for the class: every test works on its own series.</summary>
    public sealed class Simulator : IAsyncLifetime
    {
        public SimulatorHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await SimulatorHost.StartAsync();
            await Host.AddMailboxAsync(Mailbox, "Alice Organizer");
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    public static TheoryData<string, string, ModelPattern, ModelRange> Series => new()
    {
        { "Europe/Rome", "2030-03-04", ModelPattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Thursday, DayOfWeek.Monday), ModelRange.NoEnd(new(2030, 3, 4)) },
        { "America/New_York", "2030-03-04", ModelPattern.Daily(3), ModelRange.Numbered(new(2030, 3, 4), 12) },
        { "Asia/Kolkata", "2030-03-04", ModelPattern.AbsoluteMonthly(1, 4), ModelRange.Until(new(2030, 3, 4), new(2030, 12, 31)) },
        { "Europe/Rome", "2030-03-29", ModelPattern.RelativeMonthly(1, DaysOfWeek.Friday, WeekIndex.Last), ModelRange.NoEnd(new(2030, 3, 1)) },
        { "America/New_York", "2030-03-04", ModelPattern.AbsoluteYearly(1, 3, 4), ModelRange.Numbered(new(2030, 3, 4), 3) },
        { "Asia/Kolkata", "2030-11-28", ModelPattern.RelativeYearly(1, 11, DaysOfWeek.Thursday, WeekIndex.Fourth), ModelRange.NoEnd(new(2030, 11, 1)) },
    };

    [Theory]
    [MemberData(nameof(Series))]
    public async Task A_series_written_to_Graph_reads_back_and_expands_like_ours(string zone, string firstDate, ModelPattern pattern, ModelRange range)
    {
        var alice = _sim.Mailbox(Mailbox);
        var rule = new RecurrenceRule(pattern, range, zone);
        var master = await alice.CreateEventAsync(Meeting("Series", zone, firstDate, rule));

        Assert.Equal("seriesMaster", master.Type);
        Assert.Equal(rule, GraphRecurrenceMapping.ToRule(master.Recurrence, zone));

        var (from, until) = (new DateOnly(2030, 3, 1), new DateOnly(2033, 3, 1));
        var instances = await alice.ListInstancesAsync(master.Id!, Midnight(from), Midnight(until));
        var masterSpan = GraphDomainMapping.ToDomain(master, Mailbox).Span;
        var ours = RecurrenceExpander.Expand(rule, masterSpan, until.AddDays(-1));
        Assert.Equal(ours.Select(o => ((TimedSpan)o.Span).Start), instances.Select(i => i.Start!.ToInstant()).Order());
        Assert.All(instances, i => Assert.Equal(new TimeOnly(9, 30), TimeOnly.FromDateTime(Zones.ToLocal(i.Start!.ToInstant(), Zones.Get(zone)))));
    }

    [Theory]
    [InlineData("Europe/Rome")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public async Task An_edited_and_a_deleted_instance_read_back_as_the_rules_exception_and_deleted_occurrence(string zone)
    {
        var alice = _sim.Mailbox(Mailbox);
        var rule = new RecurrenceRule(ModelPattern.Weekly(1, DaysOfWeek.Monday), ModelRange.NoEnd(new(2030, 3, 4)), zone);
        var master = await alice.CreateEventAsync(Meeting("Weekly review", zone, "2030-03-04", rule));
        var (from, until) = (new DateOnly(2030, 3, 1), new DateOnly(2030, 4, 30));
        var instances = (await alice.ListInstancesAsync(master.Id!, Midnight(from), Midnight(until))).OrderBy(i => i.Start!.ToInstant()).ToList();
        Assert.Equal(9, instances.Count); // Mondays 4 March .. 29 April

        // Move 11 March (before Rome's DST change, after New York's) to Tuesday 14:00 local; delete 1 April (after both).
        var moveTo = Zones.ToInstant(new DateTime(2030, 3, 12, 14, 0, 0), Zones.Get(zone));
        await alice.UpdateEventAsync(instances[1].Id!, new Event
        {
            Subject = "Weekly review (Tuesday)",
            Start = DateTimeTimeZone.FromUtc(moveTo),
            End = DateTimeTimeZone.FromUtc(moveTo.AddHours(1)),
        });
        Assert.True(await alice.DeleteEventAsync(instances[4].Id!));

        var after = await alice.ListInstancesAsync(master.Id!, Midnight(from), Midnight(until));
        var domainMaster = GraphDomainMapping.ToDomain(master, Mailbox);
        var read = GraphRecurrenceMapping.WithInstances(GraphRecurrenceMapping.ToRule(master.Recurrence, zone)!, domainMaster, after, from, until, Mailbox);

        var exception = Assert.Single(read.Modified);
        Assert.Equal(new DateOnly(2030, 3, 11), exception.OriginalDate);
        Assert.Equal("Weekly review (Tuesday)", exception.Subject);
        Assert.Equal(moveTo, ((TimedSpan)exception.Span).Start);
        Assert.Equal([new DateOnly(2030, 4, 1)], read.Deleted);
        // And the move was one Exchange allows (it does not cross a neighbour); a move to Monday 18 March would not be.
        Assert.True(OccurrenceMove.Check(read, domainMaster.Span, exception.OriginalDate, exception.Span).Allowed);
        var crossing = Zones.ToInstant(new DateTime(2030, 3, 19, 9, 30, 0), Zones.Get(zone));
        var refused = OccurrenceMove.Check(read, domainMaster.Span, exception.OriginalDate, EventSpan.Timed(crossing, crossing.AddHours(1), zone));
        Assert.False(refused.Allowed);
        Assert.Contains("cannot move", refused.Problem);
    }

    private static Event Meeting(string subject, string zone, string date, RecurrenceRule rule)
    {
        var windows = Zones.IanaToWindows(zone)!;
        return new Event
        {
            Subject = subject,
            Start = new DateTimeTimeZone { DateTime = $"{date}T09:30:00", TimeZone = windows },
            End = new DateTimeTimeZone { DateTime = $"{date}T10:30:00", TimeZone = windows },
            Recurrence = GraphRecurrenceMapping.FromRule(rule),
        };
    }

    private static DateTimeOffset Midnight(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
