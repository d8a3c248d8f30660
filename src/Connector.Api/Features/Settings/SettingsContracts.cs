using System.ComponentModel;
using Connector.Core.Settings;

namespace Connector.Api.Features.Settings;

/// <summary>Feature switches: which record types are kept in step.</summary>
public sealed record FeaturesDto(bool Calendar, bool Tasks, bool Contacts)
{
    public FeatureSet ToFeatureSet() => new(Calendar, Tasks, Contacts);

    public static FeaturesDto From(FeatureSet f) => new(f.Calendar, f.Tasks, f.Contacts);
}

/// <summary>
/// The whole settings document (PUT replaces it; omitted fields take their defaults). Secrets are write-only:
/// omit them or send null to keep the stored value, send "" to clear it.
/// </summary>
public sealed record SettingsRequest
{
    public ExchangeKind? ExchangeKind { get; init; }
    [Description("EWS endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx (required for onPremises).")]
    public string? EwsUrl { get; init; }
    [Description("Graph root; default https://graph.microsoft.com (national clouds and simulators differ).")]
    public string? GraphBaseUrl { get; init; }
    [Description("OAuth2 authority host; default https://login.microsoftonline.com.")]
    public string? AuthorityHost { get; init; }
    public string? TenantId { get; init; }
    public string? ClientId { get; init; }
    [Description("Write-only. Omit or null: keep; empty string: clear.")]
    public string? ClientSecret { get; init; }
    [Description("Public https URL where Graph posts change notifications; without it the connector polls delta.")]
    public string? NotificationUrl { get; init; }
    public string? VtenextUrl { get; init; }
    public string? VtenextUser { get; init; }
    [Description("Write-only. Omit or null: keep; empty string: clear.")]
    public string? VtenextAccessKey { get; init; }
    public FeaturesDto? Features { get; init; }
    public ContactSyncMode? ContactSyncMode { get; init; }
    public ConflictPolicy? ConflictPolicy { get; init; }
    [Description("Five-field cron expression, server time.")]
    public string? ErrorCheckSchedule { get; init; }
    [Description("Five-field cron expression, server time.")]
    public string? UserInitSchedule { get; init; }
    public int? RecurrenceHorizonMonths { get; init; }

    public ConnectorSettings ToSettings()
    {
        var d = ConnectorSettings.Defaults;
        return new ConnectorSettings
        {
            ExchangeKind = ExchangeKind ?? d.ExchangeKind,
            EwsUrl = EwsUrl,
            GraphBaseUrl = GraphBaseUrl ?? d.GraphBaseUrl,
            AuthorityHost = AuthorityHost ?? d.AuthorityHost,
            TenantId = TenantId,
            ClientId = ClientId,
            NotificationUrl = NotificationUrl,
            VtenextUrl = VtenextUrl,
            VtenextUser = VtenextUser,
            Features = Features?.ToFeatureSet() ?? d.Features,
            ContactSyncMode = ContactSyncMode ?? d.ContactSyncMode,
            ConflictPolicy = ConflictPolicy ?? d.ConflictPolicy,
            ErrorCheckSchedule = ErrorCheckSchedule ?? d.ErrorCheckSchedule,
            UserInitSchedule = UserInitSchedule ?? d.UserInitSchedule,
            RecurrenceHorizonMonths = RecurrenceHorizonMonths ?? d.RecurrenceHorizonMonths,
        };
    }
}

/// <summary>The settings as stored. Secrets are never returned, only whether they are set.</summary>
public sealed record SettingsResponse(
    ExchangeKind ExchangeKind, string? EwsUrl, string GraphBaseUrl, string AuthorityHost, string? TenantId, string? ClientId,
    bool ClientSecretSet, string? NotificationUrl, string? VtenextUrl, string? VtenextUser, bool VtenextAccessKeySet,
    FeaturesDto Features, ContactSyncMode ContactSyncMode, ConflictPolicy ConflictPolicy, string ErrorCheckSchedule,
    string UserInitSchedule, int RecurrenceHorizonMonths, DateTime? UpdatedAt)
{
    public static SettingsResponse From(Storage.Settings.StoredSettings stored)
    {
        var s = stored.Settings;
        return new(s.ExchangeKind, s.EwsUrl, s.GraphBaseUrl, s.AuthorityHost, s.TenantId, s.ClientId, stored.ClientSecretSet,
            s.NotificationUrl, s.VtenextUrl, s.VtenextUser, stored.VtenextAccessKeySet, FeaturesDto.From(s.Features),
            s.ContactSyncMode, s.ConflictPolicy, s.ErrorCheckSchedule, s.UserInitSchedule, s.RecurrenceHorizonMonths, stored.UpdatedAt);
    }
}
