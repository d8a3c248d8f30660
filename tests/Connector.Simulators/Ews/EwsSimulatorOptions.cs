namespace Connector.Simulators.Ews;

/// <summary>
/// Knobs of the simulated EWS server, from configuration section <c>Ews</c> (<c>Ews:ServerVersion</c>,
/// <c>Ews:NtlmDomain</c>, <c>Ews:HeartbeatMilliseconds</c>, <c>Ews:ConnectionTimeoutMilliseconds</c>) and settable
/// at run time by tests. Real Exchange counts ConnectionTimeout in minutes; tests shorten it here.
/// </summary>
public sealed class EwsSimulatorOptions
{
    public SimulatedVersion ServerVersion { get; set; } = SimulatedVersion.Exchange2013_SP1;
    public string NtlmDomain { get; set; } = "CONTOSO";
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>When set, a GetStreamingEvents connection closes after this long instead of its ConnectionTimeout minutes.</summary>
    public TimeSpan? ConnectionTimeoutOverride { get; set; }

    public static EwsSimulatorOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Ews");
        var options = new EwsSimulatorOptions();
        if (Enum.TryParse<SimulatedVersion>(section["ServerVersion"], out var version)) options.ServerVersion = version;
        if (section["NtlmDomain"] is { Length: > 0 } domain) options.NtlmDomain = domain;
        if (int.TryParse(section["HeartbeatMilliseconds"], out var heartbeat)) options.Heartbeat = TimeSpan.FromMilliseconds(heartbeat);
        if (int.TryParse(section["ConnectionTimeoutMilliseconds"], out var timeout)) options.ConnectionTimeoutOverride = TimeSpan.FromMilliseconds(timeout);
        return options;
    }
}
