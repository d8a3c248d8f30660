using System.Xml.Linq;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;

namespace Connector.Exchange.Ews.Streaming;

/// <summary>One event from a notification. Events are hints: what changed is read with SyncFolderItems.</summary>
public sealed record StreamEvent(string SubscriptionId, string EventType, EwsItemId? ItemId, string? FolderId,
    string? ParentFolderId, DateTimeOffset? TimeStamp);

/// <summary>One envelope of a GetStreamingEvents response: events, a heartbeat, an error and/or the close.</summary>
public sealed record StreamFrame(IReadOnlyList<StreamEvent> Events, string ResponseCode, IReadOnlyList<string> ErrorSubscriptionIds,
    bool Closed)
{
    public bool IsError => ResponseCode != EwsResponseCodes.NoError;

    internal static IEnumerable<StreamFrame> Parse(XElement envelope)
    {
        var body = ResponseMessages.Body(new XDocument(envelope));
        foreach (var message in ResponseMessages.All(body))
        {
            var events = message.Element(Ns.M + "Notifications")?.Elements(Ns.M + "Notification").SelectMany(ParseNotification).ToList() ?? [];
            // The Managed API reads these ids in the messages namespace although the schema says types: accept both.
            var errorIds = message.Element(Ns.M + "ErrorSubscriptionIds")?.Elements()
                .Where(e => e.Name.LocalName == "SubscriptionId").Select(e => e.Value).ToList() ?? [];
            yield return new StreamFrame(events, ResponseMessages.Code(message), errorIds,
                (string?)message.Element(Ns.M + "ConnectionStatus") == "Closed");
        }
    }

    private static IEnumerable<StreamEvent> ParseNotification(XElement notification)
    {
        var subscriptionId = (string?)notification.Element(Ns.T + "SubscriptionId") ?? "";
        foreach (var e in notification.Elements().Where(e => e.Name.Namespace == Ns.T && e.Name.LocalName.EndsWith("Event", StringComparison.Ordinal)))
        {
            var timeStamp = (string?)e.Element(Ns.T + "TimeStamp");
            yield return new StreamEvent(subscriptionId, e.Name.LocalName,
                e.Element(Ns.T + "ItemId") is { } id ? EwsItemId.From(id) : null,
                (string?)e.Element(Ns.T + "FolderId")?.Attribute("Id"),
                (string?)e.Element(Ns.T + "ParentFolderId")?.Attribute("Id"),
                timeStamp is null ? null : EwsTime.Parse(timeStamp));
        }
    }
}
