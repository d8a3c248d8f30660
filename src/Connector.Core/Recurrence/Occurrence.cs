using Connector.Core.Calendar;

namespace Connector.Core.Recurrence;

/// <summary>
/// One occurrence of a series. <see cref="Index"/> is its position in the pattern, counting from 0 and counting
/// deleted occurrences too, so it stays the same when a neighbour is deleted (it is the CRM's per-record index).
/// </summary>
public sealed record Occurrence(int Index, DateOnly OriginalDate, EventSpan Span, ModifiedOccurrence? Modification = null)
{
    public bool IsModified => Modification is not null;
}
