namespace Connector.Simulators.Tls;

/// <summary>
/// HTTPS for the simulator: a fresh test CA per run and a server certificate from it as Kestrel's default, so any
/// <c>https://127.0.0.1:PORT</c> in <c>--urls</c> works. <c>--ca-out PATH</c> writes the CA's PEM there, for a
/// connector or test to trust as its extra CA bundle.
/// </summary>
public sealed class SimulatorTls(TestCertificateAuthority authority)
{
    public const string CaOutKey = "ca-out";

    public TestCertificateAuthority Authority { get; } = authority;

    public static void Configure(WebApplicationBuilder builder)
    {
        var authority = TestCertificateAuthority.Create("Connector Simulator CA");
        var serverCertificate = authority.IssueServerCertificate();
        builder.Services.AddSingleton(new SimulatorTls(authority));
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = serverCertificate));
        if (builder.Configuration[CaOutKey] is { Length: > 0 } path) authority.WritePem(path);
    }
}
