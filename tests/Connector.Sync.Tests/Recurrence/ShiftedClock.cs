namespace Connector.Sync.Tests.Recurrence;

/// <summary>The system clock moved by <see cref="Offset"/>: a test moves the connector's "now" forward (timers keep real time).</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
