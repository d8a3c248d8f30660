using Connector.Core.Calendar;
using Connector.Core.Time;

namespace Connector.Core.Recurrence.Materialised;

/// <summary>One CRM record of a materialised series: its id, its occurrence index and when it happens.</summary>
public sealed record SeriesRecord(long CrmId, int Index, EventSpan Span);

/// <summary>What to do with the CRM records of a series so they match the model (records keep their ids).</summary>
public sealed record SeriesRecordPlan(
    IReadOnlyList<Occurrence> Create,
    IReadOnlyList<(long CrmId, Occurrence Occurrence)> Update,
    IReadOnlyList<SeriesRecord> Delete,
    IReadOnlyList<SeriesRecord> Unchanged);

/// <summary>
/// Maps a series stored as one CRM record per occurrence (sharing a series uid, numbered by index) to the model
/// and back. Records are matched by index, so a whole-series edit updates them in place (their CRM links and
/// history stay) and creates no duplicates.
/// </summary>
public static class MaterialisedSeries
{
    /// <summary>
    /// The model series for CRM records: indexes the pattern yields but no record holds are deleted occurrences;
    /// records whose time differs from the pattern's are modified occurrences. <paramref name="firstSpan"/> is the
    /// series' planned first occurrence (the rule's start date and times).
    /// </summary>
    public static RecurrenceRule ToRule(CrmRepeatRule crmRule, EventSpan firstSpan, string timeZone,
        IReadOnlyList<SeriesRecord> records, DayOfWeek firstDayOfWeek = DayOfWeek.Monday)
    {
        var zone = Zones.Get(timeZone);
        var firstDate = firstSpan is AllDaySpan a ? a.StartDate : Zones.DateIn(((TimedSpan)firstSpan).Start, zone);
        var plain = crmRule.ToRule(firstDate, timeZone, firstDayOfWeek);
        var byIndex = records.GroupBy(r => r.Index).ToDictionary(g => g.Key, g => g.First());
        var modified = new List<ModifiedOccurrence>();
        var deleted = new List<DateOnly>();
        var index = 0;
        foreach (var date in RecurrenceExpander.PatternDates(plain))
        {
            if (!byIndex.TryGetValue(index, out var record)) deleted.Add(date);
            else if (!SameTime(record.Span, RecurrenceExpander.SpanOn(date, firstSpan, zone))) modified.Add(new(date, record.Span));
            index++;
        }
        return new RecurrenceRule(plain.Pattern, plain.Range, timeZone, modified, deleted);
    }

    /// <summary>
    /// Which records to create, update or delete so the CRM holds <paramref name="desired"/> (an expansion up to the
    /// horizon). Records past <paramref name="horizon"/> are left alone unless the series now ends before them; a
    /// record whose index the series no longer yields (deleted occurrence, shorter series) is deleted.
    /// </summary>
    public static SeriesRecordPlan Reconcile(RecurrenceRule rule, IReadOnlyList<Occurrence> desired,
        IReadOnlyList<SeriesRecord> existing, DateOnly horizon)
    {
        var wanted = desired.ToDictionary(o => o.Index);
        var patternIndexes = RecurrenceExpander.PatternDates(rule).TakeWhile(d => d <= horizon).Count();
        // A finite series yields a known number of occurrences; indexes past it no longer exist.
        int? total = rule.Range.Type == RangeType.NoEnd ? null : RecurrenceExpander.PatternDates(rule).Count();
        var create = new List<Occurrence>();
        var update = new List<(long, Occurrence)>();
        var delete = new List<SeriesRecord>();
        var unchanged = new List<SeriesRecord>();
        var held = new HashSet<int>();

        foreach (var record in existing.OrderBy(r => r.Index).ThenBy(r => r.CrmId))
        {
            if (!held.Add(record.Index)) { delete.Add(record); continue; } // a duplicate index: keep the oldest record
            if (wanted.TryGetValue(record.Index, out var occurrence))
            {
                if (SameTime(record.Span, occurrence.Span)) unchanged.Add(record);
                else update.Add((record.CrmId, occurrence));
            }
            else if (record.Index < patternIndexes || record.Index >= total) delete.Add(record);
            else unchanged.Add(record); // beyond the horizon: not ours to judge yet
        }
        create.AddRange(desired.Where(o => !held.Contains(o.Index)));
        return new SeriesRecordPlan(create, update, delete, unchanged);
    }

    private static bool SameTime(EventSpan a, EventSpan b) => a.ContentText == b.ContentText;
}
