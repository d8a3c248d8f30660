using Connector.Core.Calendar;
using Connector.Core.Sync;

namespace Connector.Core.Recurrence;

/// <summary>
/// What changed between two versions of a series, in the terms Exchange writes: the master ("edit all": its
/// details, pattern, range or zone), occurrences newly deleted, occurrences newly modified (or modified again),
/// occurrences returned to the series' values, and deleted occurrences brought back (Exchange cannot undelete an
/// occurrence: the series has to be rewritten).
/// </summary>
public sealed record SeriesChanges(
    bool MasterChanged,
    IReadOnlyList<DateOnly> Deleted,
    IReadOnlyList<ModifiedOccurrence> Modified,
    IReadOnlyList<DateOnly> Reverted,
    IReadOnlyList<DateOnly> Undeleted)
{
    public bool None => !MasterChanged && Deleted.Count == 0 && Modified.Count == 0 && Reverted.Count == 0 && Undeleted.Count == 0;

    public static SeriesChanges Between(CalendarEvent before, CalendarEvent after)
    {
        var was = before.Recurrence ?? throw new ArgumentException("Not a series.", nameof(before));
        var now = after.Recurrence ?? throw new ArgumentException("Not a series.", nameof(after));

        var masterChanged = Fingerprint.Of(WithoutExceptions(before)) != Fingerprint.Of(WithoutExceptions(after));
        var wasModified = was.Modified.ToDictionary(m => m.OriginalDate);
        var nowModified = now.Modified.ToDictionary(m => m.OriginalDate);

        return new SeriesChanges(
            masterChanged,
            now.Deleted.Except(was.Deleted).ToList(),
            now.Modified.Where(m => !wasModified.TryGetValue(m.OriginalDate, out var old) || !Same(old, m)).ToList(),
            was.Modified.Select(m => m.OriginalDate).Where(d => !nowModified.ContainsKey(d) && !now.Deleted.Contains(d)).ToList(),
            was.Deleted.Except(now.Deleted).Where(d => !nowModified.ContainsKey(d)).ToList());
    }

    private static CalendarEvent WithoutExceptions(CalendarEvent e) =>
        e with { Recurrence = new RecurrenceRule(e.Recurrence!.Pattern, e.Recurrence.Range, e.Recurrence.TimeZone) };

    private static bool Same(ModifiedOccurrence a, ModifiedOccurrence b) =>
        a.Span.ContentText == b.Span.ContentText && a.Subject == b.Subject && a.Location == b.Location && a.Description == b.Description;
}
