using Connector.Exchange.Graph.Models;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph;

/// <summary>The delta protocol shared by calendarView, To Do tasks and contacts: rounds, pages, tokens, 410.</summary>
public static class DeltaPaging
{
    public const int DefaultPageSize = 50;

    /// <summary>Reads <c>$skiptoken</c> / <c>$deltatoken</c> (or starts a first round) into the state of this page.</summary>
    public static DeltaState? Begin(HttpContext http, Mailbox mailbox, string folderId, out IResult? error, bool needsWindow)
    {
        error = null;
        var q = http.Request.Query;
        if (q.ContainsKey("$skiptoken") || q.ContainsKey("$deltatoken"))
        {
            var skip = q.ContainsKey("$skiptoken");
            var token = DeltaState.Decode(skip ? q["$skiptoken"] : q["$deltatoken"]);
            if (token is null || token.FolderId != folderId)
            {
                error = GraphErrors.BadRequest("The delta token is malformed.", "BadRequest");
                return null;
            }
            if (mailbox.ChangesSince(new SyncPosition(folderId, token.Epoch, 0)) is null)
            {
                error = GraphErrors.Error(410, "syncStateNotFound", "The sync state is no longer valid. Start a new delta query without a token.");
                return null;
            }
            // A delta token starts a new round: changes after where the last round ended, up to now.
            return skip ? token : token with { Next = mailbox.Position(folderId).Sequence, Offset = 0 };
        }
        DateTimeOffset? start = null, end = null;
        if (needsWindow)
        {
            if (!EventEndpoints.Window(http, out var s, out var e, out error)) return null;
            (start, end) = (s, e);
        }
        var position = mailbox.Position(folderId);
        return new DeltaState(folderId, position.Epoch, Since: null, Next: position.Sequence, Offset: 0, start, end);
    }

    /// <summary>
    /// One page of a round. <paramref name="initial"/> lists everything (first round); <paramref name="changed"/>
    /// turns the latest log entry of each changed item (and the item as it was before the round) into entries.
    /// </summary>
    public static IResult Page(HttpContext http, Mailbox mailbox, DeltaState state, Func<List<object>> initial,
        Func<ChangeEntry, MailItem?, IEnumerable<object>> changed)
    {
        List<object> all;
        if (state.Since is null) all = initial();
        else
        {
            var entries = mailbox.ChangesSince(new SyncPosition(state.FolderId, state.Epoch, state.Since.Value));
            if (entries is null) return GraphErrors.Error(410, "syncStateNotFound", "The sync state is no longer valid. Start a new delta query without a token.");
            all = entries.Where(e => e.Sequence <= state.Next)
                .GroupBy(e => e.ItemId).Select(g => g.Last()).OrderBy(e => e.Sequence)
                .SelectMany(e => changed(e, mailbox.SnapshotAt(e.ItemId, state.Since.Value))).ToList();
        }
        var size = http.PageSize(DefaultPageSize);
        var page = all.Skip(state.Offset).Take(size).ToList();
        var result = new GraphPage<object> { Value = page };
        if (state.Offset + size < all.Count)
            result.NextLink = http.LinkTo("$skiptoken=" + (state with { Offset = state.Offset + size }).Encode());
        else
            result.DeltaLink = http.LinkTo("$deltatoken=" + (state with { Since = state.Next, Offset = 0 }).Encode());
        return GraphHttp.Json(result);
    }
}
