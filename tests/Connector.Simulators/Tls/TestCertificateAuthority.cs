using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Connector.Simulators.Tls;

/// <summary>
/// A throw-away certificate authority for tests and the demo run: a self-signed CA and server certificates it
/// issues for loopback names. Trust is granted by handing the CA's PEM to the client as an extra CA bundle,
/// never by turning validation off.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private TestCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    public static TestCertificateAuthority Create(string name = "Connector Test CA")
    {
        using var key = RSA.Create(2048); // RSA like the server certificates it signs (CertificateRequest.Create needs the same algorithm)
        var request = new CertificateRequest($"CN={name}, O=vtenext connector tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new(request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2)));
    }

    /// <summary>The CA certificate as PEM: what a client lists in its extra CA bundle.</summary>
    public string ExportPem() => Certificate.ExportCertificatePem();

    public void WritePem(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ExportPem());
    }

    /// <summary>A server certificate for localhost, 127.0.0.1 and ::1 (plus <paramref name="extraNames"/>), with private key.</summary>
    public X509Certificate2 IssueServerCertificate(params string[] extraNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var name in extraNames)
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(Certificate, now.AddMinutes(-5), now.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => Certificate.Dispose();
}
