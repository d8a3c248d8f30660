using System.Globalization;
using Connector.Core.Settings;
using Connector.Exchange.Graph.Models;
using Connector.Storage.Secrets;
using Connector.Storage.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Sync.Tests.Recurrence;

/// <summary>A CRM occurrence record as vtenext stores it (server-local dates and times).</summary>
public sealed record CrmOccurrenceRow
{
    public long Id { get; init; }
    public int Idx { get; init; }
    public string Uid { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? Location { get; init; }
    public DateTime DateStart { get; init; }
    public string TimeStart { get; init; } = "";
    public DateTime DueDate { get; init; }
    public string TimeEnd { get; init; } = "";
    public int AllDay { get; init; }
    public string? RecurringType { get; init; }

    /// <summary>The start instant (vtenext keeps server-local wall time).</summary>
    public DateTimeOffset Start => Instant(DateStart, TimeStart);

    public static DateTimeOffset Instant(DateTime date, string time)
    {
        var rome = TimeZoneInfo.FindSystemTimeZoneById(SyncWorld.ServerZone);
        var local = date.Date + TimeSpan.ParseExact(time.Length == 5 ? time + ":00" : time, "hh\\:mm\\:ss", CultureInfo.InvariantCulture);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), rome), TimeSpan.Zero);
    }
}

/// <summary>
/// A <see cref="SyncWorld"/> for series: the connector's clock can be moved (<see cref="Clock"/>), the horizon is short
/// (so tests materialise few records), the extension schedule runs every second, and Alice's mailbox is synced.
/// </summary>
public sealed class SeriesWorld : IAsyncDisposable
{
    /// <summary>A wall-clock time in a Windows zone, as Graph writes event starts and ends.</summary>
    public static DateTimeTimeZone Local(DateTime wallClock, string windowsZone) =>
        new() { DateTime = wallClock.ToString(DateTimeTimeZone.Format, CultureInfo.InvariantCulture), TimeZone = windowsZone };

    private SeriesWorld(SyncWorld w, ShiftedClock clock)
    {
        W = w;
        Clock = clock;
    }

    public SyncWorld W { get; }

    /// <summary>The connector's clock (move it with <see cref="ShiftedClock.Offset"/>).</summary>
    public ShiftedClock Clock { get; }

    public static async Task<SeriesWorld> StartAsync(ExchangeProtocol protocol, int horizonMonths, bool enableAlice = true)
    {
        var clock = new ShiftedClock();
        var w = await SyncWorld.StartAsync(new Dictionary<string, string?> { ["Connector:Sync:SeriesExtendSeconds"] = "1" }, protocol: protocol,
            configureConnector: b => b.Services.AddSingleton<TimeProvider>(clock));
        var store = w.Service<SettingsStore>();
        var current = (await store.GetAsync()).Settings;
        await store.SaveAsync(current with { RecurrenceHorizonMonths = horizonMonths }, SecretUpdate.Keep, SecretUpdate.Keep);
        if (enableAlice) await w.EnableAsync(w.AliceId, SyncWorld.Alice);
        return new SeriesWorld(w, clock);
    }

    /// <summary>The live (not deleted) occurrence records of a series, by index.</summary>
    public Task<IReadOnlyList<CrmOccurrenceRow>> RecordsAsync(string uid) => W.CrmQueryAsync<CrmOccurrenceRow>("""
        SELECT a.activityid AS Id, a.recurr_idx AS Idx, a.ical_uuid AS Uid, a.subject AS Subject, a.location AS Location,
               a.date_start AS DateStart, a.time_start AS TimeStart, a.due_date AS DueDate, a.time_end AS TimeEnd,
               a.is_all_day_event AS AllDay, a.recurringtype AS RecurringType
        FROM vte_activity a JOIN vte_crmentity e ON e.crmid = a.activityid
        WHERE e.deleted = 0 AND a.ical_uuid = @uid ORDER BY a.recurr_idx, a.activityid
        """, new { uid });

