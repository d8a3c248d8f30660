namespace Connector.Sync.Engine;

/// <summary>
/// The engine's options (configuration section <c>Connector:Sync</c>): the window initial sync and calendar feeds read
/// (days back and ahead of now), and how often a mailbox without push is polled.
/// </summary>
public sealed class SyncOptions
{
    public const string Section = "Connector:Sync";

    public int WindowPastDays { get; set; } = 30;
    public int WindowFutureDays { get; set; } = 365;
    public double PollSeconds { get; set; } = 30;

    /// <summary>How often the channel supervisor looks for users enabled or disabled, and renews its leases.</summary>
    public double ChannelCheckSeconds { get; set; } = 5;

    /// <summary>How long a channel lease lasts without renewal before another instance may take the mailbox over.</summary>
    public double ChannelLeaseSeconds { get; set; } = 30;

    /// <summary>How often series without end are checked against the horizon (the <c>series.extend</c> schedule).</summary>
    public double SeriesExtendSeconds { get; set; } = 6 * 3600;

    public (DateTimeOffset From, DateTimeOffset To) Window(DateTimeOffset now) =>
        (Today(now).AddDays(-WindowPastDays), Today(now).AddDays(WindowFutureDays + 1));

    private static DateTimeOffset Today(DateTimeOffset now) => new(now.UtcDateTime.Date, TimeSpan.Zero);
}
