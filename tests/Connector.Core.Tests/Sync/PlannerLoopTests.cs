using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Links;
using Connector.Core.Settings;
using Connector.Core.Sync;

namespace Connector.Core.Tests.Sync;

/// <summary>
/// The planner driven against a small in-memory world: random edits on both sides, each followed by a sync whose
/// own writes come back as change notices (as Exchange and the CRM hooks would send them). Afterwards both sides
/// must hold the same events, no edit may cause more than one write, nothing may be duplicated, and a full re-plan
/// must be all skips (a fixpoint: no ping-pong).
/// </summary>
public class PlannerLoopTests
{
    private const string Mailbox = "alice@example.test";

    private sealed class World(int seed)
    {
        public readonly Random Random = new(seed);
        public readonly Dictionary<long, CalendarEvent> Crm = [];
        public readonly Dictionary<string, CalendarEvent> Exchange = [];
        public readonly Dictionary<long, SyncLink> Links = [];
        public readonly Dictionary<long, DateTimeOffset> CrmChanged = [];
        public readonly Dictionary<string, DateTimeOffset> ExchangeChanged = [];
        public readonly HashSet<long> CrmNotices = [];
        public readonly HashSet<string> ExchangeNotices = [];
        public readonly HashSet<long> CrmDeleted = [];
        public readonly HashSet<string> ExchangeDeleted = [];
        public DateTimeOffset Clock = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        public int Writes;
        private long _nextCrm = 1000;
        private int _nextItem = 1;

        public DateTimeOffset Tick() => Clock = Clock.AddMinutes(1);

        public CalendarEvent NewEvent() => new()
        {
            Subject = $"Event {Random.Next(100000)}",
            Span = EventSpan.Timed(Clock.AddDays(Random.Next(1, 30)), Clock.AddDays(30).AddHours(1), "Europe/Rome"),
        };

        public long CreateInCrm(CalendarEvent e) { var id = _nextCrm++; Crm[id] = e; CrmChanged[id] = Tick(); CrmNotices.Add(id); return id; }
        public string CreateInExchange(CalendarEvent e) { var id = $"item-{_nextItem++}"; Exchange[id] = e; ExchangeChanged[id] = Tick(); ExchangeNotices.Add(id); return id; }
        public void UpdateCrm(long id, CalendarEvent e) { Crm[id] = e; CrmChanged[id] = Tick(); CrmNotices.Add(id); }
        public void UpdateExchange(string id, CalendarEvent e) { Exchange[id] = e; ExchangeChanged[id] = Tick(); ExchangeNotices.Add(id); }
        public void DeleteCrm(long id) { Crm.Remove(id); CrmDeleted.Add(id); CrmChanged[id] = Tick(); CrmNotices.Add(id); }
        public void DeleteExchange(string id) { Exchange.Remove(id); ExchangeDeleted.Add(id); ExchangeChanged[id] = Tick(); ExchangeNotices.Add(id); }
    }

