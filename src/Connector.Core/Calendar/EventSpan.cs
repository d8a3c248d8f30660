namespace Connector.Core.Calendar;

/// <summary>
/// When an event happens. Timed events are UTC instants plus the IANA zone they were planned in (the zone decides
/// how a series keeps its wall-clock time across DST). All-day events are calendar dates with an exclusive end, so
/// they stay on their dates in every zone.
/// </summary>
public abstract record EventSpan
{
    private protected EventSpan() { }

    public static TimedSpan Timed(DateTimeOffset start, DateTimeOffset end, string timeZone) => new(start, end, timeZone);

    public static AllDaySpan AllDay(DateOnly startDate, DateOnly endDateExclusive) => new(startDate, endDateExclusive);

    /// <summary>The first instant this span covers, read in <paramref name="zone"/> for all-day spans.</summary>
    public abstract DateTimeOffset StartIn(TimeZoneInfo zone);

    /// <summary>The instant this span ends, read in <paramref name="zone"/> for all-day spans.</summary>
    public abstract DateTimeOffset EndIn(TimeZoneInfo zone);

    /// <summary>
    /// What the fingerprint hashes: the instants or dates, not the zone's name (Windows to IANA mapping is
    /// many-to-one, so the same event read back may carry an alias of its zone).
    /// </summary>
    public abstract string ContentText { get; }
}

/// <summary>A timed event: UTC start and end (end not before start) and the IANA zone of its organiser.</summary>
public sealed record TimedSpan : EventSpan
{
    public TimedSpan(DateTimeOffset start, DateTimeOffset end, string timeZone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZone);
        if (end < start) throw new ArgumentException("An event cannot end before it starts.", nameof(end));
        Start = start.ToUniversalTime();
        End = end.ToUniversalTime();
        TimeZone = timeZone;
    }

    public DateTimeOffset Start { get; }
    public DateTimeOffset End { get; }
    public string TimeZone { get; }
    public TimeSpan Duration => End - Start;

    public override DateTimeOffset StartIn(TimeZoneInfo zone) => Start;
    public override DateTimeOffset EndIn(TimeZoneInfo zone) => End;

    public override string ContentText => $"{Start:u}..{End:u}";

    public override string ToString() => $"{Start:u}..{End:u} ({TimeZone})";
}

/// <summary>An all-day event: from <see cref="StartDate"/> up to but not including <see cref="EndDate"/>.</summary>
public sealed record AllDaySpan : EventSpan
{
    public AllDaySpan(DateOnly startDate, DateOnly endDate)
    {
        if (endDate <= startDate) throw new ArgumentException("An all-day event ends (exclusively) at least one day after it starts.", nameof(endDate));
        StartDate = startDate;
        EndDate = endDate;
    }

    public DateOnly StartDate { get; }

    /// <summary>Exclusive: a one-day event on 1 May has StartDate 1 May and EndDate 2 May.</summary>
    public DateOnly EndDate { get; }

    public int Days => EndDate.DayNumber - StartDate.DayNumber;

    /// <summary>The inclusive last date, as CRMs that store "due date" show it.</summary>
    public DateOnly LastDate => EndDate.AddDays(-1);

    /// <summary>
    /// The dates of an all-day event a server gave as instants (midnight to midnight in <paramref name="zone"/>).
    /// Each instant is read in the zone and rounded to the nearest midnight, so an instant read in a slightly wrong
    /// zone (a server that labels midnight in Rome as 22:00 UTC, or a DST-shifted hour) still lands on its date
    /// instead of the day before. At least one day long.
    /// </summary>
    public static AllDaySpan FromInstants(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone)
    {
        var first = NearestDate(Time.Zones.ToLocal(start, zone));
        var last = NearestDate(Time.Zones.ToLocal(end, zone));
        return new AllDaySpan(first, last > first ? last : first.AddDays(1));
    }

    private static DateOnly NearestDate(DateTime local) =>
        DateOnly.FromDateTime(local.TimeOfDay >= TimeSpan.FromHours(12) ? local.Date.AddDays(1) : local.Date);

    public override DateTimeOffset StartIn(TimeZoneInfo zone) => Time.Zones.MidnightIn(StartDate, zone);
    public override DateTimeOffset EndIn(TimeZoneInfo zone) => Time.Zones.MidnightIn(EndDate, zone);

    public override string ContentText => ToString();

    public override string ToString() => $"{StartDate:yyyy-MM-dd}..{EndDate:yyyy-MM-dd} (all day)";
}
