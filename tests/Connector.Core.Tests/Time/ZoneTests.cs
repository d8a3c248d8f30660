using Connector.Core.Calendar;
using Connector.Core.Time;

namespace Connector.Core.Tests.Time;

public class ZoneTests
{
    [Theory]
    [InlineData("W. Europe Standard Time", null, "Europe/Berlin")]
    [InlineData("W. Europe Standard Time", "IT", "Europe/Rome")]
    [InlineData("Eastern Standard Time", null, "America/New_York")]
    [InlineData("India Standard Time", null, "Asia/Kolkata")]
    [InlineData("Central Standard Time", null, "America/Chicago")]
    [InlineData("Central Standard Time", "CA", "America/Winnipeg")] // many-to-one: the region keeps Winnipeg
    [InlineData("Not A Zone", null, null)]
    public void Windows_ids_map_to_IANA(string windows, string? region, string? iana) =>
        Assert.Equal(iana, Zones.WindowsToIana(windows, region));

    [Theory]
    [InlineData("Europe/Rome", "W. Europe Standard Time")]
    [InlineData("America/New_York", "Eastern Standard Time")]
    [InlineData("Asia/Kolkata", "India Standard Time")]
    [InlineData("Asia/Calcutta", "India Standard Time")] // old alias
    [InlineData("UTC", "UTC")]
    [InlineData("Eastern Standard Time", "Eastern Standard Time")] // already Windows
    [InlineData("Mars/Olympus", null)]
    public void IANA_ids_map_to_Windows(string iana, string? windows) => Assert.Equal(windows, Zones.IanaToWindows(iana));

    [Theory]
    [InlineData("America/New_York", "2026-03-08T02:30", "2026-03-08T07:30Z")] // gap: 02:30 does not exist, becomes 03:30 EDT
    [InlineData("Europe/Rome", "2026-03-29T02:30", "2026-03-29T01:30Z")]       // gap: becomes 03:30 CEST
    [InlineData("America/New_York", "2026-11-01T01:30", "2026-11-01T05:30Z")] // overlap: the first (EDT) 01:30
    [InlineData("Europe/Rome", "2026-10-25T02:30", "2026-10-25T00:30Z")]       // overlap: the first (CEST) 02:30
    [InlineData("Asia/Kolkata", "2026-03-29T02:30", "2026-03-28T21:00Z")]
    public void Wall_clock_times_become_instants_even_at_DST_edges(string zone, string local, string utc) =>
        Assert.Equal(DateTimeOffset.Parse(utc), Zones.ToInstant(DateTime.Parse(local), Zones.Get(zone)));