    [Theory]
    [InlineData(1, 1, ConflictPolicy.NewestWins)]
    [InlineData(2, 1, ConflictPolicy.CrmWins)]
    [InlineData(3, 1, ConflictPolicy.ExchangeWins)]
    // Several edits between syncs: both sides change the same record (conflicts, change against delete).
    [InlineData(4, 4, ConflictPolicy.NewestWins)]
    [InlineData(5, 4, ConflictPolicy.CrmWins)]
    [InlineData(6, 4, ConflictPolicy.ExchangeWins)]
    public void Two_hundred_random_edits_on_both_sides_settle_equal_without_echo_or_duplicates(int seed, int editsPerSync, ConflictPolicy conflicts)
    {
        var w = new World(seed);
        for (var edit = 0; edit < 200; edit += editsPerSync)
        {
            for (var i = 0; i < editsPerSync; i++) RandomEdit(w);
            var writesBefore = w.Writes;
            SyncUntilQuiet(w, new SyncPolicy(conflicts, FeatureSet.All, w.Clock));
            Assert.True(w.Writes - writesBefore <= editsPerSync, $"{editsPerSync} edit(s) caused {w.Writes - writesBefore} writes");
        }

        // One edit at a time: every edit reached the other side exactly once (the loop is not vacuous).
        if (editsPerSync == 1) Assert.Equal(200, w.Writes);
        else Assert.InRange(w.Writes, 100, 200);
        Assert.NotEmpty(w.Crm);
        Assert.Equal(w.Crm.Count, w.Exchange.Count);
        Assert.Equal(w.Crm.Count, w.Links.Count);
        Assert.Equal(w.Links.Values.Select(l => l.Exchange.ItemId).Distinct().Count(), w.Links.Count);
        foreach (var (crmId, link) in w.Links)
            Assert.Equal(Fingerprint.Of(w.Crm[crmId]), Fingerprint.Of(w.Exchange[link.Exchange.ItemId]));

        // A full read of both sides finds nothing to do.
        var writes = w.Writes;
        foreach (var id in w.Crm.Keys) w.CrmNotices.Add(id);
        foreach (var id in w.Exchange.Keys) w.ExchangeNotices.Add(id);
        SyncOnce(w, SyncPolicy.Default(w.Clock));
        Assert.Equal(writes, w.Writes);
    }

    private static void RandomEdit(World w)
    {
        var linkedCrm = w.Links.Keys.Where(w.Crm.ContainsKey).ToList();
        var linkedItems = w.Links.Values.Select(l => l.Exchange.ItemId).Where(w.Exchange.ContainsKey).ToList();
        switch (w.Random.Next(6))
        {
            case 0 or 1 when linkedCrm.Count == 0: w.CreateInCrm(w.NewEvent()); break;
            case 2 or 3 when linkedItems.Count == 0: w.CreateInExchange(w.NewEvent()); break;
            case 0: w.CreateInCrm(w.NewEvent()); break;
            case 1: var c = linkedCrm[w.Random.Next(linkedCrm.Count)]; w.UpdateCrm(c, w.Crm[c] with { Subject = $"CRM edit {w.Random.Next(100000)}" }); break;
            case 2: w.CreateInExchange(w.NewEvent()); break;
            case 3: var x = linkedItems[w.Random.Next(linkedItems.Count)]; w.UpdateExchange(x, w.Exchange[x] with { Location = $"Room {w.Random.Next(100000)}" }); break;
            case 4 when linkedCrm.Count > 0: w.DeleteCrm(linkedCrm[w.Random.Next(linkedCrm.Count)]); break;
            case 5 when linkedItems.Count > 0: w.DeleteExchange(linkedItems[w.Random.Next(linkedItems.Count)]); break;
            default: w.CreateInCrm(w.NewEvent()); break;
        }
    }

    private static void SyncUntilQuiet(World w, SyncPolicy policy)
    {
        for (var round = 0; round < 5 && (w.CrmNotices.Count > 0 || w.ExchangeNotices.Count > 0); round++) SyncOnce(w, policy);
        Assert.True(w.CrmNotices.Count == 0 && w.ExchangeNotices.Count == 0, "still changing after 5 rounds: ping-pong");
    }

