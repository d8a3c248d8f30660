using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Links;
using Connector.Core.Sync;

namespace Connector.Core.Tests.Sync;

/// <summary>Builds planner inputs from short names, and prints plans as short strings a table can state.</summary>
internal static class PlanFixtures
{
    public const string Alice = "alice@example.test";
    public const string Bob = "bob@example.test";
    public const string Carol = "carol@example.test";

    public static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset CrmTime = Now.AddHours(-2);
    public static readonly DateTimeOffset ExchangeTime = Now.AddHours(-1);
    public static readonly CrmKey EventKey = new(RecordKind.Event, 4711);
    public static readonly ExchangeKey ItemKey = new("AAMk-item", "CK1", "uid-1");

    public static CalendarEvent Meeting(string subject = "Quarterly review", int daysFromNow = 7, bool withAttendee = true) => new()
    {
        Subject = subject,
        Span = EventSpan.Timed(Now.AddDays(daysFromNow), Now.AddDays(daysFromNow).AddHours(1), "Europe/Rome"),
        Location = "Room 1",
        Organizer = new Organizer(Alice),
        Attendees = withAttendee ? ValueList.Of(new Attendee("ext@partner.test")) : ValueList<Attendee>.Empty,
    };

    public static SyncLink LinkFor(ISyncEntity synced, string mailbox = Alice, CopyRole role = CopyRole.Owner) => new()
    {
        Crm = EventKey,
        Mailbox = mailbox,
        Exchange = ItemKey,
        CrmFingerprint = Fingerprint.Of(synced),
        ExchangeFingerprint = Fingerprint.Of(synced),
        Role = role,
        SyncedAt = Now.AddDays(-1),
    };

    public static string Show(IEnumerable<SyncAction> actions) => string.Join(", ", actions.Select(Show));

    public static string Show(SyncAction a) => a.Kind switch
    {
        ActionKind.Create or ActionKind.Update or ActionKind.Delete or ActionKind.RecordResponse => $"{a.Kind}>{a.Side}",
        ActionKind.Conflict => $"Conflict({a.Side})",
        _ => a.Kind.ToString(),
    };
}
