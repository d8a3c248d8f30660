using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Links;
using Connector.Core.Mailboxes;
using Connector.Core.Recurrence;
using Connector.Core.Settings;
using Connector.Core.Sync;
using Connector.Core.Tasks;
using static Connector.Core.Tests.Sync.PlanFixtures;

namespace Connector.Core.Tests.Sync;

/// <summary>The planner's rules one at a time, as a user would describe them.</summary>
public class PlannerScenarioTests
{
    private static readonly SyncPolicy Policy = SyncPolicy.Default(Now);

    [Fact]
    public void A_new_CRM_meeting_is_created_in_the_owners_mailbox_and_invites_its_attendees()
    {
        var meeting = Meeting();
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(meeting, CrmTime), [Alice], []), Policy);

        var create = Assert.Single(plan);
        Assert.Equal((ActionKind.Create, Side.Exchange, Alice, SyncReason.NewInCrm), (create.Kind, create.Side, create.Mailbox, create.Reason));
        Assert.Same(meeting, create.Content);
        Assert.True(create.SendInvitations);
    }

    [Theory]
    [InlineData(-3, false, false)] // over: pushing history must not mail anyone
    [InlineData(7, true, false)]   // initial sync: never invites, even for future meetings
    [InlineData(7, false, true)]
    public void Invitations_are_sent_only_for_future_meetings_outside_initial_sync(int daysFromNow, bool initialSync, bool invites)
    {
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(Meeting(daysFromNow: daysFromNow)), [Alice], []), Policy with { InitialSync = initialSync });

        Assert.Equal(invites, Assert.Single(plan).SendInvitations);
    }

    [Fact]
    public void A_group_owned_record_reaches_every_members_mailbox_without_invitation_storms()
    {
        var owner = new Owner.Group(9, [1, 2, 3]);
        var mailboxes = owner.Mailboxes(id => id switch { 1 => new Mailbox(Alice, 1), 2 => new Mailbox("BOB@example.test", 2), _ => null });
        Assert.Equal([Alice, Bob], mailboxes.Select(m => m.Address));

        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(Meeting()), mailboxes.Select(m => m.Address).ToList(), [], OwnerIsGroup: true), Policy);

        Assert.Equal([(Alice, ActionKind.Create), (Bob, ActionKind.Create)], plan.Select(a => (a.Mailbox, a.Kind)));
        Assert.All(plan, a => Assert.False(a.SendInvitations));
    }

    [Fact]
    public void Reassignment_removes_the_item_from_the_old_mailbox_and_creates_it_in_the_new_one()
    {
        var synced = Meeting();
        var moved = synced with { Subject = synced.Subject }; // same content: only the owner changed
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(moved), [Bob],
            [new(Alice, LinkFor(synced, Alice), null, Observation<CalendarEvent>.Unknown)]), Policy);

        Assert.Equal("Delete>Exchange, Unlink, Create>Exchange", Show(plan));
        Assert.Equal([Alice, Alice, Bob], plan.Select(a => a.Mailbox));
        Assert.Equal(ItemKey, plan[0].Exchange);
        Assert.All(plan, a => Assert.Equal(SyncReason.Reassigned, a.Reason));
    }

    [Fact]
    public void Disabling_a_user_never_deletes_from_their_mailbox()
    {
        // Alice was disabled: her mailbox drops out of the owners (Owner.Mailboxes skips users without an enabled mailbox).
        var synced = Meeting();
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(synced with { Subject = "edited in the CRM" }), [],
            [new(Alice, LinkFor(synced), null, Observation<CalendarEvent>.Unknown, MailboxEnabled: false)]), Policy);

        Assert.Equal((ActionKind.Skip, SyncReason.MailboxDisabled), (plan.Single().Kind, plan.Single().Reason));
    }

    [Fact]
    public void A_match_for_an_unread_CRM_record_is_a_caller_error()
    {
        var input = new RecordInput<CalendarEvent>(RecordKind.Event, EventKey, Observation<CalendarEvent>.Unknown, [Alice],
            [new(Alice, null, ItemKey, Observation<CalendarEvent>.Present(Meeting()), MatchedBy: MatchedBy.ICalUId)]);
        Assert.Contains("read CRM record", Assert.Throws<ArgumentException>(() => SyncPlanner.Plan(input, Policy)).Message);
    }

    [Fact]
    public void Attendee_copies_are_not_moved_by_reassignment_nor_created_by_the_CRM()
    {
        var synced = Meeting();
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(synced with { Location = "Room 2" }), [Alice],
            [
                new(Alice, LinkFor(synced, Alice), null, Observation<CalendarEvent>.Unknown),
                new(Bob, LinkFor(synced, Bob, CopyRole.Attendee) with { Exchange = new("AAMk-bob") }, null,
                    Observation<CalendarEvent>.Unknown, CopyRole.Attendee, OrganizerMailboxIsSynced: true),
            ]), Policy);

        Assert.Equal("Update>Exchange, Skip", Show(plan));
        Assert.Equal((Bob, SyncReason.AttendeeCopyIsReadOnly), (plan[1].Mailbox, plan[1].Reason));
    }

    [Fact]
    public void An_attendees_copy_of_a_CRM_organisers_meeting_only_brings_the_response()
    {
        var synced = Meeting();
        var accepted = synced with { Attendees = ValueList.Of(new Attendee("ext@partner.test", response: AttendeeResponse.Accepted)) };
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Unknown, [Alice],
            [new(Bob, LinkFor(synced, Bob, CopyRole.Attendee), null, Observation<CalendarEvent>.Present(accepted), CopyRole.Attendee, OrganizerMailboxIsSynced: true)]),
            Policy);

        var response = Assert.Single(plan);
        Assert.Equal((ActionKind.RecordResponse, Side.Crm, SyncReason.AttendeeResponse), (response.Kind, response.Side, response.Reason));
        Assert.Same(accepted, response.Content);
    }

    [Fact]
    public void The_same_meeting_found_in_a_second_mailbox_by_iCalUId_is_linked_not_duplicated()
    {
        var meeting = Meeting();
        var bobsCopy = meeting with { Attendees = ValueList.Of(new Attendee("ext@partner.test"), new Attendee(Bob, kind: AttendeeKind.CrmUser, crmId: 2)) };
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(meeting), [Alice],
            [
                new(Alice, LinkFor(meeting), null, Observation<CalendarEvent>.Unknown),
                new(Bob, null, new ExchangeKey("AAMk-bob", "CK", "uid-1"), Observation<CalendarEvent>.Present(bobsCopy), CopyRole.Attendee, MatchedBy.ICalUId, OrganizerMailboxIsSynced: true),
            ]), Policy);

        Assert.Equal("Skip, Link, RecordResponse>Crm", Show(plan));
        Assert.Equal(SyncReason.MatchedByICalUId, plan[1].Reason);
        Assert.DoesNotContain(plan, a => a.Kind == ActionKind.Create);
    }

    [Theory]
    [InlineData(MatchedBy.Stamp, SyncReason.MatchedByStamp)]
    [InlineData(MatchedBy.SubjectAndTime, SyncReason.MatchedBySubjectAndTime)]
    public void A_CRM_record_whose_item_already_exists_is_linked_instead_of_created_again(MatchedBy how, SyncReason reason)
    {
        var meeting = Meeting();
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(meeting), [Alice],
            [new(Alice, null, ItemKey, Observation<CalendarEvent>.Present(meeting with { }), MatchedBy: how)]), Policy);

        var link = Assert.Single(plan);
        Assert.Equal((ActionKind.Link, reason, ItemKey), (link.Kind, link.Reason, link.Exchange));
    }

    [Fact]
    public void Linking_records_that_differ_writes_the_newer_content_over_the_older()
    {
        var crm = Meeting("CRM title");
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(crm, CrmTime), [Alice],
            [new(Alice, null, ItemKey, Observation<CalendarEvent>.Present(Meeting("Exchange title"), ExchangeTime), MatchedBy: MatchedBy.SubjectAndTime)]), Policy);

        Assert.Equal("Link, Update>Crm", Show(plan));
        Assert.Equal("Exchange title", ((CalendarEvent)plan[1].Content!).Subject);
    }

    [Fact]
    public void Both_present_without_link_or_match_is_a_caller_error_not_a_guess()
    {
        var input = new RecordInput<CalendarEvent>(RecordKind.Event, EventKey, Observation<CalendarEvent>.Present(Meeting()), [Alice],
            [new(Alice, null, ItemKey, Observation<CalendarEvent>.Present(Meeting()))]);
        var error = Assert.Throws<ArgumentException>(() => SyncPlanner.Plan(input, Policy));
        Assert.Contains("matched", error.Message);
    }

    [Fact]
    public void A_new_Exchange_item_without_CRM_record_is_created_in_the_CRM()
    {
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, null, Observation<CalendarEvent>.Unknown, [],
            [new(Alice, null, ItemKey, Observation<CalendarEvent>.Present(Meeting()))]), Policy);

        var create = Assert.Single(plan);
        Assert.Equal((ActionKind.Create, Side.Crm, SyncReason.NewInExchange), (create.Kind, create.Side, create.Reason));
    }

    [Fact]
    public void Reading_back_our_own_write_is_not_a_change()
    {
        // We wrote the CRM's version into Exchange; Exchange returns it with normalised whitespace and another order of attendees.
        var written = Meeting() with { Attendees = ValueList.Of(new Attendee("b@x.test"), new Attendee("a@x.test")) };
        var readBack = written with
        {
            Description = null,
            Location = " Room 1\r\n",
            Attendees = ValueList.Of(new Attendee("A@x.test"), new Attendee("b@x.test")),
        };
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(written), [Alice],
            [new(Alice, LinkFor(written), null, Observation<CalendarEvent>.Present(readBack, Now))]), Policy);

        Assert.Equal((ActionKind.Skip, SyncReason.Unchanged), (plan.Single().Kind, plan.Single().Reason));
    }

    [Fact]
    public void An_item_missing_from_a_read_is_never_deleted()
    {
        var synced = Meeting();
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey, Observation<CalendarEvent>.Unknown, [Alice],
            [new(Alice, LinkFor(synced), null, Observation<CalendarEvent>.Unknown)]), Policy);

        Assert.Equal((ActionKind.Skip, SyncReason.NoDeleteSignal), (plan.Single().Kind, plan.Single().Reason));
    }

    [Fact]
    public void A_turned_off_feature_plans_nothing()
    {
        var plan = SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(Meeting()), [Alice], []), Policy with { Features = new FeatureSet(Calendar: false) });

        Assert.Equal((ActionKind.Skip, SyncReason.FeatureOff), (plan.Single().Kind, plan.Single().Reason));
    }

    [Fact]
    public void Tasks_sync_both_ways_and_never_invite()
    {
        var task = new TaskItem { Subject = "Call back", DueDate = new DateOnly(2026, 6, 3), Priority = TaskPriority.High };
        var key = new CrmKey(RecordKind.Task, 77);
        var link = LinkFor(task) with { Crm = key };
        var done = task with { Status = TaskState.Completed, CompletedAt = Now };

        var pushed = SyncPlanner.Plan(new RecordInput<TaskItem>(RecordKind.Task, key, Observation<TaskItem>.Present(task), [Alice], []), Policy);
        var pulled = SyncPlanner.Plan(new RecordInput<TaskItem>(RecordKind.Task, key, Observation<TaskItem>.Unknown, [Alice],
            [new(Alice, link, null, Observation<TaskItem>.Present(done))]), Policy);

        Assert.Equal("Create>Exchange", Show(pushed));
        Assert.False(pushed[0].SendInvitations);
        Assert.Equal("Update>Crm", Show(pulled));
        Assert.Same(done, pulled[0].Content);
    }

    [Fact]
    public void A_CRM_occurrence_moved_past_its_neighbour_is_refused_once_with_a_reason_not_retried()
    {
        var rome = TimeSpan.FromHours(1);
        var first = EventSpan.Timed(new DateTimeOffset(2026, 3, 2, 9, 0, 0, rome), new DateTimeOffset(2026, 3, 2, 10, 0, 0, rome), "Europe/Rome");
        var rule = new RecurrenceRule(RecurrencePattern.Weekly(1, DaysOfWeek.Monday),
            RecurrenceRange.NoEnd(new DateOnly(2026, 3, 2)), "Europe/Rome");
        var series = Meeting() with { Span = first, Recurrence = rule };
        DateTimeOffset Tuesday(int day) => new(2026, 3, day, 9, 0, 0, rome);
        var movedOk = series with { Recurrence = rule.WithModified(new(new DateOnly(2026, 3, 9), EventSpan.Timed(Tuesday(10), Tuesday(10).AddHours(1), "Europe/Rome"))) };
        var movedTooFar = series with { Recurrence = rule.WithModified(new(new DateOnly(2026, 3, 9), EventSpan.Timed(Tuesday(17), Tuesday(17).AddHours(1), "Europe/Rome"))) };

        IReadOnlyList<SyncAction> Push(CalendarEvent edited) => SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, EventKey,
            Observation<CalendarEvent>.Present(edited), [Alice], [new(Alice, LinkFor(series), null, Observation<CalendarEvent>.Unknown)]), Policy);

        Assert.Equal("Update>Exchange", Show(Push(movedOk)));
        var refused = Assert.Single(Push(movedTooFar));
        Assert.Equal((ActionKind.Refuse, SyncReason.OccurrenceCrossesNeighbour), (refused.Kind, refused.Reason));
        Assert.Contains("2026-03-16", refused.Detail);
    }

    public enum C { None, New, Unknown, Unchanged, Changed, Deleted }

    /// <summary>Contacts one way: every CRM state x Exchange state.</summary>
    [Theory]
    [InlineData(C.New, C.None, "Create>Exchange")]
    [InlineData(C.None, C.New, "Skip")] // Exchange never creates CRM contacts
    [InlineData(C.Unchanged, C.Changed, "Skip")] // an Exchange edit stays until the next CRM change overwrites it
    [InlineData(C.Unknown, C.Changed, "Skip")]
    [InlineData(C.Changed, C.Changed, "Update>Exchange")] // no conflict: the CRM always wins
    [InlineData(C.Changed, C.Unchanged, "Update>Exchange")]
    [InlineData(C.Changed, C.Unknown, "Update>Exchange")]
    [InlineData(C.Unchanged, C.Deleted, "Unlink")] // Exchange never deletes CRM contacts
    [InlineData(C.Changed, C.Deleted, "Unlink, Create>Exchange")] // the next CRM change brings it back
    [InlineData(C.Deleted, C.Unchanged, "Delete>Exchange, Unlink")]
    [InlineData(C.Deleted, C.Changed, "Delete>Exchange, Unlink")]
    [InlineData(C.Deleted, C.Unknown, "Delete>Exchange, Unlink")]
    [InlineData(C.Deleted, C.Deleted, "Unlink")]
    [InlineData(C.Unchanged, C.Unchanged, "Skip")]
    [InlineData(C.Unknown, C.Unknown, "Skip")]
    public void Contacts_go_one_way(C crm, C exchange, string expected)
    {
        var contact = new Contact { FirstName = "Ada", LastName = "Lovelace", Emails = ValueList.Of("ada@example.test"), Company = "Engines Ltd" };
        var key = new CrmKey(RecordKind.Contact, 12);
        var linked = crm is not (C.New or C.None) && exchange is not (C.New or C.None);
        var link = linked ? LinkFor(contact) with { Crm = key } : null;
        Observation<Contact> Observe(C state, string edit) => state switch
        {
            C.New or C.Unchanged => Observation<Contact>.Present(contact with { }),
            C.Changed => Observation<Contact>.Present(contact with { JobTitle = edit }),
            C.Deleted => Observation<Contact>.Deleted(Now),
            _ => Observation<Contact>.Unknown,
        };
        var copies = exchange == C.None ? [] : new List<MailboxCopy<Contact>> { new(Alice, link, link is null ? ItemKey : null, Observe(exchange, "Exchange")) };
        var input = new RecordInput<Contact>(RecordKind.Contact, crm == C.None ? null : key, Observe(crm, "CRM"), crm == C.None ? [] : [Alice], copies);

        Assert.Equal(expected, Show(SyncPlanner.Plan(input, Policy with { Conflicts = ConflictPolicy.ExchangeWins })));
    }
}
