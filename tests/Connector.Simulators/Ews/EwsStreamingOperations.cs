using System.Collections.Concurrent;
using System.Text;
using System.Xml.Linq;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>
/// Subscribe / Unsubscribe / GetStreamingEvents. A GetStreamingEvents response is one chunked body carrying a
/// sequence of SOAP envelopes: events as they happen, a heartbeat after each quiet interval, and a final
/// <c>ConnectionStatus Closed</c> when the requested timeout is reached (or an error frame for scripted faults).
/// </summary>
internal sealed class EwsStreamingOperations(EwsSubscriptions subscriptions, EwsFaults faults, EwsSimulatorOptions options,
    IHostApplicationLifetime lifetime)
{
    private readonly ConcurrentDictionary<HttpContext, IReadOnlyList<StreamingSubscription>> _open = new();
    private readonly ConcurrentDictionary<HttpContext, bool> _superseded = new();

    public void Attach()
    {
        // Hanging requests would hold a graceful shutdown until its timeout; a stopping server cuts them like Exchange does.
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var http in _open.Keys) http.Abort();
        });
        faults.Dropped += fault =>
        {
            foreach (var (http, subs) in _open)
            {
                if (fault.Mailbox is not null && !subs.Any(s => s.Mailbox.Address.Equals(fault.Mailbox, StringComparison.OrdinalIgnoreCase))) continue;
                foreach (var s in subs) s.Discard();
                http.Abort();
            }
        };
    }

    public XElement Subscribe(EwsRequestContext ctx, XElement request)
    {
        var message = EwsItemOperations.Run("SubscribeResponseMessage", () =>
        {
            var streaming = request.Element(M + "StreamingSubscriptionRequest")
                            ?? throw new EwsSimError("ErrorInvalidSubscriptionRequest", "The simulator supports streaming subscriptions only.");
            var folders = streaming.Element(T + "FolderIds")?.Elements().Select(f => ctx.ResolveFolder(f)).ToList() ?? [];
            var mailbox = folders.Count > 0 ? folders[0].Mailbox : ctx.User;
            var folderIds = (string?)streaming.Attribute("SubscribeToAllFolders") == "true"
                ? mailbox.Folders(Mailboxes.FolderKind.Calendar).Concat(mailbox.Folders(Mailboxes.FolderKind.Tasks))
                    .Concat(mailbox.Folders(Mailboxes.FolderKind.Contacts)).Select(f => f.Id).ToHashSet()
                : folders.Select(f => f.Folder.Id).ToHashSet();
            var types = streaming.Element(T + "EventTypes")!.Elements(T + "EventType").Select(e => e.Value).ToHashSet();
            var subscription = subscriptions.Add(mailbox, folderIds, types);
            return [Mx("SubscriptionId", subscription.Id)];
        });
        // Affinity: the anchor's Subscribe answer names the back end the group's later requests must reach.
        if (ctx.Http.Request.Headers["X-PreferServerAffinity"] == "true")
            ctx.Http.Response.Headers.Append("Set-Cookie", "X-BackEndOverrideCookie=SIMBE01.sim.local~1941996295; path=/; HttpOnly");
        return Response("Subscribe", [message]);
    }

    public XElement Unsubscribe(XElement request)
    {
        var id = (string?)request.Element(M + "SubscriptionId") ?? "";
        var message = subscriptions.Remove(id)
            ? Success("UnsubscribeResponseMessage")
            : Error("UnsubscribeResponseMessage", "ErrorSubscriptionNotFound", "The subscription was not found.");
        return Response("Unsubscribe", [message]);
    }

    public async Task GetStreamingEventsAsync(EwsRequestContext ctx, XElement request)
    {
        var http = ctx.Http;
        var ids = request.Element(M + "SubscriptionIds")!.Elements(T + "SubscriptionId").Select(e => e.Value).ToList();
        var minutes = (int?)request.Element(M + "ConnectionTimeout") ?? 30;
        http.Response.ContentType = "text/xml; charset=utf-8";
        var missing = ids.Where(id => subscriptions.Find(id) is null).ToList();
        if (ids.Count is 0 or > 200 || minutes is < 1 or > 30 || missing.Count > 0)
        {
            var code = missing.Count > 0 ? "ErrorSubscriptionNotFound" : "ErrorInvalidArgument";
            await WriteAsync(http, ctx, Frame(Error("GetStreamingEventsResponseMessage", code, "The request cannot be served.",
                missing.Count > 0 ? Mx("ErrorSubscriptionIds", missing.Select(id => Mx("SubscriptionId", id))) : null,
                Mx("ConnectionStatus", "Closed"))));
            return;
        }
        var subs = ids.Select(id => subscriptions.Find(id)!).ToList();
        // One connection per subscription, as in Exchange: an older stream holding any of these is told so and closed
        // (otherwise a connection the client already gave up on would keep taking its events).
        foreach (var (other, otherSubs) in _open)
            if (otherSubs.Intersect(subs).Any()) _superseded.TryAdd(other, true);
        _open[http] = subs;
        try
        {
            await StreamAsync(http, ctx, subs, options.ConnectionTimeoutOverride ?? TimeSpan.FromMinutes(minutes));
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested) { /* the client went away, or a scripted drop */ }
        finally
        {
            _open.TryRemove(http, out _);
            _superseded.TryRemove(http, out _);
        }
    }

    private async Task StreamAsync(HttpContext http, EwsRequestContext ctx, IReadOnlyList<StreamingSubscription> subs, TimeSpan timeout)
    {
        var ct = http.RequestAborted;
        var deadline = DateTimeOffset.UtcNow + timeout;
        var lastWrite = DateTimeOffset.UtcNow;
        await http.Response.StartAsync(ct); // headers now: the client's hanging read begins
        await http.Response.Body.FlushAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            if (faults.TakeStreamFault(subs.Select(s => s.Mailbox.Address)) is { } fault)
            {
                var hit = subs.Where(s => fault.Mailbox is null || s.Mailbox.Address.Equals(fault.Mailbox, StringComparison.OrdinalIgnoreCase)).ToList();
                foreach (var s in hit) subscriptions.Remove(s.Id); // the subscription is gone with its queued events
                await WriteAsync(http, ctx, Frame(Error("GetStreamingEventsResponseMessage", "ErrorMissedNotificationEvents",
                    "Notification events were missed; the subscription was removed.",
                    Mx("ErrorSubscriptionIds", hit.Select(s => Mx("SubscriptionId", s.Id))),
                    Mx("ConnectionStatus", "Closed"))));
                return;
            }
            if (_superseded.ContainsKey(http))
            {
                await WriteAsync(http, ctx, Frame(Error("GetStreamingEventsResponseMessage", "ErrorNewEventStreamConnectionOpened",
                    "A newer GetStreamingEvents connection took over these subscriptions.", Mx("ConnectionStatus", "Closed"))));
                return;
            }
            var gone = subs.Where(s => subscriptions.Find(s.Id) is null).ToList();
            if (gone.Count > 0)
            {
                await WriteAsync(http, ctx, Frame(Error("GetStreamingEventsResponseMessage", "ErrorSubscriptionNotFound",
                    "The subscription was not found.", Mx("ErrorSubscriptionIds", gone.Select(s => Mx("SubscriptionId", s.Id))),
                    Mx("ConnectionStatus", "Closed"))));
                return;
            }
            var notifications = new List<XElement>();
            foreach (var s in subs)
            {
                var events = new List<XElement>();
                while (s.Events.Reader.TryRead(out var e)) events.Add(e);
                if (events.Count > 0) notifications.Add(Mx("Notification", Tx("SubscriptionId", s.Id), events));
            }
            var now = DateTimeOffset.UtcNow;
            if (notifications.Count > 0 || now - lastWrite >= options.Heartbeat)
            {
                await WriteAsync(http, ctx, Frame(Success("GetStreamingEventsResponseMessage",
                    notifications.Count > 0 ? Mx("Notifications", notifications) : null,
                    Mx("ConnectionStatus", "OK"))));
                lastWrite = now;
            }
            if (now >= deadline)
            {
                await WriteAsync(http, ctx, Frame(Success("GetStreamingEventsResponseMessage", Mx("ConnectionStatus", "Closed"))));
                return;
            }
            // Wake on the first event, or to send a heartbeat / close, or to look at the fault script.
            var wait = new[] { options.Heartbeat - (now - lastWrite), deadline - now, TimeSpan.FromMilliseconds(100) }.Min();
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var waits = subs.Select(s => s.Events.Reader.WaitToReadAsync(wake.Token).AsTask()).Append(Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, wake.Token));
            await Task.WhenAny(waits);
            await wake.CancelAsync();
        }
    }

    private static XElement Frame(XElement message) => Response("GetStreamingEvents", [message]);

    private static async Task WriteAsync(HttpContext http, EwsRequestContext ctx, XElement body)
    {
        var bytes = Encoding.UTF8.GetBytes(Envelope(body, ctx.Version).ToString(SaveOptions.DisableFormatting));
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
}
