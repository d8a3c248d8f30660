using Connector.Core.Sync;
using Connector.Storage.Database;
using Dapper;

namespace Connector.Sync.State;

/// <summary>
/// A series synced in one mailbox: its Exchange master, its CRM uid, the fingerprint of each side's series when we last
/// wrote or read it, and the dates the CRM's occurrence records are kept in step from and up to (occurrences before
/// <see cref="MaterialisedFrom"/> are left as they are; <see cref="MaterialisedUntil"/> moves with the horizon).
/// </summary>
public sealed record SeriesLink
{
    public required string Mailbox { get; init; }
    public required string CrmUid { get; init; }
    public required string MasterId { get; init; }
    public string? ChangeKey { get; init; }
    public string? ICalUId { get; init; }
    public required int CrmUserId { get; init; }
    public required Fingerprint CrmFingerprint { get; init; }
    public required Fingerprint ExchangeFingerprint { get; init; }
    public required DateOnly MaterialisedFrom { get; init; }
    public required DateOnly MaterialisedUntil { get; init; }
}

/// <summary><c>exc_series_links</c>: written right after every series write, like the record links.</summary>
public sealed class SeriesLinkStore(DbConnectionFactory db)
{
    public async Task<SeriesLink?> ForUidAsync(string mailbox, string crmUid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT * FROM exc_series_links WHERE crm_uid = @crmUid AND mailbox = @mailbox",
            new { crmUid, mailbox = Normalise(mailbox) }, cancellationToken: ct)))?.ToLink();
    }

    public async Task<IReadOnlyList<SeriesLink>> ForUidAsync(string crmUid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Row>(new CommandDefinition("SELECT * FROM exc_series_links WHERE crm_uid = @crmUid ORDER BY mailbox",
            new { crmUid }, cancellationToken: ct))).Select(r => r.ToLink()).ToList();
    }

    public async Task<SeriesLink?> ForMasterAsync(string mailbox, string masterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT * FROM exc_series_links WHERE mailbox = @mailbox AND master_id = @masterId LIMIT 1",
            new { mailbox = Normalise(mailbox), masterId }, cancellationToken: ct)))?.ToLink();
    }

    /// <summary>Series whose records end before <paramref name="horizon"/> (candidates for extension).</summary>
    public async Task<IReadOnlyList<SeriesLink>> MaterialisedBeforeAsync(DateOnly horizon, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Row>(new CommandDefinition("SELECT * FROM exc_series_links WHERE materialised_until < @horizon ORDER BY id",
            new { horizon = horizon.ToDateTime(TimeOnly.MinValue) }, cancellationToken: ct))).Select(r => r.ToLink()).ToList();
    }

    public async Task SaveAsync(SeriesLink link, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_series_links (mailbox, crm_uid, master_id, change_key, ical_uid, crm_user_id, crm_fingerprint, exchange_fingerprint,
                                          materialised_from, materialised_until, synced_at)
            VALUES (@Mailbox, @CrmUid, @MasterId, @ChangeKey, @ICalUId, @CrmUserId, @CrmFingerprint, @ExchangeFingerprint, @MaterialisedFrom,
                    @MaterialisedUntil, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE master_id = VALUES(master_id), change_key = VALUES(change_key), ical_uid = VALUES(ical_uid),
              crm_user_id = VALUES(crm_user_id), crm_fingerprint = VALUES(crm_fingerprint), exchange_fingerprint = VALUES(exchange_fingerprint),
              materialised_from = VALUES(materialised_from), materialised_until = VALUES(materialised_until), synced_at = VALUES(synced_at)
            """, new
        {
            Mailbox = Normalise(link.Mailbox), link.CrmUid, link.MasterId, link.ChangeKey, link.ICalUId, link.CrmUserId,
            CrmFingerprint = link.CrmFingerprint.Value, ExchangeFingerprint = link.ExchangeFingerprint.Value,
            MaterialisedFrom = link.MaterialisedFrom.ToDateTime(TimeOnly.MinValue),
            MaterialisedUntil = link.MaterialisedUntil.ToDateTime(TimeOnly.MinValue),
        }, cancellationToken: ct));
    }

    public async Task DeleteAsync(string mailbox, string crmUid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM exc_series_links WHERE crm_uid = @crmUid AND mailbox = @mailbox",
            new { crmUid, mailbox = Normalise(mailbox) }, cancellationToken: ct));
    }

    private static string Normalise(string mailbox) => mailbox.Trim().ToLowerInvariant();

#pragma warning disable IDE1006 // column names
    private sealed record Row
    {
        public string mailbox { get; init; } = "";
        public string crm_uid { get; init; } = "";
        public string master_id { get; init; } = "";
        public string? change_key { get; init; }
        public string? ical_uid { get; init; }
        public int crm_user_id { get; init; }
        public string crm_fingerprint { get; init; } = "";
        public string exchange_fingerprint { get; init; } = "";
        public DateTime materialised_from { get; init; }
        public DateTime materialised_until { get; init; }

        public SeriesLink ToLink() => new()
        {
            Mailbox = mailbox, CrmUid = crm_uid, MasterId = master_id, ChangeKey = change_key, ICalUId = ical_uid, CrmUserId = crm_user_id,
            CrmFingerprint = new Fingerprint(crm_fingerprint), ExchangeFingerprint = new Fingerprint(exchange_fingerprint),
            MaterialisedFrom = DateOnly.FromDateTime(materialised_from),
            MaterialisedUntil = DateOnly.FromDateTime(materialised_until),
        };
    }
#pragma warning restore IDE1006
}
