using System.Security.Cryptography;
using System.Text;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Recurrence;
using Connector.Core.Recurrence.Materialised;
using Connector.Core.Sync;
using Connector.Sync.Ports;

namespace Connector.Sync.Engine.Series;

/// <summary>
/// What a series synchronises: subject, time, location, description, the rule and its exceptions. Attendees,
/// organiser, reminder, free/busy and sensitivity are left out of series comparisons: the CRM's occurrence records
/// are listed without their invitees, and an Exchange series' attendees belong to its master (the CRM never writes
/// them back). Both sides are compared through this projection, so neither rewrites the other over a field the other
/// does not carry.
/// </summary>
public static class SeriesContent
{
    public static CalendarEvent Project(CalendarEvent e) => e with
    {
        Organizer = null,
        Attendees = ValueList<Attendee>.Empty,
        ShowAs = ShowAs.Busy,
        Sensitivity = Sensitivity.Normal,
        ReminderMinutesBefore = null,
    };

    /// <summary>The Exchange series as last seen (master, rule, exceptions and deleted occurrences up to the read's date).</summary>
    public static Fingerprint OfExchange(ExchangeSeries series) => Fingerprint.Of(Project((CalendarEvent)series.Master.Entity));

    /// <summary>The CRM series as its records hold it: every record's index and content.</summary>
    public static Fingerprint OfCrm(CrmSeries series)
    {
        var text = new StringBuilder();
        foreach (var r in series.Records.OrderBy(r => r.Index).ThenBy(r => r.CrmId))
            text.Append(r.Index).Append(':').Append(r.CrmId).Append(':').Append(Fingerprint.Of(Project(r.Event)).Value).Append('\n');
        return new Fingerprint(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
    }

    /// <summary>
    /// Which CRM records to create, update or delete so they hold <paramref name="desired"/>, compared through the
    /// projection; the records then written carry the full occurrences (attendees included).
    /// </summary>
    public static SeriesRecordPlan Plan(RecurrenceRule rule, IReadOnlyList<MaterialisedOccurrence> desired, IReadOnlyList<SeriesRecord> existing, DateOnly horizon)
    {
        var full = desired.ToDictionary(o => o.Index);
        var plan = MaterialisedSeries.Reconcile(rule, desired.Select(o => o with { Event = Project(o.Event) }).ToList(),
            existing.Select(r => r with { Event = Project(r.Event) }).ToList(), horizon);
        var byId = existing.GroupBy(r => r.CrmId).ToDictionary(g => g.Key, g => g.First());
        return new SeriesRecordPlan(
            plan.Create.Select(o => full[o.Index]).ToList(),
            plan.Update.Select(u => (u.CrmId, full[u.Occurrence.Index])).ToList(),
            plan.Delete.Select(r => byId[r.CrmId]).ToList(),
            plan.Unchanged.Select(r => byId[r.CrmId]).ToList());
    }

    /// <summary>
    /// The Exchange series the CRM's series means: the CRM's subject, time, location, description, pattern and
    /// exceptions, on top of the Exchange master (its attendees, zone and the parts of its rule the CRM cannot say).
    /// A series the CRM holds "until the horizon" keeps Exchange's range (no end, or numbered); a pattern equal but for
    /// the first day of the week keeps Exchange's; exceptions outside the dates the CRM holds are Exchange's.
    /// </summary>
    public static CalendarEvent Target(CalendarEvent crm, CalendarEvent? exchange, DateOnly materialisedFrom, DateOnly materialisedUntil)
    {
        var c = crm.Recurrence!;
        bool Held(DateOnly d) => d >= materialisedFrom && d <= materialisedUntil;
        if (exchange?.Recurrence is not { } x)
            return crm with { Recurrence = new RecurrenceRule(c.Pattern, c.Range, c.TimeZone, c.Modified.Where(m => Held(m.OriginalDate)), c.Deleted.Where(Held)) };
        var pattern = SamePattern(c.Pattern, x.Pattern) ? x.Pattern : c.Pattern;
        var exchangeLast = RecurrenceExpander.PatternDates(x).TakeWhile(d => d <= materialisedUntil).Select(d => (DateOnly?)d).LastOrDefault();
        var range = c.Range.Type == RangeType.EndDate && c.Range.StartDate == x.Range.StartDate && c.Range.EndDate == exchangeLast
            ? x.Range
            : c.Range;
        var rule = new RecurrenceRule(pattern, range, x.TimeZone,
            c.Modified.Where(m => Held(m.OriginalDate)).Concat(x.Modified.Where(m => !Held(m.OriginalDate))),
            c.Deleted.Where(Held).Concat(x.Deleted.Where(d => !Held(d))));
        var span = crm.Span is TimedSpan t && exchange.Span is TimedSpan ex ? new TimedSpan(t.Start, t.End, ex.TimeZone) : crm.Span;
        return exchange with
        {
            Subject = crm.Subject,
            Location = crm.Location,
            Description = crm.Description,
            Span = span,
            Recurrence = rule,
        };
    }

    private static bool SamePattern(RecurrencePattern a, RecurrencePattern b) =>
        a.Type == b.Type && a.Interval == b.Interval && a.DaysOfWeek == b.DaysOfWeek && a.DayOfMonth == b.DayOfMonth
        && a.Month == b.Month && a.Index == b.Index && (a.Type != PatternType.Weekly || a.Interval == 1 || a.FirstDayOfWeek == b.FirstDayOfWeek);
}
