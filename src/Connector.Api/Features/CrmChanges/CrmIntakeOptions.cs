namespace Connector.Api.Features.CrmChanges;

/// <summary>Settings of the CRM change intake, read from the <c>Connector</c> section (environment <c>Connector__*</c>).
/// The drain and the reconciliation run only when <c>ConnectionStrings:Vtenext</c> is set.</summary>
public sealed class CrmIntakeOptions
{
    /// <summary>vtenext's <c>$table_prefix</c>.</summary>
    public string VtenextTablePrefix { get; set; } = "vte";

    /// <summary>vtenext's <c>$default_timezone</c>: the zone of every date/time in its database.</summary>
    public string VtenextServerTimeZone { get; set; } = "Europe/Rome";

    /// <summary>How often the bridge's outbox is looked at (one small SELECT when it is empty); 0: never.</summary>
    public double OutboxDrainIntervalSeconds { get; set; } = 5;

    /// <summary>How often crmentity rows modified since the watermark are compared with what was seen; 0: never.</summary>
    public double CrmReconcileIntervalSeconds { get; set; } = 60;

    /// <summary>How often every calendar/contact row is compared (finds raw-SQL deletes that keep modifiedtime).</summary>
    public double CrmFullReconcileIntervalMinutes { get; set; } = 60;
}
