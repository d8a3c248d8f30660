using Connector.Exchange.Common.Tls;
using Connector.Exchange.Graph.Auth;
using Connector.Simulators.Tls;

namespace Connector.Graph.Tests;

/// <summary>TLS is validated always: the simulator's CA is trusted only through the extra CA bundle; a wrong CA or a
/// wrong host name fails with an error naming the server.</summary>
public sealed class TlsTrustTests : IAsyncLifetime
{
    private SimulatorHost _sim = null!;

    public async Task InitializeAsync() => _sim = await SimulatorHost.StartAsync();
    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task The_extra_CA_bundle_makes_the_simulator_trusted()
    {
        using var response = await _sim.Http.GetAsync(new Uri(_sim.BaseAddress, "/_sim/health"));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(1, _sim.Trust.ExtraRootCount);
    }

    [Fact]
    public async Task Without_the_bundle_the_call_fails_naming_the_server()
    {
        using var client = TrustedHttp.CreateClient(ExtraCaTrust.SystemOnly);
        var error = await Assert.ThrowsAsync<TlsTrustException>(() => client.GetAsync(new Uri(_sim.BaseAddress, "/_sim/health")));
        Assert.Equal(_sim.BaseAddress.GetLeftPart(UriPartial.Authority), error.Server);
        Assert.Contains(_sim.BaseAddress.Authority, error.Message);
        Assert.Contains(ExtraCaTrust.ConfigurationKey, error.Message);
    }

    [Fact]
    public async Task Another_CA_in_the_bundle_is_not_enough()
    {
        using var other = TestCertificateAuthority.Create("Some other CA");
        var path = Path.Combine(Path.GetTempPath(), $"other-ca-{Guid.NewGuid():N}.pem");
        other.WritePem(path);
        try
        {
            using var client = TrustedHttp.CreateClient(ExtraCaTrust.FromPemFile(path));
            await Assert.ThrowsAsync<TlsTrustException>(() => client.GetAsync(new Uri(_sim.BaseAddress, "/_sim/health")));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_host_name_the_certificate_does_not_name_is_refused_even_with_the_right_CA()
    {
        // Ask for "exchange.wrong.example" but connect to the simulator: its certificate does not name that host.
        var handler = TrustedHttp.CreateSocketsHandler(_sim.Trust);
        handler.ConnectCallback = async (_, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, _sim.BaseAddress.Port, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        };
        using var client = new HttpClient(handler);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"https://exchange.wrong.example:{_sim.BaseAddress.Port}/_sim/health"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public void A_missing_bundle_file_is_a_configuration_error_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExtraCaTrust.FromPemFile("/nonexistent/ca.pem"));
        Assert.Contains(ExtraCaTrust.ConfigurationKey, error.Message);
    }

    [Fact]
    public async Task MSAL_reaches_the_https_authority_through_the_same_trust()
    {
        var token = await new AppOnlyTokenSource(_sim.AuthOptions, _sim.Http).GetAccessTokenAsync(CancellationToken.None);
        Assert.StartsWith("sim-at-", token);

        using var untrusting = TrustedHttp.CreateClient(ExtraCaTrust.SystemOnly);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => new AppOnlyTokenSource(_sim.AuthOptions, untrusting).GetAccessTokenAsync(CancellationToken.None));
        Assert.Contains(_sim.BaseAddress.Authority, failure.ToString());
    }

    [Fact]
    public async Task App_only_sign_in_with_a_certificate_assertion()
    {
        using var ca = TestCertificateAuthority.Create("App credential CA");
        using var certificate = ca.IssueServerCertificate();
        await _sim.ControlAsync("/_sim/apps", new { tenantId = SimulatorHost.TenantId, clientId = "99999999-8888-7777-6666-555555555555", certificatePem = certificate.ExportCertificatePem() });
        await _sim.AddMailboxAsync("heidi@contoso.com", "Heidi");

        var options = _sim.AuthOptions with { ClientId = "99999999-8888-7777-6666-555555555555", ClientSecret = null, Certificate = certificate };
        var heidi = new Connector.Exchange.Graph.Client.GraphMailboxClient(_sim.Transport(), new AppOnlyTokenSource(options, _sim.Http), "heidi@contoso.com");
        Assert.Equal("defaultList", (await heidi.GetDefaultTaskListAsync()).WellknownListName);

        // A different key than the registered certificate is refused by the authority.
        using var impostor = ca.IssueServerCertificate();
        var wrong = options with { Certificate = impostor };
        await Assert.ThrowsAnyAsync<Microsoft.Identity.Client.MsalServiceException>(() => new AppOnlyTokenSource(wrong, _sim.Http).GetAccessTokenAsync(CancellationToken.None));
    }
}