    /// <summary>Waits until the series' records satisfy <paramref name="done"/> and the connector is quiet, then returns them.</summary>
    public async Task<IReadOnlyList<CrmOccurrenceRow>> RecordsWhenAsync(string uid, Func<IReadOnlyList<CrmOccurrenceRow>, bool> done, string what,
        double seconds = 60)
    {
        try { await SyncWorld.Eventually(async () => done(await RecordsAsync(uid)) ? (object)true : null, what, seconds); }
        catch (TimeoutException e)
        {
            // Say what the connector did instead: failed items, and the jobs still waiting.
            var jobs = await W.ConnectorQueryAsync<string>(
                "SELECT CONCAT(kind, ' ', state, ' attempts=', attempts, ' ', COALESCE(last_error, '')) FROM exc_jobs WHERE state <> 'Done' ORDER BY id DESC LIMIT 10");
            // And what it did: the series jobs that ran, the series it linked.
            var ran = await W.ConnectorQueryAsync<string>("""
                SELECT CONCAT(kind, ' ', DATE_FORMAT(updated_at, '%H:%i:%s.%f'), ' ', LEFT(payload, 160)) FROM exc_jobs
                WHERE state = 'Done' AND kind IN ('series.sync', 'item.sync', 'exchange.change') ORDER BY id
                """);
            var linked = await W.ConnectorQueryAsync<string>("SELECT CONCAT(crm_uid, ' ', COALESCE(ical_uid, '')) FROM exc_series_links");
            throw new TimeoutException($"{e.Message} ({uid}); records: {(await RecordsAsync(uid)).Count}; jobs: {string.Join(" | ", jobs)}; "
                + $"ran: {string.Join(" | ", ran)}; series linked: {string.Join(" | ", linked)}", e);
        }
        await W.QuietAsync(seconds);
        return await RecordsAsync(uid);
    }

    /// <summary>
    /// A series as vtenext's repeat stores it, for Alice: one record per date (through the webservice, no change notice),
    /// sharing <paramref name="uid"/> as <c>ical_uuid</c>, numbered by <c>recurr_idx</c>, the rule rows on the first record.
    /// </summary>
    public async Task<IReadOnlyList<Connector.Vtenext.Webservice.ElementId>> SeedCrmSeriesAsync(string subject, IReadOnlyList<DateOnly> dates, TimeOnly start,
        string uid, string recurringInfo)
    {
        var ids = await W.SeedCrmEventsAsync(W.AliceId, dates.Select(d => (subject, d.ToDateTime(start))));
        for (var i = 0; i < ids.Count; i++)
            await W.CrmScalarAsync<int>("UPDATE vte_activity SET ical_uuid = @uid, recurr_idx = @i, recurringtype = 'Weekly' WHERE activityid = @id",
                new { uid, i, id = ids[i].CrmId });
        foreach (var d in dates)
            await W.CrmScalarAsync<int>("""
                INSERT INTO vte_recurringevents (activityid, recurringdate, recurringtype, recurringfreq, recurringinfo)
                VALUES (@id, @d, 'Weekly', 1, @recurringInfo)
                """, new { id = ids[0].CrmId, d = d.ToDateTime(TimeOnly.MinValue), recurringInfo });
        return ids;
    }

    /// <summary>Creates a series in Alice's mailbox as Outlook would (local times in a Windows zone).</summary>
    public Task<Event> CreateExchangeSeriesAsync(string subject, DateTime firstStartLocal, TimeSpan duration, string windowsZone,
        PatternedRecurrence recurrence, bool allDay = false) =>
        W.Mailbox(SyncWorld.Alice).CreateEventAsync(new Event
        {
            Subject = subject,
            Start = Local(firstStartLocal, windowsZone),
            End = Local(firstStartLocal + duration, windowsZone),
            IsAllDay = allDay,
            Location = new Location { DisplayName = "Room 1" },
            Recurrence = recurrence,
        });

    public static PatternedRecurrence Weekly(DayOfWeek day, DateOnly start, string windowsZone, int? count = null) => new()
    {
        Pattern = new RecurrencePattern { Type = "weekly", Interval = 1, DaysOfWeek = [day.ToString().ToLowerInvariant()], FirstDayOfWeek = "sunday" },
        Range = new RecurrenceRange
        {
            Type = count is null ? "noEnd" : "numbered", NumberOfOccurrences = count,
            StartDate = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), RecurrenceTimeZone = windowsZone,
        },
    };

    /// <summary>The pattern dates of a weekly series from <paramref name="first"/> up to <paramref name="until"/>.</summary>
    public static List<DateOnly> WeeklyDates(DateOnly first, DateOnly until)
    {
        var dates = new List<DateOnly>();
        for (var d = first; d <= until; d = d.AddDays(7)) dates.Add(d);
        return dates;
    }

    /// <summary>The connector's today (its clock may be moved).</summary>
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    public static DateOnly NextWeekday(DateOnly from, DayOfWeek day)
    {
        var d = from.AddDays(1);
        while (d.DayOfWeek != day) d = d.AddDays(1);
        return d;
    }

    public ValueTask DisposeAsync() => W.DisposeAsync();
}
