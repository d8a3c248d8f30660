using System.Security.Cryptography.X509Certificates;

namespace Connector.Simulators.Tls;

/// <summary>
/// HTTPS for the simulator: a fresh test CA per run and a server certificate from it as Kestrel's default, so any
/// <c>https://127.0.0.1:PORT</c> in <c>--urls</c> works. <c>--ca-out PATH</c> writes the CA's PEM there, for a
/// connector or test to trust as its extra CA bundle. <c>--server-cert-out PATH</c> writes a loopback server certificate
/// from the same CA (PATH: certificate PEM, PATH.key: its key) for a connector that receives the simulator's Graph
/// change notifications over HTTPS (Graph only posts to https:// URLs; the simulator trusts its own CA for them).
/// </summary>
public sealed class SimulatorTls(TestCertificateAuthority authority)
{
    public const string CaOutKey = "ca-out";
    public const string ServerCertOutKey = "server-cert-out";

    public TestCertificateAuthority Authority { get; } = authority;

    public static void Configure(WebApplicationBuilder builder)
    {
        var authority = TestCertificateAuthority.Create("Connector Simulator CA");
        var serverCertificate = authority.IssueServerCertificate();
        builder.Services.AddSingleton(new SimulatorTls(authority));
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = serverCertificate));
        if (builder.Configuration[CaOutKey] is { Length: > 0 } path) authority.WritePem(path);
        if (builder.Configuration[ServerCertOutKey] is { Length: > 0 } certPath) WriteServerCertificate(authority, certPath);
    }

    private static void WriteServerCertificate(TestCertificateAuthority authority, string path)
    {
        using var certificate = authority.IssueServerCertificate();
        using var key = certificate.GetRSAPrivateKey()!;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        File.WriteAllText(path + ".key", key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path + ".key", UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
