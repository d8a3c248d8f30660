using Connector.Core.Common;
using Connector.Core.Links;
using Connector.Core.Sync;
using Connector.Storage.Database;
using Dapper;

namespace Connector.Sync.State;

/// <summary>
/// The links (<c>exc_links</c>): one row per CRM record × mailbox. Written right after every write on either side, so a
/// crash between two steps finds the pairing (or, for a create whose link was lost, the CRM-id stamp) on retry.
/// </summary>
public sealed class LinkStore(DbConnectionFactory db)
{
    public async Task<IReadOnlyList<SyncLink>> ForRecordAsync(CrmKey crm, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<LinkRow>(new CommandDefinition(
            "SELECT * FROM exc_links WHERE kind = @kind AND crm_id = @id ORDER BY mailbox",
            new { kind = crm.Kind.ToString(), id = crm.CrmId }, cancellationToken: ct));
        return rows.Select(r => r.ToLink()).ToList();
    }

    /// <summary>The occurrence records' links of one series in one mailbox.</summary>
    public async Task<IReadOnlyList<SyncLink>> ForSeriesAsync(string mailbox, string seriesUid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<LinkRow>(new CommandDefinition(
            "SELECT * FROM exc_links WHERE mailbox = @mailbox AND series_uid = @seriesUid ORDER BY occurrence_index",
            new { mailbox = Normalise(mailbox), seriesUid }, cancellationToken: ct));
        return rows.Select(r => r.ToLink()).ToList();
    }

    public async Task<SyncLink?> ForItemAsync(string mailbox, string itemId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QueryFirstOrDefaultAsync<LinkRow>(new CommandDefinition(
            "SELECT * FROM exc_links WHERE mailbox = @mailbox AND item_id = @itemId LIMIT 1",
            new { mailbox = Normalise(mailbox), itemId }, cancellationToken: ct));
        return row?.ToLink();
    }

