using Connector.Core.Calendar;
using Connector.Core.Recurrence;

namespace Connector.Core.Tests.Recurrence;

/// <summary>An edit of a CRM series, told apart as Exchange needs it: one occurrence, or the whole series.</summary>
public class SeriesChangesTests
{
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);
    private static TimedSpan At(int day, int hour) => EventSpan.Timed(
        new DateTimeOffset(2026, 3, day, hour, 0, 0, Cet), new DateTimeOffset(2026, 3, day, hour + 1, 0, 0, Cet), "Europe/Rome");

    private static readonly CalendarEvent Series = new()
    {
        Subject = "Stand-up",
        Span = At(2, 9),
        Recurrence = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.NoEnd(new DateOnly(2026, 3, 2)), "Europe/Rome"),
    };

    private static CalendarEvent With(Func<RecurrenceRule, RecurrenceRule> change, CalendarEvent? from = null)
    {
        var e = from ?? Series;
        return e with { Recurrence = change(e.Recurrence!) };
    }

    [Fact]
    public void One_edited_occurrence_is_an_exception_not_a_series_edit()
    {
        var moved = new ModifiedOccurrence(new DateOnly(2026, 3, 9), At(10, 9));
        var changes = SeriesChanges.Between(Series, With(r => r.WithModified(moved)));

        Assert.False(changes.MasterChanged);
        Assert.Equal([moved], changes.Modified);
        Assert.Empty(changes.Deleted);
    }

    [Fact]
    public void One_deleted_occurrence_is_a_deleted_occurrence()
    {
        var changes = SeriesChanges.Between(Series, With(r => r.WithDeleted(new DateOnly(2026, 3, 16))));
        Assert.False(changes.MasterChanged);
        Assert.Equal([new DateOnly(2026, 3, 16)], changes.Deleted);
    }

    [Theory]
    [InlineData("subject")]
    [InlineData("time")]
    [InlineData("pattern")]
    public void Edit_all_changes_the_master_and_leaves_existing_exceptions_alone(string what)
    {
        var before = With(r => r.WithDeleted(new DateOnly(2026, 3, 16)));
        var after = what switch
        {
            "subject" => before with { Subject = "Daily stand-up" },
            "time" => before with { Span = At(2, 11) },
            _ => before with { Recurrence = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday | DaysOfWeek.Thursday), before.Recurrence!.Range, "Europe/Rome", deleted: before.Recurrence.Deleted) },
        };

        var changes = SeriesChanges.Between(before, after);

        Assert.True(changes.MasterChanged);
        Assert.Empty(changes.Deleted);
        Assert.Empty(changes.Modified);
    }

    [Fact]
    public void Reverted_and_undeleted_occurrences_are_reported()
    {
        var before = With(r => r.WithModified(new ModifiedOccurrence(new DateOnly(2026, 3, 9), At(10, 9))).WithDeleted(new DateOnly(2026, 3, 16)));
        var changes = SeriesChanges.Between(before, Series);

        Assert.Equal([new DateOnly(2026, 3, 9)], changes.Reverted);
        Assert.Equal([new DateOnly(2026, 3, 16)], changes.Undeleted);
        Assert.False(changes.MasterChanged);
        Assert.True(SeriesChanges.Between(Series, Series with { }).None);
    }
}
