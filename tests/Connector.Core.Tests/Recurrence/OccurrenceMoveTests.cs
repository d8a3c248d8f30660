using Connector.Core.Calendar;
using Connector.Core.Recurrence;

namespace Connector.Core.Tests.Recurrence;

/// <summary>Exchange refuses to move an occurrence onto or past a neighbour; we say so before trying.</summary>
public class OccurrenceMoveTests
{
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);
    private static readonly RecurrenceRule Weekly = new(RecurrencePattern.Weekly(1, DaysOfWeek.Monday), RecurrenceRange.NoEnd(new DateOnly(2026, 3, 2)), "Europe/Rome");
    private static readonly TimedSpan Master = At(2, 9);

    private static TimedSpan At(int day, int hour) => EventSpan.Timed(
        new DateTimeOffset(2026, 3, day, hour, 0, 0, Cet), new DateTimeOffset(2026, 3, day, hour + 1, 0, 0, Cet), "Europe/Rome");

    [Theory]
    [InlineData(10, true)]  // Monday 9th to Tuesday 10th: fine
    [InlineData(15, true)]  // to Sunday 15th, the day before the next one: fine
    [InlineData(3, true)]   // to Tuesday 3rd, the day after the previous one: fine
    [InlineData(16, false)] // onto the next occurrence's day
    [InlineData(20, false)] // past the next occurrence
    [InlineData(2, false)]  // onto the previous occurrence's day
    public void Moves_that_cross_a_neighbour_are_refused_with_a_reason(int toDay, bool allowed)
    {
        var check = OccurrenceMove.Check(Weekly, Master, new DateOnly(2026, 3, 9), At(toDay, 9));

        Assert.Equal(allowed, check.Allowed);
        if (!allowed) Assert.Contains("cannot move", check.Problem);
    }

    [Fact]
    public void A_deleted_neighbour_no_longer_blocks_and_a_moved_one_blocks_where_it_now_is()
    {
        var nextDeleted = Weekly.WithDeleted(new DateOnly(2026, 3, 16));
        Assert.True(OccurrenceMove.Check(nextDeleted, Master, new DateOnly(2026, 3, 9), At(17, 9)).Allowed);

        var nextMovedEarlier = Weekly.WithModified(new ModifiedOccurrence(new DateOnly(2026, 3, 16), At(12, 9)));
        var blocked = OccurrenceMove.Check(nextMovedEarlier, Master, new DateOnly(2026, 3, 9), At(13, 9));
        Assert.False(blocked.Allowed);
        Assert.Contains("2026-03-12", blocked.Problem);
    }

    [Fact]
    public void An_occurrence_the_series_does_not_have_is_reported()
    {
        var check = OccurrenceMove.Check(Weekly, Master, new DateOnly(2026, 3, 10), At(11, 9));
        Assert.False(check.Allowed);
        Assert.Contains("no occurrence on 2026-03-10", check.Problem);
    }
}
