using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Mailboxes;
using Connector.Core.Recurrence;

namespace Connector.Core.Tests.Domain;

/// <summary>The domain refuses values that cannot be true, naming the field, so adapters fail at the edge.</summary>
public class DomainRulesTests
{
    [Fact]
    public void Impossible_times_are_refused()
    {
        var start = new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => EventSpan.Timed(start, start.AddMinutes(-1), "Europe/Rome")).ParamName);
        Assert.Equal("endDate", Assert.Throws<ArgumentException>(() => EventSpan.AllDay(new DateOnly(2026, 5, 4), new DateOnly(2026, 5, 4))).ParamName);
        Assert.Equal("timeZone", Assert.Throws<ArgumentException>(() => EventSpan.Timed(start, start, " ")).ParamName);
    }

    [Fact]
    public void Timed_spans_are_kept_in_UTC_and_compare_by_instant()
    {
        var rome = EventSpan.Timed(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.FromHours(2)), "Europe/Rome");
        Assert.Equal(TimeSpan.Zero, rome.Start.Offset);
        Assert.Equal(EventSpan.Timed(new DateTimeOffset(2026, 5, 4, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero), "Europe/Rome"), rome);
    }

    [Fact]
    public void Attendees_and_mailboxes_are_identified_by_lower_cased_address()
    {
        Assert.Equal(new Attendee("bob@example.test"), new Attendee(" Bob@Example.TEST "));
        Assert.Equal(new Mailbox("alice@example.test", 1), new Mailbox("ALICE@example.test", 1));
        Assert.Equal("crmId", Assert.Throws<ArgumentException>(() => new Attendee("bob@example.test", kind: AttendeeKind.CrmUser)).ParamName);
        Assert.Null(new Attendee("ext@x.test", kind: AttendeeKind.External, crmId: 5).CrmId);
    }

    [Fact]
    public void Events_with_equal_content_are_equal_records()
    {
        CalendarEvent Make() => new()
        {
            Subject = "s",
            Span = EventSpan.AllDay(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2)),
            Attendees = [new Attendee("a@x.test")],
            Recurrence = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Friday), RecurrenceRange.NoEnd(new DateOnly(2026, 1, 1)), "UTC", deleted: [new DateOnly(2026, 1, 9)]),
        };
        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
    }

    [Fact]
    public void An_occurrence_cannot_be_both_modified_and_deleted()
    {
        var day = new DateOnly(2026, 1, 2);
        var error = Assert.Throws<ArgumentException>(() => new RecurrenceRule(RecurrencePattern.Daily(), RecurrenceRange.NoEnd(day), "UTC",
            [new ModifiedOccurrence(day, EventSpan.AllDay(day, day.AddDays(1)))], [day]));
        Assert.Equal("deleted", error.ParamName);

        // Moving a deleted occurrence (or deleting a moved one) replaces the earlier exception.
        var rule = new RecurrenceRule(RecurrencePattern.Daily(), RecurrenceRange.NoEnd(day), "UTC").WithDeleted(day)
            .WithModified(new ModifiedOccurrence(day, EventSpan.AllDay(day, day.AddDays(1))));
        Assert.Empty(rule.Deleted);
        Assert.Empty(rule.WithDeleted(day).Modified);
    }
}