    /// <summary>One pass over the pending notices: plan each touched record, execute, and queue the echo notices.</summary>
    private static void SyncOnce(World w, SyncPolicy policy)
    {
        var crmIds = w.CrmNotices.ToList();
        var itemIds = w.ExchangeNotices.ToList();
        w.CrmNotices.Clear();
        w.ExchangeNotices.Clear();
        var touched = crmIds.ToHashSet();
        foreach (var item in itemIds)
        {
            var linked = w.Links.Values.FirstOrDefault(l => l.Exchange.ItemId == item);
            if (linked is not null) touched.Add(linked.Crm.CrmId);
        }

        foreach (var crmId in touched)
        {
            w.Links.TryGetValue(crmId, out var link);
            var crmState = w.Crm.TryGetValue(crmId, out var e) ? Observation<CalendarEvent>.Present(e, w.CrmChanged[crmId])
                : w.CrmDeleted.Contains(crmId) ? Observation<CalendarEvent>.Deleted(w.CrmChanged[crmId]) : Observation<CalendarEvent>.Unknown;
            var copies = new List<MailboxCopy<CalendarEvent>>();
            if (link is not null)
            {
                var item = link.Exchange.ItemId;
                var state = w.Exchange.TryGetValue(item, out var x) ? Observation<CalendarEvent>.Present(x, w.ExchangeChanged[item])
                    : w.ExchangeDeleted.Contains(item) ? Observation<CalendarEvent>.Deleted(w.ExchangeChanged[item]) : Observation<CalendarEvent>.Unknown;
                copies.Add(new(Mailbox, link, null, state));
            }
            var owners = crmState.Kind == ObservationKind.Present ? new[] { Mailbox } : [];
            Execute(w, SyncPlanner.Plan(new RecordInput<CalendarEvent>(RecordKind.Event, new CrmKey(RecordKind.Event, crmId), crmState, owners, copies), policy));
        }

        foreach (var item in itemIds.Where(i => w.Exchange.ContainsKey(i) && !w.Links.Values.Any(l => l.Exchange.ItemId == i)))
        {
            var input = new RecordInput<CalendarEvent>(RecordKind.Event, null, Observation<CalendarEvent>.Unknown, [],
                [new(Mailbox, null, new ExchangeKey(item), Observation<CalendarEvent>.Present(w.Exchange[item], w.ExchangeChanged[item]))]);
            Execute(w, SyncPlanner.Plan(input, policy));
        }
    }

    private static void Execute(World w, IReadOnlyList<SyncAction> plan)
    {
        foreach (var a in plan)
        {
            var crmId = a.Crm?.CrmId;
            switch (a.Kind, a.Side)
            {
                case (ActionKind.Create, Side.Exchange):
                    w.Writes++;
                    var item = w.CreateInExchange((CalendarEvent)a.Content!);
                    w.Links[crmId!.Value] = NewLink(w, crmId.Value, item);
                    break;
                case (ActionKind.Create, Side.Crm):
                    w.Writes++;
                    var newId = w.CreateInCrm((CalendarEvent)a.Content!);
                    w.Links[newId] = NewLink(w, newId, a.Exchange!.ItemId);
                    break;
                case (ActionKind.Update, Side.Exchange):
                    w.Writes++;
                    w.UpdateExchange(a.Exchange!.ItemId, (CalendarEvent)a.Content!);
                    w.Links[crmId!.Value] = NewLink(w, crmId.Value, a.Exchange.ItemId);
                    break;
                case (ActionKind.Update, Side.Crm):
                    w.Writes++;
                    w.UpdateCrm(crmId!.Value, (CalendarEvent)a.Content!);
                    w.Links[crmId.Value] = NewLink(w, crmId.Value, a.Exchange!.ItemId);
                    break;
                case (ActionKind.Delete, Side.Exchange):
                    w.Writes++;
                    w.DeleteExchange(a.Exchange!.ItemId);
                    break;
                case (ActionKind.Delete, Side.Crm):
                    w.Writes++;
                    w.DeleteCrm(crmId!.Value);
                    break;
                case (ActionKind.Unlink, _):
                    w.Links.Remove(crmId!.Value);
                    break;
                case (ActionKind.Link, _):
                    w.Links[crmId!.Value] = NewLink(w, crmId.Value, a.Exchange!.ItemId);
                    break;
            }
        }
    }

    private static SyncLink NewLink(World w, long crmId, string item) => new()
    {
        Crm = new CrmKey(RecordKind.Event, crmId),
        Mailbox = Mailbox,
        Exchange = new ExchangeKey(item),
        CrmFingerprint = Fingerprint.Of(w.Crm[crmId]),
        ExchangeFingerprint = Fingerprint.Of(w.Exchange[item]),
        SyncedAt = w.Clock,
    };
}
