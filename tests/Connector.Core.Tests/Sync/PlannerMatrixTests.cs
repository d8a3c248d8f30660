using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Links;
using Connector.Core.Settings;
using Connector.Core.Sync;
using static Connector.Core.Tests.Sync.PlanFixtures;

namespace Connector.Core.Tests.Sync;

/// <summary>
/// Every combination of (CRM side x Exchange side) for a linked calendar event, for each conflict policy,
/// organizer or attendee copy, user or group owner. The expectation tables below are the specification: read a
/// row as "CRM was X, Exchange was Y: the connector does Z". In these tables the Exchange change (11:00) is always
/// newer than the CRM change (10:00), so NewestWins sides with Exchange; the reverse order is tested separately.
/// </summary>
public class PlannerMatrixTests
{
    public enum S { Unknown, Unchanged, Changed, Deleted }

    // crm, exchange, NewestWins, CrmWins, ExchangeWins — organizer's copy, owner is a user.
    private static readonly (S Crm, S Exchange, string Newest, string CrmWins, string ExchangeWins)[] OwnerTable =
    [
        (S.Unknown, S.Unknown, "Skip", "Skip", "Skip"),
        (S.Unknown, S.Unchanged, "Skip", "Skip", "Skip"),
        (S.Unknown, S.Changed, "Update>Crm", "Update>Crm", "Update>Crm"),
        (S.Unknown, S.Deleted, "Delete>Crm, Unlink", "Delete>Crm, Unlink", "Delete>Crm, Unlink"),
        (S.Unchanged, S.Unknown, "Skip", "Skip", "Skip"),
        (S.Unchanged, S.Unchanged, "Skip", "Skip", "Skip"),
        (S.Unchanged, S.Changed, "Update>Crm", "Update>Crm", "Update>Crm"),
        (S.Unchanged, S.Deleted, "Delete>Crm, Unlink", "Delete>Crm, Unlink", "Delete>Crm, Unlink"),
        (S.Changed, S.Unknown, "Update>Exchange", "Update>Exchange", "Update>Exchange"),
        (S.Changed, S.Unchanged, "Update>Exchange", "Update>Exchange", "Update>Exchange"),
        (S.Changed, S.Changed, "Conflict(Exchange), Update>Crm", "Conflict(Crm), Update>Exchange", "Conflict(Exchange), Update>Crm"),
        // CRM changed at 10:00, Exchange deleted at 11:00: the newer deletion wins under NewestWins.
        (S.Changed, S.Deleted, "Conflict(Exchange), Delete>Crm, Unlink", "Conflict(Crm), Unlink, Create>Exchange", "Conflict(Exchange), Delete>Crm, Unlink"),
        (S.Deleted, S.Unknown, "Delete>Exchange, Unlink", "Delete>Exchange, Unlink", "Delete>Exchange, Unlink"),
        (S.Deleted, S.Unchanged, "Delete>Exchange, Unlink", "Delete>Exchange, Unlink", "Delete>Exchange, Unlink"),
        // CRM deleted at 10:00, Exchange changed at 11:00: the newer change wins and the event comes back in the CRM.
        (S.Deleted, S.Changed, "Conflict(Exchange), Unlink, Create>Crm", "Conflict(Crm), Delete>Exchange, Unlink", "Conflict(Exchange), Unlink, Create>Crm"),
        (S.Deleted, S.Deleted, "Unlink", "Unlink", "Unlink"),
    ];

    // Attendee copy (the mailbox user is invited, the organizer is not a synced mailbox): CRM changes are never
    // pushed; Exchange changes bring the organizer's updates in; a removed copy only drops the link. Same for every policy.
    private static readonly (S Crm, S Exchange, string Expected)[] AttendeeTable =
    [
        (S.Unknown, S.Unknown, "Skip"),
        (S.Unknown, S.Unchanged, "Skip"),
        (S.Unknown, S.Changed, "Update>Crm"),
        (S.Unknown, S.Deleted, "Unlink"),
        (S.Unchanged, S.Unknown, "Skip"),
        (S.Unchanged, S.Unchanged, "Skip"),
        (S.Unchanged, S.Changed, "Update>Crm"),
        (S.Unchanged, S.Deleted, "Unlink"),
        (S.Changed, S.Unknown, "Skip"),
        (S.Changed, S.Unchanged, "Skip"),
        (S.Changed, S.Changed, "Conflict(Exchange), Update>Crm"),
        (S.Changed, S.Deleted, "Unlink"),
        (S.Deleted, S.Unknown, "Unlink"),
        (S.Deleted, S.Unchanged, "Unlink"),
        (S.Deleted, S.Changed, "Unlink"),
        (S.Deleted, S.Deleted, "Unlink"),
    ];

