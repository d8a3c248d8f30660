using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>CreateItem, GetItem, UpdateItem and DeleteItem over the shared mailboxes (occurrences included).</summary>
internal static class EwsItemOperations
{
    private sealed record Target(Mailbox Mailbox, MailItem Item, Occurrence? Occurrence, string? ChangeKey);

    public static XElement CreateItem(EwsRequestContext ctx, XElement request)
    {
        var invitations = (string?)request.Attribute("SendMeetingInvitations");
        var saved = request.Element(M + "SavedItemFolderId")?.Elements().FirstOrDefault();
        var messages = request.Element(M + "Items")!.Elements().Select(element => Run("CreateItemResponseMessage", () =>
        {
            var (mailbox, folder) = saved is not null ? ctx.ResolveFolder(saved) : (ctx.User, DefaultFolder(ctx.User, element));
            MailItem created = element.Name.LocalName switch
            {
                "CalendarItem" when invitations is null =>
                    throw new EwsSimError("ErrorSendMeetingInvitationsRequired", "SendMeetingInvitations is required for calendar items."),
                "CalendarItem" => ctx.Directory.CreateEvent(mailbox, EwsItemMapper.ApplyAll(
                    new CalendarItem { Id = "", FolderId = "", ICalUId = "", Organizer = mailbox.Email }, element), folder.Id,
                    deliver: invitations != "SendToNone"),
                "Task" => mailbox.Create(folder.Id, EwsItemMapper.ApplyAll(new TaskItem { Id = "", FolderId = "" }, element)),
                "Contact" => mailbox.Create(folder.Id, EwsItemMapper.ApplyAll(new ContactItem { Id = "", FolderId = "" }, element)),
                var other => throw new EwsSimError("ErrorInvalidItemForOperationCreateItem", $"The simulator cannot create {other}."),
            };
            return [Mx("Items", EwsItemMapper.Write(mailbox, created, ctx.Version, idOnly: true))];
        })).ToList();
        return Response("CreateItem", messages);
    }

    public static XElement GetItem(EwsRequestContext ctx, XElement request)
    {
        // IdOnly plus AdditionalProperties (exchangelib's way of asking for fields): answer with all we have.
        var shape = request.Element(M + "ItemShape");
        var idOnly = (string?)shape?.Element(T + "BaseShape") == "IdOnly" && shape?.Element(T + "AdditionalProperties") is null;
        var messages = request.Element(M + "ItemIds")!.Elements().Select(id => Run("GetItemResponseMessage", () =>
        {
            var target = Resolve(ctx, id);
            var item = target.Occurrence is { } o
                ? EwsItemMapper.WriteOccurrence((CalendarItem)target.Item, o, ctx.Version)
                : EwsItemMapper.Write(target.Mailbox, target.Item, ctx.Version, idOnly);
            return [Mx("Items", item)];
        })).ToList();
        return Response("GetItem", messages);
    }

    public static XElement UpdateItem(EwsRequestContext ctx, XElement request)
    {
        var conflicts = (string?)request.Attribute("ConflictResolution") ?? "AutoResolve";
        var sendUpdates = (string?)request.Attribute("SendMeetingInvitationsOrCancellations");
        var messages = request.Element(M + "ItemChanges")!.Elements(T + "ItemChange").Select(change => Run("UpdateItemResponseMessage", () =>
        {
            var target = Resolve(ctx, change.Elements().First());
            var expected = conflicts == "AlwaysOverwrite" ? null : target.ChangeKey;
            var updates = change.Element(T + "Updates")!.Elements().ToList();
            MailItem Apply(MailItem item) => updates.Aggregate(item, (current, u) => u.Name.LocalName == "DeleteItemField"
                ? EwsItemMapper.Clear(current, u.Elements().First())
                : u.Elements().Skip(1).First().Elements().Aggregate(current, EwsItemMapper.Apply));
            if (target.Item is CalendarItem && sendUpdates is null)
                throw new EwsSimError("ErrorSendMeetingInvitationsOrCancellationsRequired", "SendMeetingInvitationsOrCancellations is required for calendar items.");

            MailItem? updated;
            if (target.Occurrence is { } occurrence)
                updated = UpdateOccurrence(ctx, target, occurrence, Apply, expected);
            else
            {
                var result = target.Item is CalendarItem
                    ? ToBase(ctx.Directory.UpdateEvent(target.Mailbox, target.Item.Id, c => (CalendarItem)Apply(c), expected,
                        deliver: sendUpdates != "SendToNone"))
                    : ToBase(target.Mailbox.Update<MailItem>(target.Item.Id, Apply, expected));
                if (result.Outcome == UpdateOutcome.ChangeKeyMismatch)
                    throw new EwsSimError("ErrorIrresolvableConflict", "The item was changed since the given ChangeKey.");
                updated = result.Item;
            }
            var written = updated is null ? null : target.Occurrence is { } o
                ? EwsItemMapper.ItemIdXml(o.Id, updated.ChangeKey)
                : EwsItemMapper.ItemIdXml(updated.Id, updated.ChangeKey);
            return [Mx("Items", Tx(EwsItemMapper.ElementName(target.Item), written)), Mx("ConflictResults", Tx("Count", 0))];
        })).ToList();
        return Response("UpdateItem", messages);
    }