    [Theory]
    [InlineData("Europe/Rome")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Pacific/Kiritimati")] // UTC+14
    [InlineData("Etc/GMT+12")]         // UTC-12
    public void All_day_events_stay_on_their_dates_in_every_zone(string zone)
    {
        var tz = Zones.Get(zone);
        var threeDays = EventSpan.AllDay(new DateOnly(2026, 3, 28), new DateOnly(2026, 3, 31)); // across the EU DST change

        Assert.Equal(new DateOnly(2026, 3, 28), Zones.DateIn(threeDays.StartIn(tz), tz));
        Assert.Equal(new DateOnly(2026, 3, 31), Zones.DateIn(threeDays.EndIn(tz), tz));
        Assert.Equal(TimeOnly.MinValue, TimeOnly.FromDateTime(Zones.ToLocal(threeDays.StartIn(tz), tz)));
        Assert.Equal(3, threeDays.Days);
        Assert.Equal(new DateOnly(2026, 3, 30), threeDays.LastDate);
    }

    [Theory]
    [InlineData("2026-05-03T18:30:00Z", "2026-05-04T18:30:00Z", "Asia/Kolkata", "2026-05-04", "2026-05-05")]   // midnight in Kolkata
    [InlineData("2026-05-03T22:00:00Z", "2026-05-06T22:00:00Z", "Europe/Rome", "2026-05-04", "2026-05-07")]    // three days in Rome
    [InlineData("2026-05-03T22:00:00Z", "2026-05-04T22:00:00Z", "UTC", "2026-05-04", "2026-05-05")]            // Rome's midnight read as UTC
    [InlineData("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", "America/New_York", "2026-03-08", "2026-03-09")] // the 23-hour DST day
    [InlineData("2026-05-04T00:00:00Z", "2026-05-04T00:00:00Z", "UTC", "2026-05-04", "2026-05-05")]            // zero length: one day
    public void All_day_instants_from_a_server_become_the_right_dates(string start, string end, string zone, string first, string endExclusive)
    {
        var span = AllDaySpan.FromInstants(DateTimeOffset.Parse(start), DateTimeOffset.Parse(end), Zones.Get(zone));
        Assert.Equal(EventSpan.AllDay(DateOnly.Parse(first), DateOnly.Parse(endExclusive)), span);
    }

    [Fact]
    public void A_custom_zone_from_rules_behaves_like_the_zone_it_describes()
    {
        // What Exchange sends for a "Customized Time Zone": Central European rules.
        var rules = new ZoneRules(BiasMinutes: -60,
            ToStandard: new ZoneTransition(10, 5, DayOfWeek.Sunday, new TimeOnly(3, 0)),
            ToDaylight: new ZoneTransition(3, 5, DayOfWeek.Sunday, new TimeOnly(2, 0)));
        var custom = rules.ToTimeZone("Customized Time Zone");
        var rome = Zones.Get("Europe/Rome");

        foreach (var instant in new[] { "2026-01-15T12:00Z", "2026-03-29T00:59Z", "2026-03-29T01:00Z", "2026-07-01T12:00Z", "2026-10-25T00:59Z", "2026-10-25T01:00Z" })
            Assert.Equal(rome.GetUtcOffset(DateTimeOffset.Parse(instant)), custom.GetUtcOffset(DateTimeOffset.Parse(instant)));

        var resolved = ZoneResolver.Resolve("Customized Time Zone", rules, 2026, candidates: ["America/New_York", "Europe/Rome"]);
        Assert.Equal((ZoneSource.Rules, "Europe/Rome"), (resolved.Source, resolved.IanaId));
    }

    [Fact]
    public void A_zone_whose_rules_changed_follows_each_periods_rules()
    {
        // EWS's Eastern Standard Time definition: first Sunday of April to last Sunday of October until 2006,
        // second Sunday of March to first Sunday of November from 2007 (bias 5 h, daylight 4 h).
        var eastern = ZoneHistory.ToTimeZone("Eastern (from EWS)",
        [
            (1900, new ZoneRules(300, ToStandard: new ZoneTransition(10, 5, DayOfWeek.Sunday, new TimeOnly(2, 0)), ToDaylight: new ZoneTransition(4, 1, DayOfWeek.Sunday, new TimeOnly(2, 0)))),
            (2007, new ZoneRules(300, ToStandard: new ZoneTransition(11, 1, DayOfWeek.Sunday, new TimeOnly(2, 0)), ToDaylight: new ZoneTransition(3, 2, DayOfWeek.Sunday, new TimeOnly(2, 0)))),
        ]);
        var newYork = Zones.Get("America/New_York");

        foreach (var instant in new[] { "2006-03-15T12:00Z", "2006-04-02T06:59Z", "2006-04-02T07:00Z", "2006-10-29T05:59Z", "2006-10-29T06:00Z", "2006-11-03T12:00Z",
                     "2026-03-08T06:59Z", "2026-03-08T07:00Z", "2026-04-15T12:00Z", "2026-11-01T05:59Z", "2026-11-01T06:00Z" })
            Assert.True(newYork.GetUtcOffset(DateTimeOffset.Parse(instant)) == eastern.GetUtcOffset(DateTimeOffset.Parse(instant)), instant);
    }

    [Theory]
    [InlineData("Eastern Standard Time", "America/New_York", ZoneSource.Windows)]
    [InlineData("Asia/Kolkata", "Asia/Kolkata", ZoneSource.Iana)]
    [InlineData("UTC", "UTC", ZoneSource.Windows)]
    [InlineData("(UTC+01:00) Amsterdam, Berlin, Bern, Rome", "Europe/Rome", ZoneSource.Fallback)] // a display name: not an id
    [InlineData(null, "Europe/Rome", ZoneSource.Fallback)]
    public void Zone_ids_are_resolved_or_fall_back(string? id, string iana, ZoneSource source)
    {
        var resolved = ZoneResolver.Resolve(id, rules: null, 2026, fallbackIana: "Europe/Rome");
        Assert.Equal((source, iana), (resolved.Source, resolved.IanaId));
    }

    [Fact]
    public void Fixed_offset_rules_without_a_known_twin_become_Etc_zones_or_stay_custom()
    {
        var plusTwo = ZoneResolver.Resolve("Some Custom Zone", new ZoneRules(BiasMinutes: -120), 2026);
        Assert.Equal("Etc/GMT-2", plusTwo.IanaId); // Etc signs are inverted: Etc/GMT-2 is UTC+2
        Assert.Equal(TimeSpan.FromHours(2), plusTwo.Zone.GetUtcOffset(DateTimeOffset.UnixEpoch));

        var plusFiveThirty = ZoneResolver.Resolve("Odd Zone", new ZoneRules(BiasMinutes: -330), 2026);
        Assert.Equal(ZoneSource.Rules, plusFiveThirty.Source);
        Assert.Equal(TimeSpan.FromMinutes(330), plusFiveThirty.Zone.GetUtcOffset(DateTimeOffset.UnixEpoch));
    }
}
