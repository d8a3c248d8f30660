namespace Connector.Core.Scheduling;

/// <summary>
/// A standard five-field cron expression (minute hour day-of-month month day-of-week), as admins write them
/// for the error-check and user-initialisation schedules. Supports lists, ranges, steps, month and day names and
/// the @hourly/@daily/@weekly/@monthly/@yearly macros. As in Vixie cron, when both day fields are restricted a
/// day matches if either does.
/// </summary>
/// <remarks>No five-field cron library is served here (Quartz's dialect has seconds and '?'), hence this small parser.</remarks>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes, _hours, _daysOfMonth, _months, _daysOfWeek;
    private readonly bool _dayOfMonthRestricted, _dayOfWeekRestricted;

    public string Expression { get; }

    private CronSchedule(string expression, string[] fields)
    {
        Expression = expression;
        _minutes = ParseField(fields[0], 0, 59, null, "minute");
        _hours = ParseField(fields[1], 0, 23, null, "hour");
        _daysOfMonth = ParseField(fields[2], 1, 31, null, "day of month");
        _months = ParseField(fields[3], 1, 12, MonthNames, "month");
        var dow = ParseField(fields[4], 0, 7, DayNames, "day of week");
        dow[0] |= dow[7]; // 7 is Sunday too
        _daysOfWeek = dow[..7];
        _dayOfMonthRestricted = fields[2] != "*";
        _dayOfWeekRestricted = fields[4] != "*";
    }

    public static CronSchedule Parse(string expression)
    {
        if (!TryParse(expression, out var schedule, out var error)) throw new FormatException(error);
        return schedule!;
    }

    public static bool TryParse(string? expression, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "A cron expression is required, e.g. \"*/15 * * * *\".";
            return false;
        }
        var text = expression.Trim() switch
        {
            "@hourly" => "0 * * * *",
            "@daily" or "@midnight" => "0 0 * * *",
            "@weekly" => "0 0 * * 0",
            "@monthly" => "0 0 1 * *",
            "@yearly" or "@annually" => "0 0 1 1 *",
            var other => other,
        };
        var fields = text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"\"{expression}\" has {fields.Length} fields; a cron expression has five: minute hour day-of-month month day-of-week.";
            return false;
        }
        try
        {
            schedule = new CronSchedule(expression.Trim(), fields);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            error = $"\"{expression}\": {e.Message}";
            return false;
        }
    }

    /// <summary>The first minute strictly after <paramref name="after"/> that the schedule fires, in the same offset.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var t = new DateTimeOffset(after.Year, after.Month, after.Day, after.Hour, after.Minute, 0, after.Offset).AddMinutes(1);
        var limit = t.AddYears(5); // e.g. "0 0 30 2 *" never fires
        while (t < limit)
        {
            if (!_months[t.Month]) { t = new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, t.Offset).AddMonths(1); continue; }
            if (!DayMatches(t)) { t = new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, t.Offset).AddDays(1); continue; }
            if (!_hours[t.Hour]) { t = new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, t.Offset).AddHours(1); continue; }
            if (!_minutes[t.Minute]) { t = t.AddMinutes(1); continue; }
            return t;
        }
        return null;
    }

    private bool DayMatches(DateTimeOffset t)
    {
        var dom = _daysOfMonth[t.Day];
        var dow = _daysOfWeek[(int)t.DayOfWeek];
        if (_dayOfMonthRestricted && _dayOfWeekRestricted) return dom || dow;
        return dom && dow;
    }

    private static bool[] ParseField(string field, int min, int max, string[]? names, string what)
    {
        var set = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var (range, step) = SplitStep(part, what);
            int from, to;
            if (range == "*") (from, to) = (min, max);
            else if (range.Contains('-'))
            {
                var bounds = range.Split('-');
                if (bounds.Length != 2) throw new FormatException($"bad {what} range \"{range}\".");
                (from, to) = (Value(bounds[0], min, max, names, what), Value(bounds[1], min, max, names, what));
                if (from > to) throw new FormatException($"{what} range \"{range}\" runs backwards.");
            }
            else
            {
                from = Value(range, min, max, names, what);
                to = step > 1 ? max : from;
            }
            for (var v = from; v <= to; v += step) set[v] = true;
        }
        return set;
    }

    private static (string Range, int Step) SplitStep(string part, string what)
    {
        var slash = part.IndexOf('/');
        if (slash < 0) return (part, 1);
        if (!int.TryParse(part[(slash + 1)..], out var step) || step < 1)
            throw new FormatException($"bad {what} step in \"{part}\".");
        return (part[..slash], step);
    }

    private static int Value(string token, int min, int max, string[]? names, string what)
    {
        if (names is not null)
        {
            var index = Array.IndexOf(names, token.ToUpperInvariant());
            if (index >= 0) return index + (names.Length == 12 ? 1 : 0);
        }
        if (!int.TryParse(token, out var value) || value < min || value > max)
            throw new FormatException($"{what} \"{token}\" is not between {min} and {max}.");
        return value;
    }

    public override string ToString() => Expression;
}
