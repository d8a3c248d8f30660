using System.Globalization;
using System.Xml.Linq;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Exchange.Ews.Services;

/// <summary>A busy block in someone's calendar (UTC). BusyType: Free, Tentative, Busy, OOF, WorkingElsewhere, NoData.</summary>
public sealed record BusySlot(DateTimeOffset Start, DateTimeOffset End, string BusyType);

/// <summary>One mailbox's free/busy, or the error that mailbox answered (unknown address, no permission).</summary>
public sealed record MailboxAvailability(string Mailbox, IReadOnlyList<BusySlot> Slots, string? Error);

internal sealed class AvailabilityService(EwsTransport transport)
{
    /// <summary>The protocol's ceiling of mailboxes per GetUserAvailability call.</summary>
    public const int MaxMailboxesPerCall = 100;

    public async Task<IReadOnlyList<MailboxAvailability>> GetAsync(IReadOnlyList<string> mailboxes, DateTimeOffset start,
        DateTimeOffset end, CancellationToken ct)
    {
        var result = new List<MailboxAvailability>(mailboxes.Count);
        foreach (var batch in mailboxes.Chunk(MaxMailboxesPerCall))
        {
            var response = await transport.SendAsync(Request(batch, start, end), ct: ct);
            result.AddRange(Parse(response, batch));
        }
        return result;
    }

    /// <summary>Reads a GetUserAvailabilityResponse; answers come in the order the mailboxes were asked.</summary>
    internal static IEnumerable<MailboxAvailability> Parse(XElement response, IReadOnlyList<string> mailboxes)
    {
        var answers = response.Element(Ns.M + "FreeBusyResponseArray")?.Elements(Ns.M + "FreeBusyResponse").ToList() ?? [];
        for (var i = 0; i < mailboxes.Count; i++)
        {
            var answer = i < answers.Count ? answers[i] : null;
            var message = answer?.Element(Ns.M + "ResponseMessage");
            if (answer is null || (message is not null && !ResponseMessages.IsSuccess(message)))
            {
                yield return new MailboxAvailability(mailboxes[i], [], message is null ? "no answer" : ResponseMessages.Code(message));
                continue;
            }
            var slots = answer.Element(Ns.M + "FreeBusyView")?.Element(Ns.T + "CalendarEventArray")?.Elements(Ns.T + "CalendarEvent")
                .Select(e => new BusySlot(Utc(e.Element(Ns.T + "StartTime")!.Value), Utc(e.Element(Ns.T + "EndTime")!.Value),
                    (string?)e.Element(Ns.T + "BusyType") ?? "Busy")).ToList() ?? [];
            yield return new MailboxAvailability(mailboxes[i], slots, null);
        }
    }

    // Availability times are wall-clock in the request's TimeZone; we send UTC (bias 0, no daylight rule).
    private static XElement Request(IEnumerable<string> mailboxes, DateTimeOffset start, DateTimeOffset end)
    {
        static XElement Transition() => new(Ns.T + "StandardTime",
            new XElement(Ns.T + "Bias", 0), new XElement(Ns.T + "Time", "00:00:00"),
            new XElement(Ns.T + "DayOrder", 1), new XElement(Ns.T + "Month", 1), new XElement(Ns.T + "DayOfWeek", "Sunday"));
        var daylight = Transition();
        daylight.Name = Ns.T + "DaylightTime";
        daylight.Element(Ns.T + "Month")!.Value = "3"; // distinct transitions; with no bias neither shifts anything
        return new XElement(Ns.M + "GetUserAvailabilityRequest",
            new XElement(Ns.T + "TimeZone", new XElement(Ns.T + "Bias", 0), Transition(), daylight),
            new XElement(Ns.M + "MailboxDataArray", mailboxes.Select(m => new XElement(Ns.T + "MailboxData",
                new XElement(Ns.T + "Email", new XElement(Ns.T + "Address", m)),
                new XElement(Ns.T + "AttendeeType", "Required"),
                new XElement(Ns.T + "ExcludeConflicts", false)))),
            new XElement(Ns.T + "FreeBusyViewOptions",
                new XElement(Ns.T + "TimeWindow",
                    new XElement(Ns.T + "StartTime", Wall(start)), new XElement(Ns.T + "EndTime", Wall(end))),
                new XElement(Ns.T + "MergedFreeBusyIntervalInMinutes", 30),
                new XElement(Ns.T + "RequestedView", "FreeBusy")));
    }

    private static string Wall(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(string value) => EwsTime.Parse(value);
}
