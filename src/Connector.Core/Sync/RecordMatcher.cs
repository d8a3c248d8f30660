using Connector.Core.Calendar;
using Connector.Core.Common;

namespace Connector.Core.Sync;

/// <summary>What is known of a CRM record when looking for the counterpart of an Exchange item that has no link.</summary>
public sealed record MatchCandidate(CrmKey Crm, string? ICalUId, string Subject, EventSpan? Span, DateOnly? DueDate = null);

/// <summary>The outcome of a search: the record and how it was found, or nothing (with a note when it was ambiguous).</summary>
public sealed record MatchResult(CrmKey? Crm, MatchedBy? How, string? Ambiguity = null)
{
    public static MatchResult None { get; } = new(null, null);
}

/// <summary>
/// Finds the CRM record an unlinked Exchange item belongs to, in the order DESIGN.md fixes: the CRM id stamped on
/// the item, then the iCalUId (the same meeting in another mailbox), then subject + start + end (an item created on
/// both sides before the first sync). The last is only trusted when exactly one record matches: two equal
/// candidates are reported, never guessed between.
/// </summary>
public static class RecordMatcher
{
    public static MatchResult Find(RecordKind kind, long? stampedCrmId, string? iCalUId, string subject, EventSpan? span,
        IReadOnlyCollection<MatchCandidate> candidates, DateOnly? dueDate = null)
    {
        var ofKind = candidates.Where(c => c.Crm.Kind == kind).ToList();
        if (stampedCrmId is { } id && ofKind.FirstOrDefault(c => c.Crm.CrmId == id) is { } stamped)
            return new(stamped.Crm, MatchedBy.Stamp);

        if (!string.IsNullOrWhiteSpace(iCalUId))
        {
            var byUid = ofKind.Where(c => string.Equals(c.ICalUId, iCalUId, StringComparison.Ordinal)).ToList();
            if (byUid.Count == 1) return new(byUid[0].Crm, MatchedBy.ICalUId);
            if (byUid.Count > 1)
                return new(null, null, $"{byUid.Count} CRM records share iCalUId {iCalUId}: {string.Join(", ", byUid.Select(c => c.Crm))}.");
        }

        var title = Normalise(subject);
        var bySubjectAndTime = ofKind.Where(c => Normalise(c.Subject) == title && SameTime(c, span, dueDate)).ToList();
        return bySubjectAndTime.Count switch
        {
            1 => new(bySubjectAndTime[0].Crm, MatchedBy.SubjectAndTime),
            0 => MatchResult.None,
            var n => new(null, null, $"{n} CRM records have the subject '{subject.Trim()}' at the same time: {string.Join(", ", bySubjectAndTime.Select(c => c.Crm))}."),
        };
    }

    private static bool SameTime(MatchCandidate c, EventSpan? span, DateOnly? dueDate) =>
        span is not null ? c.Span is not null && c.Span.ContentText == span.ContentText : c.DueDate == dueDate;

    private static string Normalise(string subject) => string.Join(' ', subject.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