    public static XElement DeleteItem(EwsRequestContext ctx, XElement request)
    {
        if (request.Attribute("DeleteType") is null) throw new EwsSimError("ErrorSchemaValidation", "DeleteType is required.");
        var messages = request.Element(M + "ItemIds")!.Elements().Select(id => Run("DeleteItemResponseMessage", () =>
        {
            var target = Resolve(ctx, id);
            if (target.Occurrence is { } o)
                ctx.Directory.UpdateEvent(target.Mailbox, target.Item.Id, m => m with
                {
                    DeletedOccurrences = [.. m.DeletedOccurrences, o.OriginalStart],
                    Exceptions = m.Exceptions.Where(x => x.OriginalStart != o.OriginalStart).ToList(),
                });
            else if (target.Item is CalendarItem)
                ctx.Directory.DeleteEvent(target.Mailbox, target.Item.Id);
            else
                target.Mailbox.Delete(target.Item.Id);
            return [];
        })).ToList();
        return Response("DeleteItem", messages);
    }

    private static CalendarItem? UpdateOccurrence(EwsRequestContext ctx, Target target, Occurrence o, Func<MailItem, MailItem> apply, string? expected)
    {
        var master = (CalendarItem)target.Item;
        // Edit a stand-in item carrying the occurrence's current values, then keep what changed as the exception.
        var standIn = (CalendarItem)apply(master with
        {
            Start = o.Start, End = o.End,
            Subject = o.Exception?.Subject ?? master.Subject, Location = o.Exception?.Location ?? master.Location,
            Body = o.Exception?.Body ?? master.Body,
        });
        // Occurrences share the master's ChangeKey (EWS OccurrenceItemId docs).
        if (expected is not null && expected != master.ChangeKey)
            throw new EwsSimError("ErrorIrresolvableConflict", "The occurrence was changed since the given ChangeKey.");
        CheckNeighbours(master, o, standIn.Start);
        // Like Exchange's exception flags: only what differs from the series is the exception's own.
        var exception = new OccurrenceException(o.OriginalStart, standIn.Start, standIn.End,
            standIn.Subject == master.Subject ? null : standIn.Subject, standIn.Location == master.Location ? null : standIn.Location, "")
        {
            Body = standIn.Body == master.Body ? null : standIn.Body,
        };
        return ctx.Directory.UpdateEvent(target.Mailbox, master.Id, m => m with
        {
            Exceptions = [.. m.Exceptions.Where(x => x.OriginalStart != o.OriginalStart), exception],
        }).Item;
    }

