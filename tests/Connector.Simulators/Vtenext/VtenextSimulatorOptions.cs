namespace Connector.Simulators.Vtenext;

/// <summary>The <c>Vtenext</c> configuration section of the simulator host.</summary>
public sealed class VtenextSimulatorOptions
{
    public const string Section = "Vtenext";

    /// <summary>MariaDB database holding the <c>vte_</c> tables (created from schema.sql when missing). Empty: vtenext is not simulated.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>vtenext's <c>$default_timezone</c>: the zone every stored date/time is in.</summary>
    public string ServerTimeZone { get; set; } = "Europe/Rome";

    /// <summary>Rows one query returns at most. vtenext 20.04 answers a query without LIMIT with up to 1000 rows,
    /// vtiger caps every page at 100; the default models the stricter cap so clients must page.</summary>
    public int MaxRowsPerQuery { get; set; } = 100;

    /// <summary>A web service session ends after this much inactivity (vtenext: 1800 s).</summary>
    public int SessionIdleSeconds { get; set; } = 1800;

    /// <summary>…and after this long in any case (vtenext: 86400 s).</summary>
    public int SessionLifeSeconds { get; set; } = 86400;
}
