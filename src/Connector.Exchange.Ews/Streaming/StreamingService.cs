using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Streaming;

/// <summary>A streaming subscription and the affinity cookie the anchor mailbox's Subscribe returned.</summary>
public sealed record Subscription(string SubscriptionId, string? BackEndCookie);

/// <summary>Subscribe (StreamingSubscriptionRequest) and one hanging GetStreamingEvents over many subscriptions.</summary>
internal sealed class StreamingService(EwsTransport transport)
{
    /// <summary>EWS allows at most this many subscriptions on one GetStreamingEvents connection.</summary>
    public const int MaxSubscriptionsPerConnection = 200;

    private static readonly string[] EventTypes = ["CopiedEvent", "CreatedEvent", "DeletedEvent", "ModifiedEvent", "MovedEvent"];

    /// <param name="impersonate">subscribe as this mailbox (a service account grouping many users)</param>
    public async Task<Subscription> SubscribeAsync(IReadOnlyList<FolderRef> folders, EwsAffinity? affinity, CancellationToken ct,
        string? impersonate = null)
    {
        var request = new XElement(Ns.M + "Subscribe",
            new XElement(Ns.M + "StreamingSubscriptionRequest",
                new XElement(Ns.T + "FolderIds", folders.Select(f => f.ToXml())),
                new XElement(Ns.T + "EventTypes", EventTypes.Select(t => new XElement(Ns.T + "EventType", t)))));
        var (body, cookie) = await transport.SendWithHeadersAsync(request, affinity, ct, impersonate);
        var message = ResponseMessages.EnsureSuccess(ResponseMessages.All(body).Single());
        return new Subscription((string)message.Element(Ns.M + "SubscriptionId")!, cookie);
    }

    /// <summary>
    /// Opens GetStreamingEvents and yields each frame as its envelope arrives. Ends when the server closes
    /// the connection; throws <see cref="StreamSilentException"/> after <paramref name="maxSilence"/> without data.
    /// </summary>
    public async IAsyncEnumerable<StreamFrame> ReadEventsAsync(IReadOnlyList<string> subscriptionIds, int connectionTimeoutMinutes,
        EwsAffinity? affinity, TimeSpan maxSilence, Action? opened, [EnumeratorCancellation] CancellationToken ct)
    {
        if (subscriptionIds.Count is 0 or > MaxSubscriptionsPerConnection)
            throw new ArgumentOutOfRangeException(nameof(subscriptionIds), $"1 to {MaxSubscriptionsPerConnection} subscriptions per connection.");
        var request = new XElement(Ns.M + "GetStreamingEvents",
            new XElement(Ns.M + "SubscriptionIds", subscriptionIds.Select(id => new XElement(Ns.T + "SubscriptionId", id))),
            new XElement(Ns.M + "ConnectionTimeout", Math.Clamp(connectionTimeoutMinutes, 1, 30)));
        using var response = await transport.OpenStreamAsync(request, affinity, ct);
        opened?.Invoke();
        await using var body = new WatchdogStream(await response.Content.ReadAsStreamAsync(ct), maxSilence);
        await foreach (var envelope in EnvelopeStreamReader.ReadAsync(body, ct))
            foreach (var frame in StreamFrame.Parse(envelope))
                yield return frame;
    }
}
