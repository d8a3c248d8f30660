namespace Connector.Exchange.Ews.Transport;

public enum EwsAuthKind { Ntlm, Basic }

/// <summary>One user's sign-in to an on-premises Exchange: NTLM (domain account) or Basic. Never logged.</summary>
public sealed record EwsCredentials(EwsAuthKind Kind, string UserName, string Password, string? Domain = null)
{
    public override string ToString() => $"{Kind} {(Domain is null ? "" : Domain + "\\")}{UserName}";
}
