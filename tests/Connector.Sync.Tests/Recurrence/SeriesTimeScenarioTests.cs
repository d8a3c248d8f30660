using System.Globalization;
using Connector.Exchange.Graph.Models;

namespace Connector.Sync.Tests.Recurrence;

/// <summary>
/// Issue 7, time: series made in Exchange in Europe/Rome, America/New_York and Asia/Kolkata reach vtenext (whose server
/// keeps Europe/Rome wall time) keeping their own wall clock across a DST change, a 02:30 occurrence on the
/// spring-forward day lands at 03:30 (as Exchange and Outlook put it), and all-day and multi-day all-day occurrences
/// stay on their dates.
/// </summary>
public class SeriesTimeScenarioTests() : SeriesScenario(horizonMonths: 12)
{
    /// <summary>The next day (at least two weeks ahead) the zone's clocks go forward, if they do within a year.</summary>
    private static DateOnly? NextSpringForward(TimeZoneInfo zone, DateOnly from)
    {
        for (var d = from.AddDays(14); d < from.AddDays(380); d = d.AddDays(1))
            if (zone.GetUtcOffset(d.ToDateTime(new TimeOnly(12, 0))) > zone.GetUtcOffset(d.AddDays(-1).ToDateTime(new TimeOnly(12, 0))))
                return d;
        return null;
    }

    private static PatternedRecurrence WeeklyNumbered(DayOfWeek day, DateOnly start, string windowsZone, int count) =>
        SeriesWorld.Weekly(day, start, windowsZone, count);

    private static string LocalTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    [Theory]
    [InlineData("Europe/Rome", "W. Europe Standard Time")]
    [InlineData("America/New_York", "Eastern Standard Time")]
    [InlineData("Asia/Kolkata", "India Standard Time")]
    public async Task Series_keep_their_wall_clock_across_dst_and_all_day_occurrences_stay_on_their_dates(string iana, string windows)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(iana);
        // A zone without DST (Kolkata) takes the CRM server's change: then the CRM's own wall time is what shifts.
        var ownDst = NextSpringForward(zone, S.Today);
        var springForward = ownDst ?? NextSpringForward(TimeZoneInfo.FindSystemTimeZoneById(SyncWorld.ServerZone), S.Today)!.Value;
        Assert.Equal(DayOfWeek.Sunday, springForward.DayOfWeek);

        // Mondays at 09:00, two before the change and two after.
        var mondays = Enumerable.Range(0, 4).Select(i => springForward.AddDays(-13 + 7 * i)).ToList();
        var weekly = await S.CreateExchangeSeriesAsync("Weekly 09:00", mondays[0].ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(1), windows,
            WeeklyNumbered(DayOfWeek.Monday, mondays[0], windows, 4));
        // Sundays at 02:30: the second one falls on the spring-forward day (in a zone with DST, 02:30 does not exist).
        var sundays = Enumerable.Range(0, 3).Select(i => springForward.AddDays(-7 + 7 * i)).ToList();
        var early = await S.CreateExchangeSeriesAsync("Early 02:30", sundays[0].ToDateTime(new TimeOnly(2, 30)), TimeSpan.FromMinutes(30), windows,
            WeeklyNumbered(DayOfWeek.Sunday, sundays[0], windows, 3));
        // All-day Fridays, and a two-day all-day weekend (Friday and Saturday) every week.
        var fridays = Enumerable.Range(0, 3).Select(i => springForward.AddDays(-9 + 7 * i)).ToList();
        var allDay = await S.CreateExchangeSeriesAsync("Office day", fridays[0].ToDateTime(TimeOnly.MinValue), TimeSpan.FromDays(1), windows,
            WeeklyNumbered(DayOfWeek.Friday, fridays[0], windows, 3), allDay: true);
        var twoDays = await S.CreateExchangeSeriesAsync("Trade fair", fridays[0].ToDateTime(TimeOnly.MinValue), TimeSpan.FromDays(2), windows,
            WeeklyNumbered(DayOfWeek.Friday, fridays[0], windows, 2), allDay: true);

        var weeklyRecords = await S.RecordsWhenAsync(weekly.ICalUId!, r => r.Count == 4, "the weekly series in vtenext");
        Assert.Equal(mondays, weeklyRecords.Select(r => LocalDate(r.Start, zone)));
        Assert.All(weeklyRecords, r => Assert.Equal("09:00", LocalTime(r.Start, zone)));
        if (ownDst is not null)
            Assert.NotEqual(zone.GetUtcOffset(weeklyRecords[0].Start), zone.GetUtcOffset(weeklyRecords[3].Start)); // the series did cross the change
        else // the CRM server's own wall time moved by the hour instead
            Assert.NotEqual(weeklyRecords[0].TimeStart[..5], weeklyRecords[3].TimeStart[..5]);

        var earlyRecords = await S.RecordsWhenAsync(early.ICalUId!, r => r.Count == 3, "the 02:30 series in vtenext");
        Assert.Equal(sundays, earlyRecords.Select(r => LocalDate(r.Start, zone)));
        Assert.Equal(ownDst is not null ? ["02:30", "03:30", "02:30"] : ["02:30", "02:30", "02:30"],
            earlyRecords.Select(r => LocalTime(r.Start, zone)));

        var allDayRecords = await S.RecordsWhenAsync(allDay.ICalUId!, r => r.Count == 3, "the all-day series in vtenext");
        Assert.All(allDayRecords, r => Assert.Equal(1, r.AllDay));
        Assert.Equal(fridays, allDayRecords.Select(r => DateOnly.FromDateTime(r.DateStart)));
        Assert.Equal(fridays, allDayRecords.Select(r => DateOnly.FromDateTime(r.DueDate)));

        var twoDayRecords = await S.RecordsWhenAsync(twoDays.ICalUId!, r => r.Count == 2, "the two-day all-day series in vtenext");
        Assert.All(twoDayRecords, r => Assert.Equal(1, r.AllDay));
        Assert.Equal(fridays.Take(2), twoDayRecords.Select(r => DateOnly.FromDateTime(r.DateStart)));
        Assert.Equal(fridays.Take(2).Select(d => d.AddDays(1)), twoDayRecords.Select(r => DateOnly.FromDateTime(r.DueDate)));

        // Read back from the CRM, nothing looked changed: no write went to Exchange.
        await S.W.QuietAsync();
        Assert.Equal(0, (await S.W.ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_sync_log WHERE side = 'Exchange'"))[0]);
        Assert.Empty(await S.W.FailedJobsAsync());
    }
}
