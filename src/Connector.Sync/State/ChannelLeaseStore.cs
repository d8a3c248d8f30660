using Connector.Storage.Database;
using Dapper;

namespace Connector.Sync.State;

/// <summary>
/// Who runs a mailbox's change channel when several connector instances share the database (DESIGN.md §5): a lease row
/// per mailbox, renewed while alive, taken over by another instance once it lapses. MySQL is the only coordinator.
/// </summary>
public sealed class ChannelLeaseStore(DbConnectionFactory db)
{
    /// <summary>Takes or renews the lease; true when <paramref name="owner"/> holds it afterwards.</summary>
    public async Task<bool> TryAcquireAsync(string mailbox, string owner, TimeSpan duration, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var args = new { mailbox = mailbox.ToLowerInvariant(), owner, ms = (long)duration.TotalMilliseconds };
        // Only a lapsed lease, or our own, is overwritten; the row lock settles two instances racing for it.
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_channel_leases (mailbox, owner, expires_at)
            VALUES (@mailbox, @owner, DATE_ADD(UTC_TIMESTAMP(6), INTERVAL @ms * 1000 MICROSECOND))
            ON DUPLICATE KEY UPDATE
              owner = IF(expires_at < UTC_TIMESTAMP(6) OR owner = VALUES(owner), VALUES(owner), owner),
              expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)
            """, args, cancellationToken: ct));
        var holder = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT owner FROM exc_channel_leases WHERE mailbox = @mailbox", args, cancellationToken: ct));
        return holder == owner;
    }

    /// <summary>
    /// Renews every lease <paramref name="owner"/> holds (a lapsed one nobody took over included, as
    /// <see cref="TryAcquireAsync"/> would) and tells who holds each live lease: one check of thousands of channels is two
    /// statements, not an upsert per mailbox.
    /// </summary>
    public async Task<LeaseHolders> RenewAllAsync(string owner, TimeSpan duration, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE exc_channel_leases SET expires_at = DATE_ADD(UTC_TIMESTAMP(6), INTERVAL @ms * 1000 MICROSECOND) WHERE owner = @owner
            """, new { owner, ms = (long)duration.TotalMilliseconds }, cancellationToken: ct));
        var live = await c.QueryAsync<(string Mailbox, string Owner)>(new CommandDefinition(
            "SELECT mailbox, owner FROM exc_channel_leases WHERE expires_at >= UTC_TIMESTAMP(6)", cancellationToken: ct));
        return new LeaseHolders(owner, live);
    }

    public async Task ReleaseAsync(string mailbox, string owner, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM exc_channel_leases WHERE mailbox = @mailbox AND owner = @owner",
            new { mailbox = mailbox.ToLowerInvariant(), owner }, cancellationToken: ct));
    }

    public async Task<string?> HolderAsync(string mailbox, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT owner FROM exc_channel_leases WHERE mailbox = @mailbox AND expires_at >= UTC_TIMESTAMP(6)",
            new { mailbox = mailbox.ToLowerInvariant() }, cancellationToken: ct));
    }
}

/// <summary>Who held each live channel lease when <see cref="ChannelLeaseStore.RenewAllAsync"/> looked.</summary>
public sealed class LeaseHolders(string me, IEnumerable<(string Mailbox, string Owner)> live)
{
    private readonly Dictionary<string, string> _owners = live.ToDictionary(l => l.Mailbox, l => l.Owner, StringComparer.OrdinalIgnoreCase);

    public bool HeldByMe(string mailbox) => _owners.TryGetValue(mailbox, out var owner) && owner == me;

    public bool HeldByAnother(string mailbox) => _owners.TryGetValue(mailbox, out var owner) && owner != me;
}
