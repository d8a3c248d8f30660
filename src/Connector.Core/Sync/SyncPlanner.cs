using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Links;
using Connector.Core.Settings;

namespace Connector.Core.Sync;

/// <summary>
/// Decides what to do with one record: pure, no I/O. The rules (DESIGN.md §3, §4):
/// <list type="bullet">
/// <item>No echo: a side whose fingerprint equals the one stored in the link has not changed.</item>
/// <item>No duplicates: a record and an item without link are paired when the caller found them by stamp,
/// iCalUId or subject+start+end (<see cref="MatchedBy"/>); a pair is linked, never created twice.</item>
/// <item>No mass deletes: only an explicit delete signal deletes; a side that was not seen is unknown.</item>
/// <item>Conflicts (both changed): <see cref="ConflictPolicy"/>; NewestWins compares change times, a tie or a
/// missing time goes to the CRM. Deletion against change: CrmWins/ExchangeWins let that side's action win;
/// NewestWins lets the deletion win only when it is known to be newer than the change, otherwise the changed record
/// is re-created where it was deleted (nothing is lost).</item>
/// <item>Attendee copies (mailbox user is not the organizer) never receive CRM changes; their changes bring the
/// organizer's updates, or only the response when the organizer's own mailbox is synced.</item>
/// <item>Contacts go one way: Exchange never creates, changes or deletes a CRM contact; the next CRM change
/// overwrites (or re-creates) the Exchange copy.</item>
/// <item>Ownership: a record lives in its owner mailboxes; a copy in a mailbox that is no longer an owner is
/// deleted there (reassignment). A group member deleting their copy does not delete the group's record. A copy in
/// a disabled user's mailbox is never touched.</item>
/// <item>Invitations are sent only for an organizer's meeting that is not over, outside initial sync, and not for
/// group-owned copies.</item>
/// </list>
/// </summary>
public static class SyncPlanner
{
    private enum Change { None, New, Unchanged, Changed, Deleted }

    public static IReadOnlyList<SyncAction> Plan<T>(RecordInput<T> input, SyncPolicy policy) where T : class, ISyncEntity
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        if (input.Crm is null && input.CrmState.Kind == ObservationKind.Present)
            throw new ArgumentException("A present CRM record needs its key.", nameof(input));
        if (input.Crm is not null && input.Crm.Kind != input.Kind)
            throw new ArgumentException("The CRM key's kind differs from the record kind.", nameof(input));

        if (!FeatureOn(input.Kind, policy.Features))
            return [new SyncAction(ActionKind.Skip, Side.Exchange, "", input.Crm, null, SyncReason.FeatureOff)];

        var actions = new List<SyncAction>();
        var owners = input.OwnerMailboxes.Select(Normalise).ToHashSet(StringComparer.Ordinal);
        var crmPresent = input.CrmState.Kind == ObservationKind.Present;
        var reassigned = false;

        foreach (var copy in input.Copies)
        {
            if (!copy.MailboxEnabled)
            {
                actions.Add(new(ActionKind.Skip, Side.Exchange, copy.Mailbox, input.Crm, copy.Key, SyncReason.MailboxDisabled));
                continue;
            }
            var movedAway = crmPresent && copy.Role == CopyRole.Owner && copy.Link is not null
                && !owners.Contains(Normalise(copy.Mailbox));
            if (movedAway)
            {
                reassigned = true;
                if (copy.State.Kind != ObservationKind.Deleted && copy.Key is { } key)
                    actions.Add(new(ActionKind.Delete, Side.Exchange, copy.Mailbox, input.Crm, key, SyncReason.Reassigned));
                actions.Add(new(ActionKind.Unlink, Side.Exchange, copy.Mailbox, input.Crm, copy.Key, SyncReason.Reassigned));
                continue;
            }
            actions.AddRange(PlanCopy(input, copy, policy));
        }

        if (crmPresent)
        {
            var held = input.Copies.Select(c => Normalise(c.Mailbox)).ToHashSet(StringComparer.Ordinal);
            foreach (var mailbox in input.OwnerMailboxes.Where(m => !held.Contains(Normalise(m))))
            {
                var fresh = new MailboxCopy<T>(mailbox, null, null, Observation<T>.Unknown);
                foreach (var action in PlanCopy(input, fresh, policy))
                    actions.Add(reassigned && action is { Kind: ActionKind.Create, Reason: SyncReason.NewInCrm }
                        ? action with { Reason = SyncReason.Reassigned }
                        : action);
            }
        }

