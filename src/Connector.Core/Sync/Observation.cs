namespace Connector.Core.Sync;

/// <summary>What a read or a change notice told us about one side of a pair.</summary>
public enum ObservationKind
{
    /// <summary>Nothing is known: not read, or absent from a read. Never a reason to delete (no mass deletes).</summary>
    Unknown,

    /// <summary>The record exists with this content.</summary>
    Present,

    /// <summary>An explicit delete signal (CRM trash hook or reconciliation of `deleted`; Exchange delete notice).</summary>
    Deleted,
}

/// <summary>
/// One side's state: present with content and the time it last changed, explicitly deleted (and when, if known),
/// or unknown.
/// </summary>
public sealed record Observation<T> where T : class, ISyncEntity
{
    private Observation(ObservationKind kind, T? entity, DateTimeOffset? at)
    {
        Kind = kind;
        Entity = entity;
        At = at;
    }

    public ObservationKind Kind { get; }
    public T? Entity { get; }

    /// <summary>When the side last changed (Present) or was deleted (Deleted); null if the side does not say.</summary>
    public DateTimeOffset? At { get; }

    public static Observation<T> Unknown { get; } = new(ObservationKind.Unknown, null, null);

    public static Observation<T> Present(T entity, DateTimeOffset? changedAt = null) =>
        new(ObservationKind.Present, entity ?? throw new ArgumentNullException(nameof(entity)), changedAt);

    public static Observation<T> Deleted(DateTimeOffset? deletedAt = null) => new(ObservationKind.Deleted, null, deletedAt);

    public override string ToString() => Kind == ObservationKind.Present ? $"Present({At:u})" : Kind.ToString();
}
