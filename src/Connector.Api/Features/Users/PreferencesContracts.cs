using System.ComponentModel;
using Connector.Api.Features.Settings;
using Connector.Core.Settings;
using Connector.Core.Users;
using Connector.Storage.Users;

namespace Connector.Api.Features.Users;

/// <summary>A user's connector preferences (PUT replaces them). The password is write-only: omit or null keeps it,
/// "" clears it.</summary>
public sealed record PreferencesRequest
{
    public bool? Enabled { get; init; }
    [Description("The user's Exchange SMTP address.")]
    public string? Mailbox { get; init; }
    public AuthMethod? AuthMethod { get; init; }
    [Description("NTLM (DOMAIN\\user or user@domain) or Basic user name; on-premises only.")]
    public string? Username { get; init; }
    [Description("Write-only. Omit or null: keep; empty string: clear.")]
    public string? Password { get; init; }
    [Description("Per-user toggles; a feature runs only when the admin has it on too.")]
    public FeaturesDto? Features { get; init; }

    public UserPreferences ToPreferences(int crmUserId) => new()
    {
        CrmUserId = crmUserId,
        Enabled = Enabled ?? false,
        Mailbox = Mailbox?.Trim(),
        AuthMethod = AuthMethod ?? Core.Users.AuthMethod.OauthDelegated,
        Username = Username,
        Features = Features?.ToFeatureSet() ?? FeatureSet.All,
    };
}

public sealed record PreferencesResponse(int CrmUserId, bool Enabled, string? Mailbox, AuthMethod AuthMethod, string? Username,
    bool PasswordSet, FeaturesDto Features, UserState State, string? StateReason, DateTime UpdatedAt)
{
    public static PreferencesResponse From(StoredUser u) => new(u.Preferences.CrmUserId, u.Preferences.Enabled, u.Preferences.Mailbox,
        u.Preferences.AuthMethod, u.Preferences.Username, u.PasswordSet, FeaturesDto.From(u.Preferences.Features), u.State,
        u.StateReason, u.UpdatedAt);
}

/// <summary>One line of the admin's user list.</summary>
public sealed record UserSummary(int CrmUserId, bool Enabled, string? Mailbox, AuthMethod AuthMethod, UserState State,
    string? StateReason, DateTime UpdatedAt)
{
    public static UserSummary From(StoredUser u) => new(u.Preferences.CrmUserId, u.Preferences.Enabled, u.Preferences.Mailbox,
        u.Preferences.AuthMethod, u.State, u.StateReason, u.UpdatedAt);
}
