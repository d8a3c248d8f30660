using Connector.Core.Calendar;
using Connector.Core.Common;

namespace Connector.Sync.Ports;

/// <summary>
/// A recurring series as one mailbox holds it: the master (<see cref="ExchangeItem.Entity"/> is a
/// <see cref="CalendarEvent"/> whose <see cref="CalendarEvent.Recurrence"/> carries pattern, range, series zone, the
/// modified occurrences and the deleted ones, each keyed by its original date in the series zone) and the Exchange id
/// of each occurrence up to the date asked for, where the protocol gives occurrences ids of their own (Graph
/// instances; EWS addresses occurrences by master + index, so its map may be empty). The engine links CRM occurrence
/// records to these ids, so a feed reporting an occurrence as removed finds its series.
/// </summary>
public sealed record ExchangeSeries(ExchangeItem Master, IReadOnlyDictionary<DateOnly, string> OccurrenceIds);

/// <summary>
/// Series operations of a mailbox (implemented next to <see cref="IExchangeMailbox"/> by the Graph and EWS adapters).
/// Occurrences are always named by their original date in the series zone. Exceptions and deleted occurrences after
/// <c>until</c> may be left out of a read and are left alone by a write (the CRM holds occurrences only up to its
/// horizon). Errors as <see cref="IExchangeMailbox"/>; an occurrence move Exchange refuses (onto or past a neighbour)
/// is a <see cref="PermanentSyncException"/> whose message names the dates, checked before anything is written.
/// </summary>
public interface IExchangeSeriesMailbox
{
    /// <summary>The series whose master is <paramref name="masterId"/>; null when the server says it is gone.</summary>
    Task<ExchangeSeries?> ReadSeriesAsync(string masterId, DateOnly until, CancellationToken ct);

    /// <summary>
    /// Creates the series (stamped with <paramref name="crm"/>, like <see cref="IExchangeMailbox.CreateAsync"/>), then
    /// applies its modified and deleted occurrences up to <paramref name="until"/>; returns it as now stored.
    /// </summary>
    Task<ExchangeSeries> CreateSeriesAsync(CrmKey crm, CalendarEvent series, DateOnly until, bool sendInvitations, CancellationToken ct);

    /// <summary>
    /// Makes the series at <paramref name="master"/> hold <paramref name="series"/> up to <paramref name="until"/>: the
    /// master when its own fields, pattern, range or zone changed ("edit all"; Exchange drops exceptions when the pattern
    /// changes, so they are applied again), then each occurrence newly deleted, modified or returned to the series'
    /// values. Returns the series as now stored.
    /// </summary>
    Task<ExchangeSeries> UpdateSeriesAsync(ExchangeKey master, CalendarEvent series, DateOnly until, bool sendInvitations, CancellationToken ct);
}
