using Connector.Core.Calendar;
using Connector.Core.Mailboxes;
using Connector.Core.Recurrence.Materialised;

namespace Connector.Sync.Ports;

/// <summary>
/// A CRM series as the CRM holds it: one record per occurrence sharing <see cref="Uid"/> (vtenext <c>ical_uuid</c>),
/// numbered by index, and the series model they make (<see cref="Series"/>: pattern and range from the CRM's rule,
/// exceptions where a record differs, deleted occurrences where an index has no record; null when the records carry
/// no rule the model can read). <see cref="ModifiedAt"/> is the newest record's change.
/// </summary>
public sealed record CrmSeries(
    string Uid,
    CalendarEvent? Series,
    IReadOnlyList<SeriesRecord> Records,
    Owner Owner,
    DateTimeOffset ModifiedAt);

/// <summary>
/// Series operations of the CRM (implemented next to <see cref="ICrmGateway"/> by the vtenext adapter). Errors as
/// <see cref="ICrmGateway"/>.
/// </summary>
public interface ICrmSeriesGateway
{
    /// <summary>
    /// The series with this uid; null when no live record carries it. The records are kept from
    /// <paramref name="materialisedFrom"/> up to <paramref name="materialisedUntil"/>: pattern dates outside that no
    /// record holds are not deleted occurrences.
    /// </summary>
    Task<CrmSeries?> ReadSeriesAsync(string uid, DateOnly materialisedFrom, DateOnly materialisedUntil, CancellationToken ct);

    /// <summary>
    /// Applies <paramref name="plan"/> to the series' records (new records carry <paramref name="uid"/> and their index;
    /// updates keep each record's id; deletes trash) and stores the CRM's repeat rule for <paramref name="series"/> up to
    /// <paramref name="horizon"/>. New records are owned by <paramref name="owner"/>. Returns the series as now stored
    /// (read as kept from <paramref name="materialisedFrom"/>).
    /// </summary>
    Task<CrmSeries> ApplySeriesAsync(string uid, Owner owner, CalendarEvent series, DateOnly materialisedFrom, DateOnly horizon, SeriesRecordPlan plan,
        CancellationToken ct);
}
