using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Sync;
using Connector.Exchange.Graph.Sync;
using Connector.Sync.Ports;

namespace Connector.Graph.Tests;

/// <summary>
/// A user deletes an event in Outlook between the engine's read and its write: the update is a stale plan (read again,
/// plan again), never a permanent failure shown to an admin. The loop test met this race as a failed
/// "Graph answered 404 ErrorItemNotFound" item.
/// </summary>
public sealed class MailboxWriteRaceTests(GraphSeriesSimulatorTests.Simulator fixture) : IClassFixture<GraphSeriesSimulatorTests.Simulator>
{
    private const string Mailbox = "alice@contoso.com";

    [Fact]
    public async Task Updating_an_event_deleted_meanwhile_is_a_stale_plan_not_a_permanent_failure()
    {
        var mailbox = new GraphMailbox(fixture.Host.Mailbox(Mailbox), new MailboxAccount(7, Mailbox));
        var start = new DateTimeOffset(2030, 5, 6, 9, 0, 0, TimeSpan.Zero);
        var e = new CalendarEvent { Subject = "Race", Span = EventSpan.Timed(start, start.AddHours(1), "Europe/Rome") };
        var created = await mailbox.CreateAsync(new CrmKey(RecordKind.Event, 5101), e, sendInvitations: false, default);

        await mailbox.DeleteAsync(RecordKind.Event, created.Key, sendCancellations: false, default); // Outlook deletes it

        var error = await Assert.ThrowsAsync<StaleChangeKeyException>(() =>
            mailbox.UpdateAsync(created.Key, e with { Subject = "Race (edited in vtenext)" }, sendInvitations: false, default));
        Assert.Contains("404", error.Message + error.InnerException?.Message);
        Assert.Null(await mailbox.ReadAsync(RecordKind.Event, created.Key.ItemId, default)); // nothing re-created
    }
}
