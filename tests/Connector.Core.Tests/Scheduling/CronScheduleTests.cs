using Connector.Core.Scheduling;

namespace Connector.Core.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Saturday = new(2026, 11, 21, 10, 7, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("*/15 * * * *", "2026-11-21T10:15")]
    [InlineData("0 2 * * *", "2026-11-22T02:00")]
    [InlineData("30 1 * * MON-FRI", "2026-11-23T01:30")]   // Saturday -> Monday
    [InlineData("0 0 1 * *", "2026-12-01T00:00")]
    [InlineData("@hourly", "2026-11-21T11:00")]
    [InlineData("@weekly", "2026-11-22T00:00")]             // Sunday
    [InlineData("5,35 8-18/2 * * *", "2026-11-21T10:35")]
    [InlineData("0 9 * * 7", "2026-11-22T09:00")]           // 7 is Sunday too
    [InlineData("0 9 15 * 1", "2026-11-23T09:00")]          // both day fields restricted: either matches (Monday 23rd)
    [InlineData("0 0 29 feb *", "2028-02-29T00:00")]
    [InlineData("5 10 * * *", "2026-11-22T10:05")]          // already past today
    public void Next_fire_time(string expression, string expected)
    {
        var next = CronSchedule.Parse(expression).NextAfter(Saturday);
        Assert.Equal(DateTimeOffset.Parse(expected + ":00+00:00"), next);
    }

    [Fact]
    public void A_schedule_that_never_fires_has_no_next_time() =>
        Assert.Null(CronSchedule.Parse("0 0 30 2 *").NextAfter(Saturday));

    [Theory]
    [InlineData("", "required")]
    [InlineData("* * * *", "has 4 fields")]
    [InlineData("60 * * * *", "minute \"60\"")]
    [InlineData("0 24 * * *", "hour \"24\"")]
    [InlineData("0 0 0 * *", "day of month \"0\"")]
    [InlineData("0 0 * 13 *", "month \"13\"")]
    [InlineData("0 0 * * MOX", "day of week \"MOX\"")]
    [InlineData("*/0 * * * *", "step")]
    [InlineData("0 5-2 * * *", "backwards")]
    public void Invalid_expressions_say_what_is_wrong(string expression, string expectedInMessage)
    {
        Assert.False(CronSchedule.TryParse(expression, out _, out var error));
        Assert.Contains(expectedInMessage, error);
    }
}
