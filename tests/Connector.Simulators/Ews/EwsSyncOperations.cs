using System.Text;
using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>
/// SyncFolderItems over the folder's change log. The SyncState encodes "folder, epoch, last sequence seen"; an
/// invalidated folder (new epoch) answers ErrorInvalidSyncStateData. Several changes of one item since the state
/// collapse into one (create+update = Create, create+delete = nothing), as Exchange reports them. Each created or
/// updated item comes in the request's ItemShape, as FindItem answers it (<see cref="EwsFindShape"/>).
/// </summary>
internal static class EwsSyncOperations
{
    public static XElement SyncFolderItems(EwsRequestContext ctx, XElement request)
    {
        var message = EwsItemOperations.Run("SyncFolderItemsResponseMessage", () =>
        {
            var (mailbox, folder) = ctx.ResolveFolder(request.Element(M + "SyncFolderId")!.Elements().First());
            var max = (int)request.Element(M + "MaxChangesReturned")!;
            if (max is < 1 or > 512) throw new EwsSimError("ErrorInvalidArgument", "MaxChangesReturned must be 1 to 512.");
            var shape = EwsFindShape.Parse(request.Element(M + "ItemShape"), "SyncFolderItems", refuseNotFindable: false);
            var state = (string?)request.Element(M + "SyncState");
            var since = string.IsNullOrEmpty(state)
                ? new SyncPosition(folder.Id, mailbox.Position(folder.Id).Epoch, 0)
                : Decode(state, folder.Id);
            var log = mailbox.ChangesSince(since)
                      ?? throw new EwsSimError("ErrorInvalidSyncStateData", "The SyncState is not valid for this folder any more.");

            var changes = log.GroupBy(e => e.ItemId)
                .Select(g => (First: g.First(), Last: g.Last()))
                .Where(c => !(c.First.Kind == ChangeKind.Created && c.Last.Kind == ChangeKind.Deleted))
                .OrderBy(c => c.Last.Sequence)
                .ToList();
            var page = changes.Take(max).ToList();
            var includesLast = page.Count == changes.Count;
            var next = includesLast ? (log.Count > 0 ? log[^1].Sequence : since.Sequence) : page[^1].Last.Sequence;
            var xml = page.Select(c => c.Last.Kind == ChangeKind.Deleted
                ? Tx("Delete", EwsItemMapper.ItemIdXml(c.Last.ItemId, c.Last.Snapshot.ChangeKey))
                : Tx(c.First.Kind == ChangeKind.Created ? "Create" : "Update",
                    shape.Apply(EwsItemMapper.Write(mailbox, mailbox.Find<MailItem>(c.Last.ItemId) ?? c.Last.Snapshot, ctx.Version))));
            return
            [
                Mx("SyncState", Encode(new SyncPosition(folder.Id, since.Epoch, next))),
                Mx("IncludesLastItemInRange", includesLast),
                Mx("Changes", xml),
            ];
        });
        return Response("SyncFolderItems", [message]);
    }

    private static string Encode(SyncPosition p) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"sim1|{p.FolderId}|{p.Epoch}|{p.Sequence}"));

    private static SyncPosition Decode(string state, string folderId)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(state)).Split('|');
            if (parts is ["sim1", var folder, var epoch, var sequence] && folder == folderId)
                return new SyncPosition(folder, int.Parse(epoch), long.Parse(sequence));
        }
        catch (FormatException) { }
        throw new EwsSimError("ErrorInvalidSyncStateData", "The SyncState cannot be read.");
    }
}
