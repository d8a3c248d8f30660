using Connector.Core.Calendar;
using Connector.Core.Recurrence;
using Connector.Core.Recurrence.Materialised;
using Connector.Core.Time;

namespace Connector.Vtenext.Recurrence;

/// <summary>
/// One row of <c>vte_recurringevents</c>: vtenext keeps one per occurrence date, each repeating the series' rule
/// (<c>recurringtype</c>, <c>recurringfreq</c>, <c>recurringinfo</c>). There is no end-date column: the last
/// row's date is the series' "until".
/// </summary>
public sealed record RecurringEventRow(long ActivityId, DateOnly RecurringDate, string RecurringType, int RecurringFreq, string RecurringInfo);

/// <summary>
/// What vtenext should hold for a model series: the occurrence records (<c>recurr_idx</c> = index, sharing the
/// series' <c>ical_uuid</c>), the <c>vte_recurringevents</c> rule rows (one per pattern date), and the
/// value of each record's <c>recurringtype</c> field. A pattern vtenext cannot express still becomes occurrence
/// records, with no rule rows and <see cref="UnsupportedReason"/> saying why.
/// </summary>
public sealed record VtenextSeries(
    RecurrenceRule Series,
    IReadOnlyList<MaterialisedOccurrence> Occurrences,
    CrmRepeatRule? Rule,
    string? UnsupportedReason)
{
    /// <summary>The activity's <c>recurringtype</c> picklist value (<c>''</c>, Daily, Weekly, Monthly, Yearly).</summary>
    public string RecurringType => Rule?.Type ?? "";

    /// <summary>
    /// The rule rows for the series' anchor record <paramref name="activityId"/>: one per pattern date up to the
    /// rule's until, deleted occurrences included (as vtenext's own repeat does), so the last row keeps the end.
    /// </summary>
    public IReadOnlyList<RecurringEventRow> Rows(long activityId) => Rule is not { } rule
        ? []
        : RecurrenceExpander.PatternDates(Series).TakeWhile(d => d <= rule.Until)
            .Select(d => new RecurringEventRow(activityId, d, rule.Type, rule.Frequency, rule.Info)).ToList();
}

/// <summary>
/// A vtenext series (occurrence records + <c>vte_recurringevents</c> rows) ⇄ the core model. Series without end and
/// numbered series have no vtenext form: they are written up to the horizon or their last occurrence, and read back
/// as end-date series (the engine keeps the Exchange rule and extends the records as time passes).
/// </summary>
public static class VtenextSeriesMapping
{
    /// <summary>The records and rule rows vtenext should hold for <paramref name="series"/> up to <paramref name="horizon"/>.</summary>
    public static VtenextSeries FromSeries(CalendarEvent series, DateOnly horizon)
    {
        var rule = series.Recurrence ?? throw new ArgumentException("The event is not a series.", nameof(series));
        var occurrences = MaterialisedSeries.Occurrences(series, horizon);
        var conversion = CrmRepeatRule.From(rule, horizon);
        return new VtenextSeries(rule, occurrences, conversion.Rule, conversion.UnsupportedReason);
    }

    /// <summary>
    /// The model series of vtenext records sharing one <c>ical_uuid</c> with their rule rows; null when there are no
    /// rule rows (records that only share a uid, e.g. from a pattern vtenext cannot express, stay single events).
    /// The series' time is the one most records still on their pattern date have, its details the lowest such record's; records that
    /// differ are exceptions, pattern dates no record holds are deleted occurrences.
    /// </summary>
    /// <param name="materialisedUntil">The horizon the records were written up to: pattern dates after it that no
    /// record holds are not materialised yet, not deleted.</param>
    /// <param name="materialisedFrom">The date the records were kept from: pattern dates before it are not deleted either.</param>
    public static CalendarEvent? ToSeries(IReadOnlyList<RecurringEventRow> rows, IReadOnlyList<SeriesRecord> records,
        string timeZone, DateOnly materialisedUntil, DayOfWeek firstDayOfWeek = DayOfWeek.Monday, DateOnly? materialisedFrom = null)
    {
        if (rows.Count == 0 || records.Count == 0) return null;
        var ordered = rows.OrderBy(r => r.RecurringDate).ToList();
        var first = ordered[0];
        var crmRule = new CrmRepeatRule(first.RecurringType, first.RecurringFreq, first.RecurringInfo, ordered[^1].RecurringDate);
        var zone = Zones.Get(timeZone);
        // The series' time of day is what most records still on their pattern date have (vtenext keeps no master;
        // the first record may itself be a moved occurrence); of those, the lowest index gives the details.
        var plain = crmRule.ToRule(first.RecurringDate, timeZone, firstDayOfWeek);
        var dates = RecurrenceExpander.PatternDates(plain).Take(records.Max(r => r.Index) + 1).ToList();
        var onTheirDate = records.Where(r => r.Index < dates.Count && StartDate(r.Event.Span, zone) == dates[r.Index]).ToList();
        var anchor = onTheirDate.GroupBy(r => Shape(r.Event.Span, zone))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(r => r.Index))
            .Select(g => g.OrderBy(r => r.Index).ThenBy(r => r.CrmId).First())
            .FirstOrDefault() ?? records.OrderBy(r => r.Index).ThenBy(r => r.CrmId).First();
        var master = anchor.Event with { Recurrence = null, Span = OnDate(anchor.Event.Span, first.RecurringDate, zone) };
        var series = MaterialisedSeries.ToSeries(crmRule, master, timeZone, records, firstDayOfWeek);
        var rule = series.Recurrence!;
        return series with
        {
            Recurrence = new RecurrenceRule(rule.Pattern, rule.Range, rule.TimeZone, rule.Modified, rule.Deleted.Where(d => d <= materialisedUntil && (materialisedFrom is not { } from || d >= from))),
        };
    }

    private static EventSpan OnDate(EventSpan span, DateOnly date, TimeZoneInfo zone) => span switch
    {
        AllDaySpan a => new AllDaySpan(date, date.AddDays(a.Days)),
        TimedSpan t => RecurrenceExpander.SpanOn(date, t, zone),
        _ => throw new ArgumentOutOfRangeException(nameof(span)),
    };

    private static string Shape(EventSpan span, TimeZoneInfo zone) => span switch
    {
        AllDaySpan a => $"all-day {a.Days}",
        TimedSpan t => $"{Zones.ToLocal(t.Start, zone):HH:mm} {t.Duration}",
        _ => "",
    };

    private static DateOnly StartDate(EventSpan span, TimeZoneInfo zone) =>
        span is AllDaySpan a ? a.StartDate : Zones.DateIn(((TimedSpan)span).Start, zone);
}