    /// <summary>
    /// Exchange refuses to move an occurrence onto the day of, or past, the previous or next occurrence that still
    /// exists (ErrorOccurrenceCrossingBoundary); days are read in the series' zone.
    /// </summary>
    private static void CheckNeighbours(CalendarItem master, Occurrence o, DateTimeOffset newStart)
    {
        var zone = RecurrenceExpander.FindZone(master.Recurrence?.Range.TimeZone ?? master.TimeZone);
        DateOnly Day(DateTimeOffset t) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, zone).DateTime);
        var all = RecurrenceExpander.OriginalStarts(master).TakeWhile(s => s <= o.OriginalStart.AddYears(5)).ToList();
        var at = all.IndexOf(o.OriginalStart);
        DateTimeOffset? Effective(int step)
        {
            for (var i = at + step; i >= 0 && i < all.Count; i += step)
                if (!master.DeletedOccurrences.Contains(all[i]))
                    return master.Exceptions.FirstOrDefault(x => x.OriginalStart == all[i])?.Start ?? all[i];
            return null;
        }
        var day = Day(newStart);
        if ((Effective(-1) is { } previous && day <= Day(previous)) || (Effective(+1) is { } next && day >= Day(next)))
            throw new EwsSimError("ErrorOccurrenceCrossingBoundary",
                "Occurrence cannot be moved to or past the day of the previous or next occurrence.");
    }

    private static UpdateResult<MailItem> ToBase<T>(UpdateResult<T> result) where T : MailItem => new(result.Outcome, result.Item);

    /// <summary>ItemId (plain or occurrence), OccurrenceItemId (master + 1-based index) or RecurringMasterItemId.</summary>
    private static Target Resolve(EwsRequestContext ctx, XElement id)
    {
        switch (id.Name.LocalName)
        {
            case "OccurrenceItemId":
            {
                var (mailbox, master) = Master(ctx, (string)id.Attribute("RecurringMasterId")!);
                // 1-based over the pattern, deleted occurrences included (they keep their index).
                var index = (int)id.Attribute("InstanceIndex")!;
                var starts = index < 1 ? [] : RecurrenceExpander.OriginalStarts(master).Skip(index - 1).Take(1).ToList();
                if (starts.Count == 0)
                    throw new EwsSimError("ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange", "The occurrence index is outside the recurrence range.");
                var originalStart = starts[0];
                if (master.DeletedOccurrences.Contains(originalStart))
                    throw new EwsSimError("ErrorCalendarOccurrenceIsDeletedFromRecurrence", "The occurrence was deleted from the recurrence.");
                var occurrence = Expand(master).First(o => o.OriginalStart == originalStart);
                return new Target(mailbox, master, occurrence, (string?)id.Attribute("ChangeKey"));
            }
            case "RecurringMasterItemId":
            {
                var occurrenceId = (string)id.Attribute("OccurrenceId")!;
                var masterId = RecurrenceExpander.ParseOccurrenceId(occurrenceId)?.MasterId ?? occurrenceId;
                var (mailbox, master) = Master(ctx, masterId);
                return new Target(mailbox, master, null, (string?)id.Attribute("ChangeKey"));
            }
            default:
            {
                var itemId = (string?)id.Attribute("Id") ?? "";
                var changeKey = (string?)id.Attribute("ChangeKey");
                if (ctx.FindItem(itemId) is { } found) return new Target(found.Mailbox, found.Item, null, changeKey);
                if (RecurrenceExpander.ParseOccurrenceId(itemId) is { } parsed)
                {
                    var originalStart = parsed.OriginalStart;
                    var (owner, master) = Master(ctx, parsed.MasterId);
                    var occurrence = Expand(master).FirstOrDefault(o => o.OriginalStart == originalStart)
                                     ?? throw new EwsSimError("ErrorItemNotFound", "The occurrence does not exist (deleted?).");
                    return new Target(owner, master, occurrence, changeKey);
                }
                throw new EwsSimError("ErrorItemNotFound", "The specified object was not found in the store.");
            }
        }
    }

    private static (Mailbox, CalendarItem) Master(EwsRequestContext ctx, string id) =>
        ctx.FindItem(id) is { Item: CalendarItem { Recurrence: not null } master } found
            ? (found.Mailbox, master)
            : throw new EwsSimError("ErrorItemNotFound", "The recurring master was not found.");

    private static IReadOnlyList<Occurrence> Expand(CalendarItem master) =>
        RecurrenceExpander.Expand(master, master.Start.AddDays(-400), master.Start.AddYears(30));

    private static MailFolder DefaultFolder(Mailbox mailbox, XElement item) => item.Name.LocalName switch
    {
        "Task" => mailbox.Tasks,
        "Contact" => mailbox.Contacts,
        _ => mailbox.Calendar,
    };

    /// <summary>Runs one request item; an <see cref="EwsSimError"/> becomes that item's Error message.</summary>
    internal static XElement Run(string messageName, Func<IEnumerable<XElement>> body)
    {
        try
        {
            return Success(messageName, body().ToArray());
        }
        catch (EwsSimError e)
        {
            return Error(messageName, e.Code, e.Message);
        }
    }
}