    /// <summary>The CRM records linked to a meeting with this iCalUId in any mailbox.</summary>
    public async Task<IReadOnlyList<CrmKey>> RecordsWithICalUIdAsync(string iCalUId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Kind, long CrmId)>(new CommandDefinition(
            "SELECT DISTINCT kind, crm_id FROM exc_links WHERE ical_uid = @iCalUId", new { iCalUId }, cancellationToken: ct));
        return rows.Select(r => new CrmKey(Enum.Parse<RecordKind>(r.Kind), r.CrmId)).ToList();
    }

    /// <summary>Which of these records already have a link in the mailbox.</summary>
    public async Task<IReadOnlySet<CrmKey>> LinkedInMailboxAsync(string mailbox, IReadOnlyCollection<CrmKey> records, CancellationToken ct = default)
    {
        if (records.Count == 0) return new HashSet<CrmKey>();
        await using var c = await db.OpenAsync(ct);
        var found = new HashSet<CrmKey>();
        foreach (var kind in records.GroupBy(r => r.Kind))
        {
            var ids = await c.QueryAsync<long>(new CommandDefinition(
                "SELECT crm_id FROM exc_links WHERE mailbox = @mailbox AND kind = @kind AND crm_id IN @ids",
                new { mailbox = Normalise(mailbox), kind = kind.Key.ToString(), ids = kind.Select(k => k.CrmId).ToList() }, cancellationToken: ct));
            foreach (var id in ids) found.Add(new CrmKey(kind.Key, id));
        }
        return found;
    }

    /// <summary>
    /// Of these items of the mailbox, the ids whose link holds exactly their ChangeKey: unchanged since the connector last
    /// wrote or read them (its own writes coming back through the change feed).
    /// </summary>
    public async Task<IReadOnlySet<string>> UnchangedSinceLinkedAsync(string mailbox, IReadOnlyCollection<ExchangeKey> items, CancellationToken ct = default)
    {
        var keyed = items.Where(i => !string.IsNullOrEmpty(i.ChangeKey)).ToList();
        if (keyed.Count == 0) return new HashSet<string>();
        await using var c = await db.OpenAsync(ct);
        var linked = await c.QueryAsync<(string ItemId, string? ChangeKey)>(new CommandDefinition(
            "SELECT item_id, change_key FROM exc_links WHERE mailbox = @mailbox AND item_id IN @ids",
            new { mailbox = Normalise(mailbox), ids = keyed.Select(i => i.ItemId).Distinct().ToList() }, cancellationToken: ct));
        var stored = linked.Where(l => l.ChangeKey is not null).ToLookup(l => l.ItemId, l => l.ChangeKey, StringComparer.Ordinal);
        return keyed.Where(i => stored[i.ItemId].Contains(i.ChangeKey, StringComparer.Ordinal)).Select(i => i.ItemId).ToHashSet(StringComparer.Ordinal);
    }

    /// <param name="createdItem">the connector has just created the item: it awaits its echo from the change feed
    /// (<see cref="AwaitingEchoAsync"/>); other saves keep the mark until the feed clears it.</param>
    public async Task SaveAsync(SyncLink link, CancellationToken ct = default, bool createdItem = false)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_links (kind, crm_id, mailbox, item_id, change_key, ical_uid, crm_fingerprint, exchange_fingerprint, role,
                                   series_uid, series_master, occurrence_index, original_date, synced_at, awaiting_echo)
            VALUES (@Kind, @CrmId, @Mailbox, @ItemId, @ChangeKey, @ICalUId, @CrmFingerprint, @ExchangeFingerprint, @Role,
                    @SeriesUid, @SeriesMaster, @OccurrenceIndex, @OriginalDate, @SyncedAt, @AwaitingEcho)
            ON DUPLICATE KEY UPDATE item_id = VALUES(item_id), change_key = VALUES(change_key), ical_uid = VALUES(ical_uid),
              crm_fingerprint = VALUES(crm_fingerprint), exchange_fingerprint = VALUES(exchange_fingerprint), role = VALUES(role),
              series_uid = VALUES(series_uid), series_master = VALUES(series_master), occurrence_index = VALUES(occurrence_index),
              original_date = VALUES(original_date), synced_at = VALUES(synced_at), awaiting_echo = GREATEST(awaiting_echo, VALUES(awaiting_echo))
            """, new
        {
            Kind = link.Crm.Kind.ToString(), link.Crm.CrmId, Mailbox = Normalise(link.Mailbox), link.Exchange.ItemId, link.Exchange.ChangeKey,
            ICalUId = link.Exchange.ICalUId, CrmFingerprint = link.CrmFingerprint.Value, ExchangeFingerprint = link.ExchangeFingerprint.Value,
            Role = link.Role.ToString(), SeriesUid = link.Series?.SeriesUid, SeriesMaster = link.Series?.IsMaster ?? false,
            OccurrenceIndex = link.Series?.OccurrenceIndex, OriginalDate = link.Series?.OriginalDate?.ToDateTime(TimeOnly.MinValue),
            SyncedAt = link.SyncedAt.UtcDateTime, AwaitingEcho = createdItem,
        }, cancellationToken: ct));
    }

    /// <summary>Items of one kind the connector created in <paramref name="mailbox"/> that the change feed has not reported yet.</summary>
    public async Task<IReadOnlyList<string>> AwaitingEchoAsync(string mailbox, RecordKind kind, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT item_id FROM exc_links WHERE awaiting_echo = 1 AND mailbox = @mailbox AND kind = @kind",
            new { mailbox = Normalise(mailbox), kind = kind.ToString() }, cancellationToken: ct))).ToList();
    }

    /// <summary>The feed has read past these items (reported, or to be looked at by a queued job).</summary>
    public static Task ClearAwaitingEchoAsync(MySql.Data.MySqlClient.MySqlConnection c, MySql.Data.MySqlClient.MySqlTransaction tx, string mailbox,
        IReadOnlyCollection<string> itemIds, CancellationToken ct) =>
        itemIds.Count == 0 ? Task.CompletedTask : c.ExecuteAsync(new CommandDefinition(
            "UPDATE exc_links SET awaiting_echo = 0 WHERE mailbox = @mailbox AND item_id IN @itemIds",
            new { mailbox = Normalise(mailbox), itemIds }, tx, cancellationToken: ct));

    public async Task DeleteAsync(CrmKey crm, string mailbox, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM exc_links WHERE kind = @kind AND crm_id = @id AND mailbox = @mailbox",
            new { kind = crm.Kind.ToString(), id = crm.CrmId, mailbox = Normalise(mailbox) }, cancellationToken: ct));
    }

    public async Task<int> CountAsync(string? mailbox = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM exc_links WHERE @mailbox IS NULL OR mailbox = @mailbox", new { mailbox = mailbox is null ? null : Normalise(mailbox) },
            cancellationToken: ct));
    }

    private static string Normalise(string mailbox) => mailbox.Trim().ToLowerInvariant();

#pragma warning disable IDE1006 // column names
    private sealed record LinkRow
    {
        public string kind { get; init; } = "";
        public long crm_id { get; init; }
        public string mailbox { get; init; } = "";
        public string item_id { get; init; } = "";
        public string? change_key { get; init; }
        public string? ical_uid { get; init; }
        public string crm_fingerprint { get; init; } = "";
        public string exchange_fingerprint { get; init; } = "";
        public string role { get; init; } = "";
        public string? series_uid { get; init; }
        public bool series_master { get; init; }
        public int? occurrence_index { get; init; }
        public DateTime? original_date { get; init; }
        public DateTime synced_at { get; init; }

        public SyncLink ToLink() => new()
        {
            Crm = new CrmKey(Enum.Parse<RecordKind>(kind), crm_id),
            Mailbox = mailbox,
            Exchange = new ExchangeKey(item_id, change_key, ical_uid),
            CrmFingerprint = new Fingerprint(crm_fingerprint),
            ExchangeFingerprint = new Fingerprint(exchange_fingerprint),
            Role = Enum.Parse<CopyRole>(role),
            Series = series_uid is null ? null
                : new SeriesInfo(series_uid, series_master, occurrence_index, original_date is { } d ? DateOnly.FromDateTime(d) : null),
            SyncedAt = new DateTimeOffset(DateTime.SpecifyKind(synced_at, DateTimeKind.Utc)),
        };
    }
#pragma warning restore IDE1006
}
