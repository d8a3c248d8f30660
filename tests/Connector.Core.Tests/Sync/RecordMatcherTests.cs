using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Sync;

namespace Connector.Core.Tests.Sync;

public class RecordMatcherTests
{
    private static readonly EventSpan Nine = EventSpan.Timed(new DateTimeOffset(2026, 5, 4, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero), "Europe/Rome");
    private static readonly EventSpan Ten = EventSpan.Timed(new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero), "Europe/Rome");
    private static CrmKey E(long id) => new(RecordKind.Event, id);

    private static readonly MatchCandidate[] Candidates =
    [
        new(E(1), "uid-a", "Review", Nine),
        new(E(2), "uid-b", "Planning", Ten),
        new(E(3), null, "Standup", Nine),
    ];

    [Theory]
    [InlineData(2L, "uid-a", "Review", 2L, MatchedBy.Stamp)]              // the stamp beats everything
    [InlineData(99L, "uid-b", "Other", 2L, MatchedBy.ICalUId)]            // a stamp of an unknown record is ignored
    [InlineData(null, null, "  standup ", 3L, MatchedBy.SubjectAndTime)]  // case and spacing do not matter
    [InlineData(null, "uid-unknown", "Review", 1L, MatchedBy.SubjectAndTime)]
    public void Finds_by_stamp_then_iCalUId_then_subject_and_time(long? stamp, string? uid, string subject, long expected, MatchedBy how)
    {
        var result = RecordMatcher.Find(RecordKind.Event, stamp, uid, subject, Nine, Candidates);
        Assert.Equal((E(expected), how), (result.Crm, result.How));
    }

    [Fact]
    public void Same_subject_at_another_time_or_of_another_kind_is_not_a_match()
    {
        Assert.Equal(MatchResult.None, RecordMatcher.Find(RecordKind.Event, null, null, "Review", Ten, Candidates));
        Assert.Equal(MatchResult.None, RecordMatcher.Find(RecordKind.Task, 1, null, "Review", null, Candidates));
    }

    [Fact]
    public void Two_equal_candidates_are_reported_not_guessed()
    {
        var result = RecordMatcher.Find(RecordKind.Event, null, null, "Review", Nine, [.. Candidates, new(E(4), null, "review", Nine)]);
        Assert.Null(result.Crm);
        Assert.Contains("2 CRM records", result.Ambiguity);
    }

    [Fact]
    public void Tasks_match_by_subject_and_due_date()
    {
        var tasks = new[] { new MatchCandidate(new CrmKey(RecordKind.Task, 7), null, "Call back", null, new DateOnly(2026, 5, 4)) };
        Assert.Equal(7, RecordMatcher.Find(RecordKind.Task, null, null, "Call back", null, tasks, new DateOnly(2026, 5, 4)).Crm!.CrmId);
        Assert.Null(RecordMatcher.Find(RecordKind.Task, null, null, "Call back", null, tasks, new DateOnly(2026, 5, 5)).Crm);
    }
}
