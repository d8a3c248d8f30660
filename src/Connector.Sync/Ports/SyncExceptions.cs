namespace Connector.Sync.Ports;

/// <summary>A failure worth retrying (throttled, timed out, server busy); <see cref="RetryAfter"/> is what the server asked.</summary>
public class TransientSyncException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A failure retrying cannot fix (content refused, no permission): the item waits for an admin.</summary>
public class PermanentSyncException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The item changed since it was read (ChangeKey / If-Match mismatch): read it again and re-plan.</summary>
public sealed class StaleChangeKeyException(string message, Exception? inner = null) : TransientSyncException(message, TimeSpan.Zero, inner);

/// <summary>
/// The mailbox cannot be reached until the user signs in again (refresh token expired or revoked, EWS password refused).
/// <see cref="CrmUserId"/> names the user when the adapter knows it, so the user's state can say so.
/// </summary>
public sealed class NeedsSignInException(string message, Exception? inner = null) : PermanentSyncException(message, inner)
{
    public int? CrmUserId { get; init; }
}
