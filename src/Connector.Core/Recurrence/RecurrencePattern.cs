namespace Connector.Core.Recurrence;

/// <summary>The six recurrence patterns both Exchange APIs know.</summary>
public enum PatternType { Daily, Weekly, AbsoluteMonthly, RelativeMonthly, AbsoluteYearly, RelativeYearly }

/// <summary>Which week of the month a relative pattern means.</summary>
public enum WeekIndex { First, Second, Third, Fourth, Last }

/// <summary>A set of week days (a weekly pattern's days, or a relative pattern's candidate days).</summary>
[Flags]
public enum DaysOfWeek
{
    None = 0,
    Sunday = 1 << DayOfWeek.Sunday,
    Monday = 1 << DayOfWeek.Monday,
    Tuesday = 1 << DayOfWeek.Tuesday,
    Wednesday = 1 << DayOfWeek.Wednesday,
    Thursday = 1 << DayOfWeek.Thursday,
    Friday = 1 << DayOfWeek.Friday,
    Saturday = 1 << DayOfWeek.Saturday,
    Weekdays = Monday | Tuesday | Wednesday | Thursday | Friday,
    WeekendDays = Saturday | Sunday,
    EveryDay = Weekdays | WeekendDays,
}

public static class DaysOfWeekExtensions
{
    public static DaysOfWeek ToFlag(this DayOfWeek day) => (DaysOfWeek)(1 << (int)day);

    public static bool Contains(this DaysOfWeek days, DayOfWeek day) => (days & day.ToFlag()) != 0;

    public static IEnumerable<DayOfWeek> Days(this DaysOfWeek days) =>
        Enum.GetValues<DayOfWeek>().Where(d => days.Contains(d));

    public static DaysOfWeek ToDaysOfWeek(this IEnumerable<DayOfWeek> days) =>
        days.Aggregate(DaysOfWeek.None, (set, d) => set | d.ToFlag());
}

/// <summary>
/// How often a series repeats. Which fields matter depends on <see cref="Type"/>:
/// Daily: Interval. Weekly: Interval, DaysOfWeek, FirstDayOfWeek. AbsoluteMonthly: Interval, DayOfMonth.
/// RelativeMonthly: Interval, DaysOfWeek, Index. AbsoluteYearly: Interval, DayOfMonth, Month.
/// RelativeYearly: Interval, DaysOfWeek, Index, Month. Use the factory methods; they validate.
/// </summary>
public sealed record RecurrencePattern
{
    private RecurrencePattern(PatternType type, int interval, DaysOfWeek daysOfWeek, DayOfWeek firstDayOfWeek,
        WeekIndex index, int dayOfMonth, int month)
    {
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval is at least 1.");
        Type = type;
        Interval = interval;
        DaysOfWeek = daysOfWeek;
        FirstDayOfWeek = firstDayOfWeek;
        Index = index;
        DayOfMonth = dayOfMonth;
        Month = month;
    }

    public PatternType Type { get; }
    public int Interval { get; }
    public DaysOfWeek DaysOfWeek { get; }
    public DayOfWeek FirstDayOfWeek { get; }
    public WeekIndex Index { get; }
    public int DayOfMonth { get; }
    public int Month { get; }

    public static RecurrencePattern Daily(int interval = 1) =>
        new(PatternType.Daily, interval, DaysOfWeek.None, DayOfWeek.Sunday, WeekIndex.First, 0, 0);

    public static RecurrencePattern Weekly(int interval, DaysOfWeek days, DayOfWeek firstDayOfWeek = DayOfWeek.Sunday) =>
        new(PatternType.Weekly, interval, RequireDays(days), firstDayOfWeek, WeekIndex.First, 0, 0);

    public static RecurrencePattern AbsoluteMonthly(int interval, int dayOfMonth) =>
        new(PatternType.AbsoluteMonthly, interval, DaysOfWeek.None, DayOfWeek.Sunday, WeekIndex.First, RequireDay(dayOfMonth), 0);

    public static RecurrencePattern RelativeMonthly(int interval, DaysOfWeek days, WeekIndex index) =>
        new(PatternType.RelativeMonthly, interval, RequireDays(days), DayOfWeek.Sunday, index, 0, 0);

    public static RecurrencePattern AbsoluteYearly(int interval, int month, int dayOfMonth) =>
        new(PatternType.AbsoluteYearly, interval, DaysOfWeek.None, DayOfWeek.Sunday, WeekIndex.First, RequireDay(dayOfMonth), RequireMonth(month));

    public static RecurrencePattern RelativeYearly(int interval, int month, DaysOfWeek days, WeekIndex index) =>
        new(PatternType.RelativeYearly, interval, RequireDays(days), DayOfWeek.Sunday, index, 0, RequireMonth(month));

    private static DaysOfWeek RequireDays(DaysOfWeek days) =>
        days == DaysOfWeek.None || (days & ~DaysOfWeek.EveryDay) != 0
            ? throw new ArgumentOutOfRangeException(nameof(days), days, "At least one valid day of the week is needed.")
            : days;

    private static int RequireDay(int day) =>
        day is < 1 or > 31 ? throw new ArgumentOutOfRangeException(nameof(day), day, "The day of the month is 1 to 31.") : day;

    private static int RequireMonth(int month) =>
        month is < 1 or > 12 ? throw new ArgumentOutOfRangeException(nameof(month), month, "The month is 1 to 12.") : month;

    public override string ToString() => Type switch
    {
        PatternType.Daily => $"every {Interval} day(s)",
        PatternType.Weekly => $"every {Interval} week(s) on {DaysOfWeek} (weeks start {FirstDayOfWeek})",
        PatternType.AbsoluteMonthly => $"day {DayOfMonth} every {Interval} month(s)",
        PatternType.RelativeMonthly => $"{Index} {DaysOfWeek} every {Interval} month(s)",
        PatternType.AbsoluteYearly => $"{Month}/{DayOfMonth} every {Interval} year(s)",
        _ => $"{Index} {DaysOfWeek} of month {Month} every {Interval} year(s)",
    };
}
