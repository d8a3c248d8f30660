using Connector.Simulators.Mailboxes;

namespace Connector.Graph.Tests;

/// <summary>The protocol-neutral mailbox model that Graph and EWS share: change keys, change log, subscribers, concurrency.</summary>
public sealed class MailboxModelTests
{
    private static CalendarItem Item(string subject) => new()
    {
        Id = "", FolderId = "", ICalUId = "", Organizer = new("x@contoso.com", null), Subject = subject,
        Start = new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero), End = new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Concurrent_writes_get_unique_increasing_sequences_and_every_subscriber_sees_each_change_once()
    {
        var directory = new MailboxDirectory();
        var mailbox = directory.Add("ivan@contoso.com", "Ivan", "pw");
        var seen = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var subscription = mailbox.Subscribe(c => seen.Add(c.Entry.Sequence));
        var start = mailbox.Position(mailbox.Calendar.Id);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                var created = directory.CreateEvent(mailbox, Item($"t{t}-{i}"));
                directory.UpdateEvent(mailbox, created.Id, e => e with { Subject = e.Subject + "!" });
            }
        })));

        var log = mailbox.ChangesSince(start)!;
        Assert.Equal(800, log.Count);
        Assert.Equal(log.Select(e => e.Sequence).Order(), log.Select(e => e.Sequence)); // ordered
        Assert.Equal(800, log.Select(e => e.Sequence).Distinct().Count());
        Assert.Equal(800, seen.Count);
        Assert.All(mailbox.Items<CalendarItem>(mailbox.Calendar.Id), i => Assert.EndsWith("!", i.Subject));
    }

    [Fact]
    public void ChangeKey_changes_on_every_write_and_a_stale_change_key_is_refused()
    {
        var directory = new MailboxDirectory();
        var mailbox = directory.Add("judy@contoso.com", "Judy", "pw");
        var created = directory.CreateEvent(mailbox, Item("a"));
        var first = mailbox.Update<CalendarItem>(created.Id, e => e with { Subject = "b" }, created.ChangeKey);
        Assert.Equal(UpdateOutcome.Updated, first.Outcome);
        Assert.NotEqual(created.ChangeKey, first.Item!.ChangeKey);
        var stale = mailbox.Update<CalendarItem>(created.Id, e => e with { Subject = "c" }, created.ChangeKey);
        Assert.Equal(UpdateOutcome.ChangeKeyMismatch, stale.Outcome);
        Assert.Equal("b", mailbox.Find<CalendarItem>(created.Id)!.Subject);
    }

    [Fact]
    public void Invalidated_sync_positions_are_refused_and_new_ones_work()
    {
        var mailbox = new MailboxDirectory().Add("ken@contoso.com", "Ken", "pw");
        var old = mailbox.Position(mailbox.Tasks.Id);
        mailbox.InvalidateSyncStates(mailbox.Tasks.Id);
        Assert.Null(mailbox.ChangesSince(old));
        var fresh = mailbox.Position(mailbox.Tasks.Id);
        mailbox.Create(mailbox.Tasks.Id, new TaskItem { Id = "", FolderId = "", Title = "t" });
        Assert.Single(mailbox.ChangesSince(fresh)!);
    }

    [Fact]
    public void Extended_property_keys_from_graph_and_ews_forms_are_the_same()
    {
        var guid = Guid.Parse("6b5f4a4e-3c1d-4e8a-9f27-0d7e5c2b1a90");
        Assert.Equal(ExtendedPropertyKey.From("String", guid, "vtenextCrmId"),
            ExtendedPropertyKey.Normalize("String {6b5f4a4e-3c1d-4e8a-9f27-0d7e5c2b1a90} Name vtenextCrmId"));
        Assert.Equal(Connector.Exchange.Common.CrmIdStamp.GraphId, ExtendedPropertyKey.From("String", Connector.Exchange.Common.CrmIdStamp.PropertySetId, "vtenextCrmId"));
    }

    [Fact]
    public void Monthly_and_yearly_patterns_expand_like_exchange()
    {
        var master = Item("m") with
        {
            Id = "M", Start = new DateTimeOffset(2030, 1, 31, 9, 0, 0, TimeSpan.Zero), End = new DateTimeOffset(2030, 1, 31, 10, 0, 0, TimeSpan.Zero),
            Recurrence = new Recurrence(new RecurrencePattern { Kind = RecurrencePatternKind.RelativeMonthly, DaysOfWeek = [DayOfWeek.Friday], Index = WeekIndex.Last },
                new RecurrenceRange { Kind = RecurrenceRangeKind.Numbered, StartDate = new DateOnly(2030, 1, 1), NumberOfOccurrences = 3, TimeZone = "UTC" }),
        };
        var lastFridays = RecurrenceExpander.Expand(master, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new[] { new DateOnly(2030, 1, 25), new DateOnly(2030, 2, 22), new DateOnly(2030, 3, 29) },
            lastFridays.Select(o => DateOnly.FromDateTime(o.Start.UtcDateTime)).ToArray());
    }
}
