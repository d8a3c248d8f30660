using System.Collections.Concurrent;

namespace Connector.Simulators.Mailboxes;

/// <summary>
/// All simulated mailboxes of one Exchange organisation, and the meeting logic that spans mailboxes: an organizer's
/// meeting gets a copy (same iCalUId) in each attendee mailbox that exists here; the organizer's updates and
/// cancellations reach those copies; attendee responses reach the organizer's attendee list. Both the Graph and
/// the EWS front ends call these methods, so a meeting behaves the same whichever protocol wrote it.
/// </summary>
public sealed class MailboxDirectory(TimeProvider? clock = null)
{
    private readonly ConcurrentDictionary<string, Mailbox> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    // Cross-mailbox operations take this lock so two organizers' updates cannot interleave on attendee copies.
    private readonly Lock _meetings = new();

    public event Action<Mailbox>? MailboxAdded;

    /// <summary>Adds a mailbox; returns the existing one when the address is taken (idempotent setup).</summary>
    public Mailbox Add(string address, string displayName, string password)
    {
        var added = false;
        var mailbox = _mailboxes.GetOrAdd(address, a => { added = true; return new Mailbox(a, displayName, password, _clock); });
        if (added) MailboxAdded?.Invoke(mailbox);
        return mailbox;
    }

    public Mailbox? Find(string address) => _mailboxes.GetValueOrDefault(address);

    public IReadOnlyList<Mailbox> All => _mailboxes.Values.OrderBy(m => m.Address, StringComparer.OrdinalIgnoreCase).ToList();

    // ---- meetings -------------------------------------------------------------------------------------------

    /// <summary>Creates an event in the owner's calendar as organizer and delivers invitations (unless
    /// <paramref name="deliver"/> is false: EWS <c>SendMeetingInvitations="SendToNone"</c> saves the meeting only).</summary>
    public CalendarItem CreateEvent(Mailbox owner, CalendarItem item, string? folderId = null, bool deliver = true)
    {
        lock (_meetings)
        {
            // A repeated transactionId is the same create: no second event, no second round of invitations.
            if (item.TransactionId is { } tx && owner.Folders(FolderKind.Calendar).SelectMany(f => owner.Items<CalendarItem>(f.Id))
                    .FirstOrDefault(i => i.TransactionId == tx) is { } existing)
                return existing;
            var created = owner.Create(folderId ?? owner.Calendar.Id, item with
            {
                ICalUId = string.IsNullOrEmpty(item.ICalUId) ? Ids.NewICalUId() : item.ICalUId,
                Organizer = owner.Email,
                MyResponse = ResponseKind.Organizer,
                Attendees = item.Attendees.Select(a => a with { Response = ResponseKind.None }).ToList(),
            });
            if (deliver) DeliverInvitations(created, []);
            return created;
        }
    }

    /// <summary>Updates an event. The organizer's changes reach every attendee copy (new attendees are invited,
    /// removed ones get a cancellation); an attendee may change only its own copy.</summary>
    public UpdateResult<CalendarItem> UpdateEvent(Mailbox owner, string itemId, Func<CalendarItem, CalendarItem> change, string? expectedChangeKey = null,
        bool deliver = true)
    {
        lock (_meetings)
        {
            var before = owner.Find<CalendarItem>(itemId);
            var result = owner.Update(itemId, change, expectedChangeKey);
            if (deliver && result is { Outcome: UpdateOutcome.Updated, Item: { IsOrganizer: true } updated } && before is not null)
                DeliverInvitations(updated, before.Attendees);
            return result;
        }
    }

    /// <summary>Deletes an event. An organizer's delete of a meeting cancels it for the attendees (as Exchange does).</summary>
    public bool DeleteEvent(Mailbox owner, string itemId)
    {
        lock (_meetings)
        {
            var item = owner.Find<CalendarItem>(itemId);
            if (item is null || !owner.Delete(itemId)) return false;
            if (item.IsOrganizer) CancelCopies(item, item.Attendees);
            return true;
        }
    }

