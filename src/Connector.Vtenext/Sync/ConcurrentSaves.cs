using Connector.Vtenext.Mapping;

namespace Connector.Vtenext.Sync;

/// <summary>
/// Whether vtenext's answer to a revise still holds what the connector wrote, in the fields a person edits and vtenext
/// keeps exactly (times to the minute, as it stores them). A difference means another save landed between the revise
/// and the read-back that answers it (vtenext's revise is a read, a merge and a write, with no lock).
/// </summary>
internal static class ConcurrentSaves
{
    public static bool Kept(CrmEvent written, CrmEvent answered) =>
        Same(written.Subject, answered.Subject) && Same(written.Location, answered.Location)
        && written.IsAllDay == answered.IsAllDay
        && (written.IsAllDay
            ? written.FirstDay == answered.FirstDay && written.LastDay == answered.LastDay
            : ToMinute(written.Start) == ToMinute(answered.Start) && ToMinute(written.End) == ToMinute(answered.End));

    public static bool Kept(CrmTask written, CrmTask answered) =>
        Same(written.Subject, answered.Subject) && Same(written.Status, answered.Status) && written.DueDate == answered.DueDate;

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);

    private static DateTimeOffset ToMinute(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