    // Group owner: a member deleting their own copy never deletes the group's record (or anyone else's copy).
    // Every other cell is as for a user owner.
    private static readonly (S Crm, S Exchange, string Expected)[] GroupOverrides =
    [
        (S.Unknown, S.Deleted, "Unlink"),
        (S.Unchanged, S.Deleted, "Unlink"),
        (S.Changed, S.Deleted, "Unlink"),
    ];

    public static TheoryData<S, S, CopyRole, bool, ConflictPolicy, string> AllCombinations()
    {
        var data = new TheoryData<S, S, CopyRole, bool, ConflictPolicy, string>();
        foreach (var row in OwnerTable)
        foreach (var role in new[] { CopyRole.Owner, CopyRole.Attendee })
        foreach (var group in new[] { false, true })
        foreach (var policy in Enum.GetValues<ConflictPolicy>())
        {
            string expected;
            if (role == CopyRole.Attendee)
                expected = AttendeeTable.Single(r => r.Crm == row.Crm && r.Exchange == row.Exchange).Expected;
            else if (group && GroupOverrides.Any(r => r.Crm == row.Crm && r.Exchange == row.Exchange))
                expected = GroupOverrides.Single(r => r.Crm == row.Crm && r.Exchange == row.Exchange).Expected;
            else
                expected = policy switch
                {
                    ConflictPolicy.CrmWins => row.CrmWins,
                    ConflictPolicy.ExchangeWins => row.ExchangeWins,
                    _ => row.Newest,
                };
            data.Add(row.Crm, row.Exchange, role, group, policy, expected);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void Linked_event_plan_follows_the_table(S crm, S exchange, CopyRole role, bool groupOwner, ConflictPolicy policy, string expected)
    {
        var synced = Meeting();
        // An attendee copy's record is owned by someone else: by nobody synced, or by a group whose synced member is Bob.
        var owners = (role, groupOwner) switch
        {
            (CopyRole.Attendee, false) => Array.Empty<string>(),
            (CopyRole.Attendee, true) => [Bob],
            (_, true) => [Alice, Bob],
            _ => [Alice],
        };
        var copies = new List<MailboxCopy<CalendarEvent>>
        {
            new(Alice, LinkFor(synced, Alice, role), null, Observe(exchange, synced, "Exchange edit", ExchangeTime), role),
        };
        if (groupOwner) copies.Add(new(Bob, LinkFor(synced, Bob) with { Exchange = new("AAMk-bob") }, null, Observation<CalendarEvent>.Unknown));
        var input = new RecordInput<CalendarEvent>(RecordKind.Event, EventKey, Observe(crm, synced, "CRM edit", CrmTime),
            owners, copies, groupOwner);

        var plan = SyncPlanner.Plan(input, new SyncPolicy(policy, FeatureSet.All, Now));

        var forAlice = plan.Where(a => a.Mailbox == Alice).ToList();
        Assert.Equal(expected, Show(forAlice));
        // Bob's untouched copy gets a plain skip unless the CRM record itself was deleted or changed.
        if (groupOwner)
        {
            var forBob = Show(plan.Where(a => a.Mailbox == Bob));
            var bobExpected = crm switch
            {
                S.Deleted => "Delete>Exchange, Unlink",
                S.Changed => "Update>Exchange",
                _ => "Skip",
            };
            Assert.Equal(bobExpected, forBob);
        }
    }

    [Theory]
    [InlineData(ConflictPolicy.NewestWins, S.Changed, S.Changed, "Conflict(Crm), Update>Exchange")]
    [InlineData(ConflictPolicy.NewestWins, S.Changed, S.Deleted, "Conflict(Crm), Unlink, Create>Exchange")]
    [InlineData(ConflictPolicy.NewestWins, S.Deleted, S.Changed, "Conflict(Crm), Delete>Exchange, Unlink")]
    public void Newest_wins_sides_with_the_CRM_when_its_change_is_newer(ConflictPolicy policy, S crm, S exchange, string expected)
    {
        var synced = Meeting();
        var input = new RecordInput<CalendarEvent>(RecordKind.Event, EventKey, Observe(crm, synced, "CRM edit", ExchangeTime.AddMinutes(5)),
            [Alice], [new(Alice, LinkFor(synced), null, Observe(exchange, synced, "Exchange edit", ExchangeTime))]);

        Assert.Equal(expected, Show(SyncPlanner.Plan(input, new SyncPolicy(policy, FeatureSet.All, Now))));
    }

    [Fact]
    public void Without_change_times_a_change_beats_a_deletion_and_the_CRM_wins_a_tie()
    {
        var synced = Meeting();
        var policy = SyncPolicy.Default(Now);
        var deletedWithoutTime = new RecordInput<CalendarEvent>(RecordKind.Event, EventKey, Observation<CalendarEvent>.Deleted(),
            [Alice], [new(Alice, LinkFor(synced), null, Observation<CalendarEvent>.Present(synced with { Subject = "moved" }))]);
        Assert.Equal("Conflict(Exchange), Unlink, Create>Crm", Show(SyncPlanner.Plan(deletedWithoutTime, policy)));

        var tie = new RecordInput<CalendarEvent>(RecordKind.Event, EventKey, Observation<CalendarEvent>.Present(synced with { Subject = "a" }, Now),
            [Alice], [new(Alice, LinkFor(synced), null, Observation<CalendarEvent>.Present(synced with { Subject = "b" }, Now))]);
        Assert.Equal("Conflict(Crm), Update>Exchange", Show(SyncPlanner.Plan(tie, policy)));
    }

    public enum U { None, New, Deleted }

    /// <summary>No link yet: a record on one side, perhaps its counterpart found by stamp on the other.</summary>
    [Theory]
    [InlineData(U.None, U.New, CopyRole.Owner, "Create>Crm")]
    [InlineData(U.New, U.None, CopyRole.Owner, "Create>Exchange")]
    [InlineData(U.New, U.New, CopyRole.Owner, "Link")]
    // The CRM record has no link: a deleted item that only carried its stamp was never confirmed as its copy.
    [InlineData(U.New, U.Deleted, CopyRole.Owner, "Create>Exchange")]
    [InlineData(U.Deleted, U.New, CopyRole.Owner, "Delete>Exchange")] // created, link lost in a crash, then deleted in the CRM
    [InlineData(U.Deleted, U.None, CopyRole.Owner, "")] // nothing anywhere: an empty plan
    [InlineData(U.None, U.Deleted, CopyRole.Owner, "Skip")]
    [InlineData(U.Deleted, U.Deleted, CopyRole.Owner, "Skip")]
    [InlineData(U.None, U.New, CopyRole.Attendee, "Create>Crm")]       // an invitation from outside the CRM
    [InlineData(U.New, U.None, CopyRole.Attendee, "Skip")]             // the CRM never creates attendee copies
    [InlineData(U.New, U.New, CopyRole.Attendee, "Link")]
    [InlineData(U.Deleted, U.New, CopyRole.Attendee, "Skip")]
    public void Unlinked_event_plan_follows_the_table(U crm, U exchange, CopyRole role, string expected)
    {
        var meeting = Meeting();
        var crmState = crm switch
        {
            U.New => Observation<CalendarEvent>.Present(meeting, CrmTime),
            U.Deleted => Observation<CalendarEvent>.Deleted(CrmTime),
            _ => Observation<CalendarEvent>.Unknown,
        };
        var exchangeState = exchange switch
        {
            U.New => Observation<CalendarEvent>.Present(meeting with { }, ExchangeTime),
            U.Deleted => Observation<CalendarEvent>.Deleted(ExchangeTime),
            _ => Observation<CalendarEvent>.Unknown,
        };
        var copies = exchange == U.None ? [] : new List<MailboxCopy<CalendarEvent>>
            { new(Alice, null, ItemKey, exchangeState, role, crm == U.None ? null : MatchedBy.Stamp) };
        var input = new RecordInput<CalendarEvent>(RecordKind.Event, crm == U.None ? null : EventKey, crmState,
            role == CopyRole.Owner && crm == U.New ? [Alice] : [], role == CopyRole.Attendee && exchange == U.None
                ? [new(Alice, null, null, Observation<CalendarEvent>.Unknown, CopyRole.Attendee)] : copies);

        Assert.Equal(expected, Show(SyncPlanner.Plan(input, SyncPolicy.Default(Now))));
    }

    private static Observation<CalendarEvent> Observe(S state, CalendarEvent synced, string editedSubject, DateTimeOffset at) => state switch
    {
        S.Unknown => Observation<CalendarEvent>.Unknown,
        // Unchanged content read back with a fresh timestamp: our own write seen again (echo) must be a no-op.
        S.Unchanged => Observation<CalendarEvent>.Present(synced with { }, at),
        S.Changed => Observation<CalendarEvent>.Present(synced with { Subject = editedSubject }, at),
        _ => Observation<CalendarEvent>.Deleted(at),
    };
}
