using Connector.Core.Calendar;
using Connector.Core.Sync;
using Connector.Core.Time;

namespace Connector.Core.Recurrence.Materialised;

/// <summary>One CRM record of a materialised series: its id, its occurrence index and what it holds.</summary>
public sealed record SeriesRecord(long CrmId, int Index, CalendarEvent Event);

/// <summary>One occurrence as the CRM should hold it: a plain event (no recurrence) with the series' details.</summary>
public sealed record MaterialisedOccurrence(int Index, DateOnly OriginalDate, CalendarEvent Event);

/// <summary>What to do with the CRM records of a series so they match the model (records keep their ids).</summary>
public sealed record SeriesRecordPlan(
    IReadOnlyList<MaterialisedOccurrence> Create,
    IReadOnlyList<(long CrmId, MaterialisedOccurrence Occurrence)> Update,
    IReadOnlyList<SeriesRecord> Delete,
    IReadOnlyList<SeriesRecord> Unchanged);

/// <summary>
/// Maps a series stored as one CRM record per occurrence (sharing a series uid, numbered by index) to the model
/// and back. Records are matched by index, so a whole-series edit updates them in place (their CRM links and
/// history stay), an exception touches only its record, and nothing is created twice.
/// </summary>
public static class MaterialisedSeries
{
    /// <summary>
    /// The occurrences of <paramref name="master"/> (a series) up to <paramref name="horizon"/> as the events the
    /// CRM records should hold: the master's details, each occurrence's time, an exception's own details.
    /// </summary>
    public static IReadOnlyList<MaterialisedOccurrence> Occurrences(CalendarEvent master, DateOnly horizon)
    {
        var rule = master.Recurrence ?? throw new ArgumentException("The event is not a series.", nameof(master));
        return RecurrenceExpander.Expand(rule, master.Span, horizon)
            .Select(o => new MaterialisedOccurrence(o.Index, o.OriginalDate, master with
            {
                Recurrence = null,
                Span = o.Span,
                Subject = o.Modification?.Subject ?? master.Subject,
                Location = o.Modification?.Location ?? master.Location,
                Description = o.Modification?.Description ?? master.Description,
            }))
            .ToList();
    }

    /// <summary>
    /// The model series for CRM records. <paramref name="first"/> is the series as planned (the rule's first
    /// occurrence: its time and details). Indexes the pattern yields but no record holds are deleted occurrences;
    /// records whose time, subject, location or description differ from the series' are modified occurrences.
    /// </summary>
    public static CalendarEvent ToSeries(CrmRepeatRule crmRule, CalendarEvent first, string timeZone,
        IReadOnlyList<SeriesRecord> records, DayOfWeek firstDayOfWeek = DayOfWeek.Monday)
    {
        var zone = Zones.Get(timeZone);
        var firstDate = first.Span is AllDaySpan a ? a.StartDate : Zones.DateIn(((TimedSpan)first.Span).Start, zone);
        var plain = crmRule.ToRule(firstDate, timeZone, firstDayOfWeek);
        var byIndex = records.GroupBy(r => r.Index).ToDictionary(g => g.Key, g => g.OrderBy(r => r.CrmId).First());
        var modified = new List<ModifiedOccurrence>();
        var deleted = new List<DateOnly>();
        var index = 0;
        foreach (var date in RecurrenceExpander.PatternDates(plain))
        {
            if (!byIndex.TryGetValue(index++, out var record)) { deleted.Add(date); continue; }
            var e = record.Event;
            var expectedSpan = RecurrenceExpander.SpanOn(date, first.Span, zone);
            if (e.Span.ContentText != expectedSpan.ContentText || Differs(e.Subject, first.Subject)
                || Differs(e.Location, first.Location) || Differs(e.Description, first.Description))
                modified.Add(new ModifiedOccurrence(date, e.Span,
                    Differs(e.Subject, first.Subject) ? e.Subject : null,
                    Differs(e.Location, first.Location) ? e.Location : null,
                    Differs(e.Description, first.Description) ? e.Description : null));
        }
        return first with { Recurrence = new RecurrenceRule(plain.Pattern, plain.Range, timeZone, modified, deleted) };
    }

    /// <summary>
    /// Which records to create, update or delete so the CRM holds <paramref name="desired"/> (see
    /// <see cref="Occurrences"/>). Records past <paramref name="horizon"/> are left alone unless the series now ends
    /// before them; a record whose index the series no longer yields (deleted occurrence, shorter series) is
    /// deleted; of two records for one index the older (lower id) stays.
    /// </summary>
    public static SeriesRecordPlan Reconcile(RecurrenceRule rule, IReadOnlyList<MaterialisedOccurrence> desired,
        IReadOnlyList<SeriesRecord> existing, DateOnly horizon)
    {
        var wanted = desired.ToDictionary(o => o.Index);
        var patternIndexes = RecurrenceExpander.PatternDates(rule).TakeWhile(d => d <= horizon).Count();
        // A finite series yields a known number of occurrences; indexes past it no longer exist.
        int? total = rule.Range.Type == RangeType.NoEnd ? null : RecurrenceExpander.PatternDates(rule).Count();
        var update = new List<(long, MaterialisedOccurrence)>();
        var delete = new List<SeriesRecord>();
        var unchanged = new List<SeriesRecord>();
        var held = new HashSet<int>();

        foreach (var record in existing.OrderBy(r => r.Index).ThenBy(r => r.CrmId))
        {
            if (!held.Add(record.Index)) { delete.Add(record); continue; }
            if (wanted.TryGetValue(record.Index, out var occurrence))
            {
                if (Fingerprint.Of(record.Event) == Fingerprint.Of(occurrence.Event)) unchanged.Add(record);
                else update.Add((record.CrmId, occurrence));
            }
            else if (record.Index < patternIndexes || record.Index >= total) delete.Add(record);
            else unchanged.Add(record); // beyond the horizon: not ours to judge yet
        }
        var create = desired.Where(o => !held.Contains(o.Index)).ToList();
        return new SeriesRecordPlan(create, update, delete, unchanged);
    }

    private static bool Differs(string? a, string? b) =>
        !string.Equals(Normalise(a), Normalise(b), StringComparison.Ordinal);

    private static string? Normalise(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Replace("\r\n", "\n").Trim();
}