        return actions;
    }

    private static IEnumerable<SyncAction> PlanCopy<T>(RecordInput<T> input, MailboxCopy<T> copy, SyncPolicy policy)
        where T : class, ISyncEntity
    {
        var link = copy.Link;
        if (link is null && input.CrmState.Kind == ObservationKind.Present && copy.State.Kind == ObservationKind.Present
            && copy.MatchedBy is null)
            throw new ArgumentException($"Mailbox {copy.Mailbox}: both sides are present without a link; say how they were matched.", nameof(input));
        // A match without the CRM record read would either duplicate it (create) or overwrite it blind (update).
        if (link is null && input.Crm is not null && input.CrmState.Kind == ObservationKind.Unknown && copy.State.Kind == ObservationKind.Present)
            throw new ArgumentException($"Mailbox {copy.Mailbox}: read CRM record {input.Crm} before planning its match with an unlinked item.", nameof(input));

        var crm = Classify(input.CrmState, link?.CrmFingerprint);
        var exchange = Classify(copy.State, link?.ExchangeFingerprint);
        var plan = new CopyPlan<T>(input, copy, policy);

        return input.Kind == RecordKind.Contact
            ? PlanContact(plan, crm, exchange)
            : link is null ? PlanUnlinked(plan, crm, exchange) : PlanLinked(plan, crm, exchange);
    }

    private static IEnumerable<SyncAction> PlanContact<T>(CopyPlan<T> p, Change crm, Change exchange) where T : class, ISyncEntity
    {
        switch (crm)
        {
            case Change.Deleted:
                if (p.Key is null) return [p.Skip(SyncReason.Unchanged)];
                return exchange == Change.Deleted
                    ? [p.Unlink(SyncReason.DeletedOnBothSides)]
                    : [p.Delete(Side.Exchange, SyncReason.DeletedInCrm), p.Unlink(SyncReason.DeletedInCrm)];
            case Change.New:
                return exchange == Change.New ? p.LinkThenAlign(winner: Side.Crm) : [p.Create(Side.Exchange, SyncReason.NewInCrm)];
            case Change.Changed:
                return exchange == Change.Deleted
                    ? [p.Unlink(SyncReason.DeletedInExchange), p.Create(Side.Exchange, SyncReason.ChangedInCrm)]
                    : [p.Update(Side.Exchange, SyncReason.ChangedInCrm)];
        }
        return exchange switch
        {
            Change.New or Change.Changed => [p.Skip(SyncReason.ContactsAreOneWay)],
            Change.Deleted when p.Link is not null => [p.Unlink(SyncReason.ContactsAreOneWay)],
            _ => [p.Skip(p.QuietReason(crm, exchange))],
        };
    }

    private static IEnumerable<SyncAction> PlanUnlinked<T>(CopyPlan<T> p, Change crm, Change exchange) where T : class, ISyncEntity
    {
        return (crm, exchange) switch
        {
            (Change.New, Change.New) => p.LinkThenAlign(p.Winner()),
            (Change.New, _) => p.IsAttendeeCopy
                ? [p.Skip(SyncReason.AttendeeCopyIsReadOnly)]
                : [p.Create(Side.Exchange, SyncReason.NewInCrm)],
            (Change.None, Change.New) => [p.Create(Side.Crm, SyncReason.NewInExchange)],
            // Created on one side, its link never stored (crash), then deleted on the same side: finish the delete.
            (Change.Deleted, Change.New) when !p.IsAttendeeCopy && p.Input.Crm is not null =>
                [p.Delete(Side.Exchange, SyncReason.DeletedInCrm)],
            // Deleted before it was ever linked, or nothing known on either side: nothing to carry over.
            _ => [p.Skip(SyncReason.Unchanged)],
        };
    }

    private static IEnumerable<SyncAction> PlanLinked<T>(CopyPlan<T> p, Change crm, Change exchange) where T : class, ISyncEntity
    {
        var crmQuiet = crm is Change.None or Change.Unchanged;
        var exchangeQuiet = exchange is Change.None or Change.Unchanged;

        if (crmQuiet && exchangeQuiet) return [p.Skip(p.QuietReason(crm, exchange))];
        if (crm == Change.Changed && exchangeQuiet) return [p.PushCrmChange(SyncReason.ChangedInCrm)];
        if (crmQuiet && exchange == Change.Changed) return [p.PullExchangeChange(SyncReason.ChangedInExchange)];
        if (crm == Change.Deleted && exchange == Change.Deleted) return [p.Unlink(SyncReason.DeletedOnBothSides)];
        if (crm == Change.Deleted && exchangeQuiet) return p.CrmDeleted();
        if (crmQuiet && exchange == Change.Deleted) return p.ExchangeDeleted();

        if (crm == Change.Changed && exchange == Change.Changed)
        {
            if (p.SameContent) return [p.LinkBoth(SyncReason.SameContentOnBothSides)];
            var winner = p.Winner();
            var reason = p.IsAttendeeCopy ? SyncReason.AttendeeCopyIsReadOnly : ConflictReasons.Of(p.Policy.Conflicts);
            return [p.Conflict(winner, reason), winner == Side.Crm ? p.PushCrmChange(reason) : p.PullExchangeChange(reason)];
        }

        // One side deleted, the other changed.
        var deletedSide = crm == Change.Deleted ? Side.Crm : Side.Exchange;
        if (p.IsAttendeeCopy)
            return deletedSide == Side.Crm ? [p.Unlink(SyncReason.AttendeeCopyIsReadOnly)] : [p.Unlink(SyncReason.DeletedInExchange)];
        if (deletedSide == Side.Exchange && p.Input.OwnerIsGroup) return [p.Unlink(SyncReason.GroupCopyRemoved)];

        if (p.DeletionWins(deletedSide))
        {
            return deletedSide == Side.Crm
                ? [p.Conflict(Side.Crm, SyncReason.DeletionBeatsChange), p.Delete(Side.Exchange, SyncReason.DeletionBeatsChange), p.Unlink(SyncReason.DeletionBeatsChange)]
                : [p.Conflict(Side.Exchange, SyncReason.DeletionBeatsChange), p.Delete(Side.Crm, SyncReason.DeletionBeatsChange), p.Unlink(SyncReason.DeletionBeatsChange)];
        }
        return deletedSide == Side.Crm
            ? [p.Conflict(Side.Exchange, SyncReason.ChangeBeatsDeletion), p.Unlink(SyncReason.ChangeBeatsDeletion), p.Create(Side.Crm, SyncReason.ChangeBeatsDeletion)]
            : [p.Conflict(Side.Crm, SyncReason.ChangeBeatsDeletion), p.Unlink(SyncReason.ChangeBeatsDeletion), p.Create(Side.Exchange, SyncReason.ChangeBeatsDeletion)];
    }

    private static Change Classify<T>(Observation<T> observation, Fingerprint? stored) where T : class, ISyncEntity =>
        observation.Kind switch
        {
            ObservationKind.Deleted => Change.Deleted,
            ObservationKind.Present when stored is null => Change.New,
            ObservationKind.Present => Fingerprint.Of(observation.Entity!) == stored ? Change.Unchanged : Change.Changed,
            _ => Change.None,
        };

    private static bool FeatureOn(RecordKind kind, FeatureSet features) => kind switch
    {
        RecordKind.Event => features.Calendar,
        RecordKind.Task => features.Tasks,
        _ => features.Contacts,
    };

    internal static string Normalise(string mailbox) => mailbox.Trim().ToLowerInvariant();

    /// <summary>The per-copy helpers: build actions with the right keys, content and invitation flag.</summary>
    private sealed class CopyPlan<T>(RecordInput<T> input, MailboxCopy<T> copy, SyncPolicy policy) where T : class, ISyncEntity
    {
        public RecordInput<T> Input => input;
        public SyncPolicy Policy => policy;
        public SyncLink? Link => copy.Link;
        public ExchangeKey? Key => copy.Key;
        public bool IsAttendeeCopy => copy.Role == CopyRole.Attendee;

        public bool SameContent =>
            input.CrmState.Entity is { } c && copy.State.Entity is { } e && Fingerprint.Of(c) == Fingerprint.Of(e);

        private SyncAction Action(ActionKind kind, Side side, SyncReason reason, ISyncEntity? content = null, bool invite = false) =>
            new(kind, side, copy.Mailbox, input.Crm, Key, reason, content, invite);

        public SyncAction Skip(SyncReason reason) => Action(ActionKind.Skip, Side.Exchange, reason);
        public SyncAction Unlink(SyncReason reason) => Action(ActionKind.Unlink, Side.Exchange, reason);
        public SyncAction LinkBoth(SyncReason reason) => Action(ActionKind.Link, Side.Exchange, reason);
        public SyncAction Conflict(Side winner, SyncReason reason) => Action(ActionKind.Conflict, winner, reason);
        public SyncAction Delete(Side side, SyncReason reason) => Action(ActionKind.Delete, side, reason);

        public SyncAction Create(Side side, SyncReason reason) => side == Side.Exchange
            ? RefusalFor(input.CrmState.Entity) ?? Action(ActionKind.Create, Side.Exchange, reason, input.CrmState.Entity, Invitations(input.CrmState.Entity))
            : Action(ActionKind.Create, Side.Crm, reason, copy.State.Entity);

        public SyncAction Update(Side side, SyncReason reason) => side == Side.Exchange
            ? RefusalFor(input.CrmState.Entity) ?? Action(ActionKind.Update, Side.Exchange, reason, input.CrmState.Entity, Invitations(input.CrmState.Entity))
            : Action(ActionKind.Update, Side.Crm, reason, copy.State.Entity);

        /// <summary>A series whose moved occurrence crosses a neighbour cannot be written to Exchange: say so once.</summary>
        private SyncAction? RefusalFor(ISyncEntity? entity)
        {
            if (entity is not CalendarEvent { Recurrence: { } rule } e) return null;
            foreach (var moved in rule.Modified)
            {
                var check = Recurrence.OccurrenceMove.Check(rule, e.Span, moved.OriginalDate, moved.Span);
                if (!check.Allowed)
                    return new(ActionKind.Refuse, Side.Exchange, copy.Mailbox, input.Crm, Key, SyncReason.OccurrenceCrossesNeighbour, entity, Detail: check.Problem);
            }
            return null;
        }

        public SyncAction PushCrmChange(SyncReason reason) =>
            IsAttendeeCopy ? Skip(SyncReason.AttendeeCopyIsReadOnly) : Update(Side.Exchange, reason);

        public SyncAction PullExchangeChange(SyncReason reason) =>
            IsAttendeeCopy && copy.OrganizerMailboxIsSynced
                ? Action(ActionKind.RecordResponse, Side.Crm, SyncReason.AttendeeResponse, copy.State.Entity)
                : Update(Side.Crm, reason);

        public IEnumerable<SyncAction> CrmDeleted() => IsAttendeeCopy
            ? [Unlink(SyncReason.AttendeeCopyIsReadOnly)]
            : [Delete(Side.Exchange, SyncReason.DeletedInCrm), Unlink(SyncReason.DeletedInCrm)];

        public IEnumerable<SyncAction> ExchangeDeleted() =>
            IsAttendeeCopy ? [Unlink(SyncReason.DeletedInExchange)]
            : input.OwnerIsGroup ? [Unlink(SyncReason.GroupCopyRemoved)]
            : [Delete(Side.Crm, SyncReason.DeletedInExchange), Unlink(SyncReason.DeletedInExchange)];

        /// <summary>Pair two records found without a link; if their content differs, the winner's is written over the other.</summary>
        public IEnumerable<SyncAction> LinkThenAlign(Side winner)
        {
            var reason = copy.MatchedBy switch
            {
                MatchedBy.Stamp => SyncReason.MatchedByStamp,
                MatchedBy.ICalUId => SyncReason.MatchedByICalUId,
                _ => SyncReason.MatchedBySubjectAndTime,
            };
            yield return Action(ActionKind.Link, Side.Exchange, reason);
            if (SameContent) yield break;
            if (input.Kind == RecordKind.Contact || winner == Side.Crm) yield return PushCrmChange(reason);
            else yield return PullExchangeChange(reason);
        }

        /// <summary>Who wins when both sides changed (attendee copies: always Exchange, the organizer's side).</summary>
        public Side Winner()
        {
            if (IsAttendeeCopy) return Side.Exchange;
            return policy.Conflicts switch
            {
                ConflictPolicy.CrmWins => Side.Crm,
                ConflictPolicy.ExchangeWins => Side.Exchange,
                _ => copy.State.At is { } e && input.CrmState.At is { } c && e > c ? Side.Exchange : Side.Crm,
            };
        }

        public bool DeletionWins(Side deletedSide)
        {
            var deleted = deletedSide == Side.Crm ? input.CrmState : copy.State;
            var changed = deletedSide == Side.Crm ? copy.State : input.CrmState;
            return policy.Conflicts switch
            {
                ConflictPolicy.CrmWins => deletedSide == Side.Crm,
                ConflictPolicy.ExchangeWins => deletedSide == Side.Exchange,
                _ => deleted.At is { } d && changed.At is { } c && d > c,
            };
        }

        public SyncReason QuietReason(Change crm, Change exchange) =>
            Link is not null && (crm == Change.None || exchange == Change.None) ? SyncReason.NoDeleteSignal : SyncReason.Unchanged;

        private bool Invitations(ISyncEntity? entity) =>
            entity is CalendarEvent e && e.IsMeeting && !IsAttendeeCopy && !input.OwnerIsGroup && !policy.InitialSync
            && !History.IsOver(e, policy.Now);
    }
}
