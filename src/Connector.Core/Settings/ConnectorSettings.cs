namespace Connector.Core.Settings;

/// <summary>Which Exchange the connector talks to: Exchange Online through Graph, or on-premises through EWS.</summary>
public enum ExchangeKind { Microsoft365, OnPremises }

/// <summary>Which CRM contacts are pushed (one way) to a user's mailbox.</summary>
public enum ContactSyncMode { Off, Owned, Visible }

/// <summary>Who wins when both sides changed the same record since the last sync.</summary>
public enum ConflictPolicy { NewestWins, CrmWins, ExchangeWins }

/// <summary>The record types the connector keeps in step.</summary>
public sealed record FeatureSet(bool Calendar = true, bool Tasks = true, bool Contacts = true)
{
    public static FeatureSet All { get; } = new();

    /// <summary>A feature is on for a user only when the admin and the user both turned it on.</summary>
    public FeatureSet Intersect(FeatureSet other) =>
        new(Calendar && other.Calendar, Tasks && other.Tasks, Contacts && other.Contacts);
}

/// <summary>
/// What the admin sets in the control panel. Secrets are not here: they live encrypted in the store and
/// are only ever reported as "set" or "not set".
/// </summary>
public sealed record ConnectorSettings
{
    public const string PublicGraphBaseUrl = "https://graph.microsoft.com";
    public const string PublicAuthorityHost = "https://login.microsoftonline.com";

    public ExchangeKind ExchangeKind { get; init; } = ExchangeKind.Microsoft365;
    public string? EwsUrl { get; init; }
    public string GraphBaseUrl { get; init; } = PublicGraphBaseUrl;
    public string AuthorityHost { get; init; } = PublicAuthorityHost;
    public string? TenantId { get; init; }
    public string? ClientId { get; init; }
    public string? NotificationUrl { get; init; }
    public string? VtenextUrl { get; init; }
    public string? VtenextUser { get; init; }
    public FeatureSet Features { get; init; } = FeatureSet.All;
    public ContactSyncMode ContactSyncMode { get; init; } = ContactSyncMode.Owned;
    public ConflictPolicy ConflictPolicy { get; init; } = ConflictPolicy.NewestWins;
    public string ErrorCheckSchedule { get; init; } = "*/15 * * * *";
    public string UserInitSchedule { get; init; } = "0 2 * * *";
    public int RecurrenceHorizonMonths { get; init; } = 12;

    public static ConnectorSettings Defaults { get; } = new();
}
