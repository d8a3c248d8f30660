using System.Globalization;
using System.Xml.Linq;
using Connector.Simulators.Mailboxes;
using static Connector.Simulators.Ews.EwsXml;

namespace Connector.Simulators.Ews;

/// <summary>GetUserAvailability (FreeBusy view): busy blocks of each asked mailbox, series expanded, in the request's zone.</summary>
internal static class EwsAvailabilityOperations
{
    public static XElement GetUserAvailability(EwsRequestContext ctx, XElement request)
    {
        // Times are wall-clock in the request's SerializableTimeZone; we honour its base bias (minutes, UTC = local + bias).
        var bias = TimeSpan.FromMinutes((int?)request.Element(T + "TimeZone")?.Element(T + "Bias") ?? 0);
        var window = request.Element(T + "FreeBusyViewOptions")!.Element(T + "TimeWindow")!;
        var start = FromWall(window.Text("StartTime")!, bias);
        var end = FromWall(window.Text("EndTime")!, bias);
        var mailboxes = request.Element(M + "MailboxDataArray")!.Elements(T + "MailboxData").ToList();
        if (mailboxes.Count > 100) throw new EwsSimError("ErrorExceededMaxMailboxes", "At most 100 mailboxes per request.");
        var answers = mailboxes.Select(data =>
        {
            var address = data.Element(T + "Email")?.Text("Address") ?? "";
            if (ctx.Directory.Find(address) is not { } mailbox)
                return Mx("FreeBusyResponse", Error("ResponseMessage", "ErrorMailRecipientNotFound", $"No mailbox {address}."));
            var slots = mailbox.Items<CalendarItem>(mailbox.Calendar.Id)
                .SelectMany(item => item.Recurrence is null
                    ? (item.Start < end && item.End > start && !item.IsCancelled ? [(item.Start, item.End, item.ShowAs)] : Array.Empty<(DateTimeOffset, DateTimeOffset, ShowAs)>())
                    : RecurrenceExpander.Expand(item, start, end).Select(o => (o.Start, o.End, item.ShowAs)))
                .Where(s => s.Item3 != ShowAs.Free)
                .OrderBy(s => s.Item1)
                .Select(s => Tx("CalendarEvent", Tx("StartTime", ToWall(s.Item1, bias)), Tx("EndTime", ToWall(s.Item2, bias)),
                    Tx("BusyType", EwsItemMapper.FreeBusy(s.Item3))));
            return Mx("FreeBusyResponse", Success("ResponseMessage"),
                Mx("FreeBusyView", Tx("FreeBusyViewType", "FreeBusy"), Tx("CalendarEventArray", slots)));
        }).ToList();
        return Mx("GetUserAvailabilityResponse", Mx("FreeBusyResponseArray", answers));
    }

    private static DateTimeOffset FromWall(string value, TimeSpan bias)
    {
        var parsed = EwsXml.ParseTime(value); // offset-less values are read as UTC, then shifted by the zone's bias
        return value.EndsWith('Z') || value.Contains('+') ? parsed : parsed + bias;
    }

    private static string ToWall(DateTimeOffset value, TimeSpan bias) =>
        (value.UtcDateTime - bias).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
