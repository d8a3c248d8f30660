using System.Text;
using Connector.Exchange.Graph.Models;
using Connector.Simulators.Mailboxes;

namespace Connector.Simulators.Graph;

/// <summary><c>POST …/calendar/getSchedule</c>: free/busy of up to 100 mailboxes over at most 62 days.</summary>
public static class ScheduleEndpoints
{
    public const int MaxSchedules = 100;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(62);

    public static void MapSchedule(this RouteGroupBuilder root)
    {
        root.MapPost("/calendar/getSchedule", async (HttpContext http, MailboxDirectory directory) =>
        {
            var (body, error) = await http.ReadBody<ScheduleRequest>();
            if (error is not null) return error;
            if (body!.Schedules.Count is 0 or > MaxSchedules)
                return GraphErrors.BadRequest($"schedules: between 1 and {MaxSchedules} addresses are allowed.", "ErrorInvalidParameter");
            if (body.StartTime?.DateTime is null || body.EndTime?.DateTime is null)
                return GraphErrors.BadRequest("startTime and endTime are required.", "ErrorInvalidParameter");
            var (start, end) = (body.StartTime.ToInstant(), body.EndTime.ToInstant());
            if (end <= start || end - start > MaxWindow)
                return GraphErrors.BadRequest("The requested time duration exceeds the 62 day limit or is empty.", "ErrorInvalidParameter");
            var interval = TimeSpan.FromMinutes(Math.Clamp(body.AvailabilityViewInterval ?? 30, 5, 1440));
            var zone = http.OutputZone();
            return GraphHttp.Json(new GraphPage<ScheduleInformation>
            {
                Value = body.Schedules.Select(address => directory.Find(address) is { } m
                    ? Schedule(m, address, start, end, interval, zone)
                    : new ScheduleInformation { ScheduleId = address, Error = new FreeBusyError { ResponseCode = "ErrorMailRecipientNotFound", Message = $"The mailbox {address} was not found." } })
                    .ToList(),
            });
        });
    }

    private static ScheduleInformation Schedule(Mailbox m, string address, DateTimeOffset start, DateTimeOffset end, TimeSpan interval, TimeZoneInfo zone)
    {
        var busy = new List<(DateTimeOffset Start, DateTimeOffset End, CalendarItem Item)>();
        foreach (var item in m.Items<CalendarItem>(m.Calendar.Id).Where(i => !i.IsCancelled && i.MyResponse != ResponseKind.Declined && i.ShowAs != ShowAs.Free))
        {
            if (item.Recurrence is null) { if (item.Start < end && item.End > start) busy.Add((item.Start, item.End, item)); }
            else busy.AddRange(RecurrenceExpander.Expand(item, start, end).Select(o => (o.Start, o.End, item)));
        }
        busy.Sort((a, b) => a.Start.CompareTo(b.Start));
        var view = new StringBuilder();
        for (var slot = start; slot < end; slot += interval)
        {
            var overlapping = busy.Where(b => b.Start < slot + interval && b.End > slot).Select(b => b.Item.ShowAs).ToList();
            view.Append(overlapping.Count == 0 ? '0' : overlapping.Contains(ShowAs.Oof) ? '3' : overlapping.Contains(ShowAs.Busy) ? '2'
                : overlapping.Contains(ShowAs.WorkingElsewhere) ? '4' : '1');
        }
        return new ScheduleInformation
        {
            ScheduleId = address,
            AvailabilityView = view.ToString(),
            ScheduleItems = busy.Select(b => new ScheduleItem
            {
                IsPrivate = false, Status = GraphMapping.Camel(b.Item.ShowAs.ToString()), Subject = b.Item.Subject, Location = b.Item.Location ?? "",
                Start = GraphMapping.Out(b.Start, zone), End = GraphMapping.Out(b.End, zone),
            }).ToList(),
        };
    }
}
