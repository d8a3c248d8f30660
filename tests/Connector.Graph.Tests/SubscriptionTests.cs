using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Exchange.Graph.Models;

namespace Connector.Graph.Tests;

/// <summary>Change notifications: validation handshake, clientState, renewal, lifecycle events and catch-up by delta.</summary>
public sealed class SubscriptionTests : IAsyncLifetime
{
    private SimulatorHost _sim = null!;
    private NotificationReceiver _receiver = null!;
    private static readonly DateTimeOffset From = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2030, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _sim = await SimulatorHost.StartAsync();
        _receiver = await NotificationReceiver.StartAsync();
        await _sim.AddMailboxAsync("frank@contoso.com", "Frank");
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private static Event At(int day, string subject) => new()
    {
        Subject = subject, Start = DateTimeTimeZone.FromUtc(From.AddDays(day).AddHours(9)), End = DateTimeTimeZone.FromUtc(From.AddDays(day).AddHours(10)),
    };

    [Fact]
    public async Task Handshake_notification_renewal_and_a_missed_event_followed_by_catch_up()
    {
        var subscriptions = new GraphSubscriptionsClient(_sim.Transport(), _sim.AppTokens());
        var frank = _sim.Mailbox("frank@contoso.com");
        var baseline = await frank.CalendarViewDeltaAsync(From, To, null);
        const string clientState = "secret-client-state-123";

        var subscription = await subscriptions.CreateAsync("/users/frank@contoso.com/events", new Uri(_receiver.BaseAddress, "/notify").AbsoluteUri,
            new Uri(_receiver.BaseAddress, "/lifecycle").AbsoluteUri, clientState, DateTimeOffset.UtcNow);
        Assert.Equal(["/notify", "/lifecycle"], _receiver.Validations.Order().Reverse().ToArray()); // both URLs validated before creation
        string? ExpectedState(string id) => id == subscription.Id ? clientState : null;

        // A change is notified with our clientState and leads to a delta catch-up.
        var created = await frank.CreateEventAsync(At(3, "Notified"));
        var notification = await NotificationReceiver.WaitFor(_receiver.Notifications, n => n.ResourceData?.Id == created.Id);
        Assert.Equal("created", notification.ChangeType);
        Assert.Equal(NotificationAction.CatchUpDelta, ChangeNotifications.Decide(notification, ExpectedState));
        Assert.Equal(NotificationAction.Reject, ChangeNotifications.Decide(new ChangeNotification { SubscriptionId = subscription.Id, ClientState = "forged" }, ExpectedState));
        var caughtUp = await frank.CalendarViewDeltaAsync(From, To, baseline.DeltaLink);
        Assert.Equal(created.Id, caughtUp.Items.Single().Id);

        // Renewal moves the expiry forward.
        var renewed = await subscriptions.RenewAsync(subscription, DateTimeOffset.UtcNow.AddHours(1));
        Assert.True(renewed.ExpirationDateTime > subscription.ExpirationDateTime);

        // A missed notification: the change itself is not notified, a "missed" lifecycle event is; delta finds it.
        await _sim.ControlAsync("/_sim/faults", new { kind = "missedNotification", count = 1 });
        var unseen = await frank.CreateEventAsync(At(4, "Not notified"));
        var missed = await NotificationReceiver.WaitFor(_receiver.Lifecycle, n => n.LifecycleEvent == "missed");
        Assert.Equal(NotificationAction.CatchUpDelta, ChangeNotifications.Decide(missed, ExpectedState));
        Assert.DoesNotContain(_receiver.Notifications, n => n.ResourceData?.Id == unseen.Id);
        var afterMissed = await frank.CalendarViewDeltaAsync(From, To, caughtUp.DeltaLink);
        Assert.Equal("Not notified", afterMissed.Items.Single().Subject);

        // reauthorizationRequired → renew; subscriptionRemoved → recreate.
        await _sim.ControlAsync($"/_sim/subscriptions/{subscription.Id}/lifecycle", new { lifecycleEvent = "reauthorizationRequired" });
        var reauth = await NotificationReceiver.WaitFor(_receiver.Lifecycle, n => n.LifecycleEvent == "reauthorizationRequired");
        Assert.Equal(NotificationAction.Renew, ChangeNotifications.Decide(reauth, ExpectedState));
        await _sim.ControlAsync($"/_sim/subscriptions/{subscription.Id}/lifecycle", new { lifecycleEvent = "subscriptionRemoved" });
        var removed = await NotificationReceiver.WaitFor(_receiver.Lifecycle, n => n.LifecycleEvent == "subscriptionRemoved");
        Assert.Equal(NotificationAction.Recreate, ChangeNotifications.Decide(removed, ExpectedState));
        Assert.False(await subscriptions.DeleteAsync(subscription.Id!)); // already gone on the service side
    }

    [Fact]
    public async Task A_notification_url_that_fails_the_handshake_gets_no_subscription()
    {
        var subscriptions = new GraphSubscriptionsClient(_sim.Transport(), _sim.AppTokens());
        var error = await Assert.ThrowsAsync<GraphException>(() => subscriptions.CreateAsync("/users/frank@contoso.com/events",
            new Uri(_receiver.BaseAddress, "/does-not-exist").AbsoluteUri, null, "state", DateTimeOffset.UtcNow));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("validation", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Renewal_is_due_when_a_quarter_of_the_lifetime_is_left()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.False(GraphSubscriptionsClient.NeedsRenewal(new Subscription { Resource = "/users/x/events", ExpirationDateTime = now.AddDays(5) }, now));
        Assert.True(GraphSubscriptionsClient.NeedsRenewal(new Subscription { Resource = "/users/x/events", ExpirationDateTime = now.AddHours(20) }, now));
        await Task.CompletedTask;
    }
}
