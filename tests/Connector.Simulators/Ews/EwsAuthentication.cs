using System.Net;
using System.Net.Security;
using System.Text;
using Connector.Simulators.Mailboxes;
using Microsoft.AspNetCore.Connections.Features;

namespace Connector.Simulators.Ews;

/// <summary>
/// NTLM (System.Net.Security.NegotiateAuthentication server side over gss-ntlmssp, a real acceptor) and Basic, as an
/// on-premises Exchange offers them. NTLM authenticates the TCP connection, so its state lives in the connection's items.
/// </summary>
internal static class EwsAuthentication
{
    private const string NtlmStateKey = "ews-sim-ntlm";
    private const string NtlmUserKey = "ews-sim-ntlm-user";

    /// <summary>The caller's mailbox, or null after a 401 challenge has been written.</summary>
    public static async Task<Mailbox?> AuthenticateAsync(HttpContext http, MailboxDirectory directory)
    {
        var items = http.Features.Get<IConnectionItemsFeature>()?.Items;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return Basic(header["Basic ".Length..].Trim(), directory) ?? await ChallengeAsync(http, null);
        if (header.StartsWith("NTLM ", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Negotiate ", StringComparison.OrdinalIgnoreCase))
            return await NtlmAsync(http, items, header[(header.IndexOf(' ') + 1)..].Trim(), directory);
        // An NTLM-authenticated connection stays authenticated for its later requests.
        if (items?.TryGetValue(NtlmUserKey, out var known) == true && known is Mailbox mailbox) return mailbox;
        return await ChallengeAsync(http, null);
    }

    private static Mailbox? Basic(string token, MailboxDirectory directory)
    {
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token)); }
        catch (FormatException) { return null; }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return null;
        var mailbox = FindUser(decoded[..colon], directory);
        return mailbox is not null && CryptographicEquals(mailbox.Password, decoded[(colon + 1)..]) ? mailbox : null;
    }

    private static async Task<Mailbox?> NtlmAsync(HttpContext http, IDictionary<object, object?>? items, string blob, MailboxDirectory directory)
    {
        if (items is null) return await ChallengeAsync(http, null);
        if (items.TryGetValue(NtlmStateKey, out var existing) is false || existing is not NegotiateAuthentication ntlm)
        {
            ntlm = new NegotiateAuthentication(new NegotiateAuthenticationServerOptions { Package = "NTLM" });
            items[NtlmStateKey] = ntlm;
        }
        var outgoing = ntlm.GetOutgoingBlob(blob, out var status);
        switch (status)
        {
            case NegotiateAuthenticationStatusCode.ContinueNeeded:
                return await ChallengeAsync(http, "NTLM " + outgoing);
            case NegotiateAuthenticationStatusCode.Completed:
                items.Remove(NtlmStateKey);
                var name = ntlm.RemoteIdentity.Name ?? "";
                ntlm.Dispose();
                var mailbox = FindUser(name, directory);
                if (mailbox is null) return await ChallengeAsync(http, null);
                items[NtlmUserKey] = mailbox;
                return mailbox;
            default:
                items.Remove(NtlmStateKey);
                ntlm.Dispose();
                return await ChallengeAsync(http, null);
        }
    }

    /// <summary>"alice", "CONTOSO\alice" or "alice@contoso.com" → alice's mailbox.</summary>
    private static Mailbox? FindUser(string name, MailboxDirectory directory)
    {
        if (directory.Find(name) is { } byAddress) return byAddress;
        var user = name.Contains('\\') ? name[(name.LastIndexOf('\\') + 1)..] : name.Split('@')[0];
        return directory.All.FirstOrDefault(m => NtlmUserFile.UserName(m).Equals(user, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<Mailbox?> ChallengeAsync(HttpContext http, string? challenge)
    {
        http.Response.StatusCode = (int)HttpStatusCode.Unauthorized;
        if (challenge is not null)
            http.Response.Headers.WWWAuthenticate = challenge;
        else
            http.Response.Headers.WWWAuthenticate = new(["NTLM", "Basic realm=\"ews-simulator\""]);
        await http.Response.CompleteAsync();
        return null;
    }

    private static bool CryptographicEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
