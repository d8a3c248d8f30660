using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Core.Recurrence;

/// <summary>
/// An occurrence whose time or details differ from the series. It is identified by the date (in the series'
/// zone) it would have had; null details mean "as the series".
/// </summary>
public sealed record ModifiedOccurrence(DateOnly OriginalDate, EventSpan Span, string? Subject = null,
    string? Location = null, string? Description = null);

/// <summary>
/// A series: pattern, range, the IANA zone whose wall clock the series keeps, and its exceptions. Occurrences are
/// identified by their original date in that zone (every pattern yields at most one occurrence a day).
/// </summary>
public sealed record RecurrenceRule
{
    public RecurrenceRule(RecurrencePattern pattern, RecurrenceRange range, string timeZone,
        IEnumerable<ModifiedOccurrence>? modified = null, IEnumerable<DateOnly>? deleted = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZone);
        Pattern = pattern;
        Range = range;
        TimeZone = timeZone;
        Modified = (modified ?? []).OrderBy(m => m.OriginalDate).ToValueList();
        Deleted = (deleted ?? []).Distinct().Order().ToValueList();
        if (Modified.Select(m => m.OriginalDate).Intersect(Deleted).Any())
            throw new ArgumentException("An occurrence cannot be both modified and deleted.", nameof(deleted));
    }

    public RecurrencePattern Pattern { get; }
    public RecurrenceRange Range { get; }
    public string TimeZone { get; }
    public ValueList<ModifiedOccurrence> Modified { get; }
    public ValueList<DateOnly> Deleted { get; }

    public RecurrenceRule WithModified(ModifiedOccurrence occurrence) =>
        new(Pattern, Range, TimeZone, Modified.Where(m => m.OriginalDate != occurrence.OriginalDate).Append(occurrence),
            Deleted.Where(d => d != occurrence.OriginalDate));

    public RecurrenceRule WithDeleted(DateOnly originalDate) =>
        new(Pattern, Range, TimeZone, Modified.Where(m => m.OriginalDate != originalDate), Deleted.Append(originalDate));

    internal void WriteContent(FingerprintWriter w)
    {
        w.Add("pattern", Pattern).Add("range", Range).Add("seriesZone", ZoneMeaning(TimeZone));
        foreach (var m in Modified) w.Add("modified", $"{m.OriginalDate:yyyy-MM-dd}|{m.Span.ContentText}|{m.Subject}|{m.Location}|{m.Description}");
        foreach (var d in Deleted) w.Add("deleted", d);
    }

    /// <summary>
    /// What a series zone means, for the fingerprint: Windows to IANA is many-to-one (Graph's "W. Europe Standard Time"
    /// reads back as Europe/Berlin for a series planned in Europe/Rome), so zones are compared by their Windows id,
    /// which names the rules; an id without one (custom zones) stands for itself.
    /// </summary>
    internal static string ZoneMeaning(string zone) =>
        TimeZoneInfo.TryConvertIanaIdToWindowsId(zone.Trim(), out var windows) ? windows
        : zone.Trim() is "UTC" or "Etc/UTC" or "Etc/GMT" ? "UTC"
        : zone.Trim();
}