    /// <summary>Organizer-only cancel: the organizer's item goes away, attendees' copies are marked cancelled.</summary>
    public CancelOutcome CancelEvent(Mailbox owner, string itemId)
    {
        lock (_meetings)
        {
            var item = owner.Find<CalendarItem>(itemId);
            if (item is null) return CancelOutcome.NotFound;
            if (!item.IsOrganizer) return CancelOutcome.NotOrganizer;
            owner.Delete(itemId);
            CancelCopies(item, item.Attendees);
            return CancelOutcome.Cancelled;
        }
    }

    /// <summary>An attendee answers; the organizer's attendee list records the answer.</summary>
    public UpdateResult<CalendarItem> Respond(Mailbox attendee, string itemId, ResponseKind response)
    {
        lock (_meetings)
        {
            var result = attendee.Update<CalendarItem>(itemId, i => i.IsOrganizer ? i : i with { MyResponse = response });
            if (result is not { Outcome: UpdateOutcome.Updated, Item: { } answered } || answered.IsOrganizer) return result;
            if (Find(answered.Organizer.Address) is { } organizer &&
                FindByICalUId(organizer, answered.ICalUId) is { IsOrganizer: true } original)
            {
                var now = _clock.GetUtcNow();
                organizer.Update<CalendarItem>(original.Id, o => o with
                {
                    Attendees = o.Attendees.Select(a => string.Equals(a.Email.Address, attendee.Address, StringComparison.OrdinalIgnoreCase)
                        ? a with { Response = response, ResponseTime = now } : a).ToList(),
                });
            }
            return result;
        }
    }

    public static CalendarItem? FindByICalUId(Mailbox mailbox, string iCalUId) =>
        mailbox.Folders(FolderKind.Calendar).SelectMany(f => mailbox.Items<CalendarItem>(f.Id)).FirstOrDefault(i => i.ICalUId == iCalUId);

    private void DeliverInvitations(CalendarItem meeting, IReadOnlyList<Attendee> previousAttendees)
    {
        foreach (var attendee in meeting.Attendees)
        {
            if (Find(attendee.Email.Address) is not { } target || target.Address.Equals(meeting.Organizer.Address, StringComparison.OrdinalIgnoreCase))
                continue;
            var copy = FindByICalUId(target, meeting.ICalUId);
            if (copy is null)
                target.Create(target.Calendar.Id, CopyFor(meeting, ResponseKind.NotResponded) with { Id = "" });
            else
                target.Update<CalendarItem>(copy.Id, c => CopyFor(meeting, c.MyResponse) with
                {
                    Id = c.Id, FolderId = c.FolderId, ExtendedProperties = c.ExtendedProperties, Categories = c.Categories,
                });
        }
        var removed = previousAttendees.Where(p => !meeting.Attendees.Any(a =>
            a.Email.Address.Equals(p.Email.Address, StringComparison.OrdinalIgnoreCase))).ToList();
        CancelCopies(meeting, removed);
    }

    private void CancelCopies(CalendarItem meeting, IEnumerable<Attendee> attendees)
    {
        foreach (var attendee in attendees)
            if (Find(attendee.Email.Address) is { } target && FindByICalUId(target, meeting.ICalUId) is { IsOrganizer: false } copy)
                target.Update<CalendarItem>(copy.Id, c => c with
                {
                    IsCancelled = true,
                    Subject = c.Subject.StartsWith("Canceled: ", StringComparison.Ordinal) ? c.Subject : "Canceled: " + c.Subject,
                });
    }

    // An attendee's copy carries the organizer's content; its own answer and extended properties stay its own.
    private static CalendarItem CopyFor(CalendarItem meeting, ResponseKind myResponse) => meeting with
    {
        MyResponse = myResponse,
        ExtendedProperties = new Dictionary<string, string>(),
        TransactionId = null,
        Categories = [],
    };
}

public enum CancelOutcome { Cancelled, NotFound, NotOrganizer }
