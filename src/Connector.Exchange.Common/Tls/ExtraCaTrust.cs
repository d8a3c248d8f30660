using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Connector.Exchange.Common.Tls;

/// <summary>
/// Server certificate validation: the platform's normal validation first; when that fails only because the chain
/// does not end in a system root, the chain is built again against the configured extra CA bundle
/// (<c>Connector:ExtraCaBundlePath</c>, PEM) with <see cref="X509ChainTrustMode.CustomRootTrust"/>. A name mismatch,
/// an expired certificate or a chain to an unknown root is always refused; there is no switch to turn checks off.
/// </summary>
public sealed class ExtraCaTrust
{
    public const string ConfigurationKey = "Connector:ExtraCaBundlePath";

    private readonly X509Certificate2Collection _roots;

    private ExtraCaTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Only the system's roots.</summary>
    public static ExtraCaTrust SystemOnly { get; } = new([]);

    /// <summary>System roots plus the CA certificates in a PEM bundle; a missing or empty file is a configuration error.</summary>
    public static ExtraCaTrust FromPemFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return SystemOnly;
        if (!File.Exists(path)) throw new InvalidOperationException($"{ConfigurationKey}: the CA bundle '{path}' does not exist.");
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0) throw new InvalidOperationException($"{ConfigurationKey}: '{path}' holds no PEM certificate.");
        return new(roots);
    }

    /// <summary>System roots plus the given CA certificates (e.g. a test CA held in memory).</summary>
    public static ExtraCaTrust FromCertificates(params X509Certificate2[] roots) => new([.. roots]);

    public int ExtraRootCount => _roots.Count;

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        // Only an untrusted chain may be rescued by the extra roots; a wrong host name or no certificate never.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || _roots.Count == 0) return false;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        // Internal CAs (and the test CA) commonly publish no CRL; expiry, signatures and usage are still checked.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")); // server auth
        if (chain is not null)
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
