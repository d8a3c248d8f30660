using System.Security.Cryptography.X509Certificates;

namespace Connector.Exchange.Graph.Auth;

/// <summary>The app registration and where its authority lives (<c>authorityHost</c> from settings).</summary>
public sealed record GraphAuthOptions
{
    public required Uri AuthorityHost { get; init; }
    public required string TenantId { get; init; }
    public required string ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public X509Certificate2? Certificate { get; init; }
    /// <summary>Graph's resource id for scopes ("https://graph.microsoft.com"); follows <c>graphBaseUrl</c> in national clouds.</summary>
    public string GraphResource { get; init; } = "https://graph.microsoft.com";

    public string Authority => $"{AuthorityHost.AbsoluteUri.TrimEnd('/')}/{TenantId}";

    /// <summary>Microsoft's own hosts answer instance discovery; a private authority (simulator) does not.</summary>
    public bool IsWellKnownHost => AuthorityHost.Host is "login.microsoftonline.com" or "login.microsoftonline.us" or "login.chinacloudapi.cn" or "login.partner.microsoftonline.cn";

    public string[] DelegatedScopes => new[] { "Calendars.ReadWrite", "Tasks.ReadWrite", "Contacts.ReadWrite", "MailboxSettings.Read" }
        .Select(s => $"{GraphResource}/{s}").ToArray();

    public string[] AppScopes => [$"{GraphResource}/.default"];
}
