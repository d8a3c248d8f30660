using Connector.Core.Settings;

namespace Connector.Core.Users;

/// <summary>How the connector signs in to a user's mailbox.</summary>
public enum AuthMethod { OauthDelegated, Application, Ntlm, Basic }

/// <summary>Where a user's synchronisation stands, as the control panel shows it.</summary>
public enum UserState { Disabled, Active, NeedsSignIn, Error }

/// <summary>A CRM user's connector preferences. The password is not here: it is stored encrypted.</summary>
public sealed record UserPreferences
{
    public required int CrmUserId { get; init; }
    public bool Enabled { get; init; }
    public string? Mailbox { get; init; }
    public AuthMethod AuthMethod { get; init; } = AuthMethod.OauthDelegated;
    public string? Username { get; init; }
    public FeatureSet Features { get; init; } = FeatureSet.All;

    public static bool UsesPassword(AuthMethod method) => method is AuthMethod.Ntlm or AuthMethod.Basic;

    /// <summary>Methods that make sense for the configured kind of Exchange.</summary>
    public static bool Fits(AuthMethod method, ExchangeKind kind) => kind switch
    {
        ExchangeKind.Microsoft365 => method is AuthMethod.OauthDelegated or AuthMethod.Application,
        ExchangeKind.OnPremises => method is AuthMethod.Ntlm or AuthMethod.Basic,
        _ => false,
    };
}
