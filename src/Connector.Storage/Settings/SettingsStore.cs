using Connector.Core.Settings;
using Connector.Storage.Database;
using Connector.Storage.Secrets;
using Dapper;

namespace Connector.Storage.Settings;

/// <summary>The control panel's settings, as stored: the plain part plus whether each secret is set.</summary>
public sealed record StoredSettings(ConnectorSettings Settings, bool ClientSecretSet, bool VtenextAccessKeySet, DateTime? UpdatedAt);

public sealed class SettingsStore(DbConnectionFactory db, SecretProtector protector)
{
    /// <summary>
    /// How long a read row is reused. Every sync job reads the settings several times (engine, Exchange and vtenext
    /// adapters); the benchmark counted them among the ~20 round trips per change. A save here drops the copy at once;
    /// another instance's save is seen within this time.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly ShortLivedCache<SettingsRow?> _row = new(CacheFor);

    public async Task<StoredSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var row = await ReadRowAsync(cancellationToken);
        return row is null
            ? new StoredSettings(ConnectorSettings.Defaults, false, false, null)
            : new StoredSettings(row.ToSettings(), row.client_secret_protected is not null, row.vtenext_access_key_protected is not null, row.updated_at);
    }

    public async Task SaveAsync(ConnectorSettings settings, SecretUpdate clientSecret, SecretUpdate vtenextAccessKey,
        CancellationToken cancellationToken = default)
    {
        _row.Invalidate();
        var current = await ReadRowAsync(cancellationToken, fresh: true);
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exc_settings (id, exchange_kind, ews_url, graph_base_url, authority_host, tenant_id, client_id,
              client_secret_protected, notification_url, vtenext_url, vtenext_user, vtenext_access_key_protected,
              feature_calendar, feature_tasks, feature_contacts, contact_sync_mode, conflict_policy,
              error_check_schedule, user_init_schedule, recurrence_horizon_months, updated_at)
            VALUES (1, @ExchangeKind, @EwsUrl, @GraphBaseUrl, @AuthorityHost, @TenantId, @ClientId,
              @ClientSecret, @NotificationUrl, @VtenextUrl, @VtenextUser, @AccessKey,
              @Calendar, @Tasks, @Contacts, @ContactSyncMode, @ConflictPolicy,
              @ErrorCheckSchedule, @UserInitSchedule, @RecurrenceHorizonMonths, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE exchange_kind = VALUES(exchange_kind), ews_url = VALUES(ews_url),
              graph_base_url = VALUES(graph_base_url), authority_host = VALUES(authority_host), tenant_id = VALUES(tenant_id),
              client_id = VALUES(client_id), client_secret_protected = VALUES(client_secret_protected),
              notification_url = VALUES(notification_url), vtenext_url = VALUES(vtenext_url), vtenext_user = VALUES(vtenext_user),
              vtenext_access_key_protected = VALUES(vtenext_access_key_protected), feature_calendar = VALUES(feature_calendar),
              feature_tasks = VALUES(feature_tasks), feature_contacts = VALUES(feature_contacts),
              contact_sync_mode = VALUES(contact_sync_mode), conflict_policy = VALUES(conflict_policy),
              error_check_schedule = VALUES(error_check_schedule), user_init_schedule = VALUES(user_init_schedule),
              recurrence_horizon_months = VALUES(recurrence_horizon_months), updated_at = VALUES(updated_at)
            """,
            new
            {
                ExchangeKind = settings.ExchangeKind.ToString(),
                settings.EwsUrl, settings.GraphBaseUrl, settings.AuthorityHost, settings.TenantId, settings.ClientId,
                ClientSecret = clientSecret.Apply(current?.client_secret_protected, protector),
                settings.NotificationUrl, settings.VtenextUrl, settings.VtenextUser,
                AccessKey = vtenextAccessKey.Apply(current?.vtenext_access_key_protected, protector),
                settings.Features.Calendar, settings.Features.Tasks, settings.Features.Contacts,
                ContactSyncMode = settings.ContactSyncMode.ToString(), ConflictPolicy = settings.ConflictPolicy.ToString(),
                settings.ErrorCheckSchedule, settings.UserInitSchedule, settings.RecurrenceHorizonMonths,
            },
            cancellationToken: cancellationToken));
        _row.Invalidate();
    }

    /// <summary>The Microsoft 365 app's client secret, decrypted, for the Graph adapter only.</summary>
    public async Task<string?> GetClientSecretAsync(CancellationToken cancellationToken = default) =>
        (await ReadRowAsync(cancellationToken))?.client_secret_protected is { } c ? protector.Unprotect(c) : null;

    /// <summary>The vtenext integration user's access key, decrypted, for the webservice client only.</summary>
    public async Task<string?> GetVtenextAccessKeyAsync(CancellationToken cancellationToken = default) =>
        (await ReadRowAsync(cancellationToken))?.vtenext_access_key_protected is { } c ? protector.Unprotect(c) : null;

    private Task<SettingsRow?> ReadRowAsync(CancellationToken cancellationToken, bool fresh = false) => _row.GetAsync(async () =>
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SettingsRow>(
            new CommandDefinition("SELECT * FROM exc_settings WHERE id = 1", cancellationToken: cancellationToken));
    }, fresh);

#pragma warning disable IDE1006 // column names
    private sealed record SettingsRow
    {
        public string exchange_kind { get; init; } = "";
        public string? ews_url { get; init; }
        public string graph_base_url { get; init; } = "";
        public string authority_host { get; init; } = "";
        public string? tenant_id { get; init; }
        public string? client_id { get; init; }
        public string? client_secret_protected { get; init; }
        public string? notification_url { get; init; }
        public string? vtenext_url { get; init; }
        public string? vtenext_user { get; init; }
        public string? vtenext_access_key_protected { get; init; }
        public bool feature_calendar { get; init; }
        public bool feature_tasks { get; init; }
        public bool feature_contacts { get; init; }
        public string contact_sync_mode { get; init; } = "";
        public string conflict_policy { get; init; } = "";
        public string error_check_schedule { get; init; } = "";
        public string user_init_schedule { get; init; } = "";
        public int recurrence_horizon_months { get; init; }
        public DateTime updated_at { get; init; }

        public ConnectorSettings ToSettings() => new()
        {
            ExchangeKind = Enum.Parse<ExchangeKind>(exchange_kind),
            EwsUrl = ews_url,
            GraphBaseUrl = graph_base_url,
            AuthorityHost = authority_host,
            TenantId = tenant_id,
            ClientId = client_id,
            NotificationUrl = notification_url,
            VtenextUrl = vtenext_url,
            VtenextUser = vtenext_user,
            Features = new FeatureSet(feature_calendar, feature_tasks, feature_contacts),
            ContactSyncMode = Enum.Parse<ContactSyncMode>(contact_sync_mode),
            ConflictPolicy = Enum.Parse<ConflictPolicy>(conflict_policy),
            ErrorCheckSchedule = error_check_schedule,
            UserInitSchedule = user_init_schedule,
            RecurrenceHorizonMonths = recurrence_horizon_months,
        };
    }
#pragma warning restore IDE1006
}
