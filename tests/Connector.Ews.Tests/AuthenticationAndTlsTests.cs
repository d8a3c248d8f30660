using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews;
using Connector.Exchange.Ews.Items;
using Connector.Exchange.Ews.Soap;
using Connector.Exchange.Ews.Transport;

namespace Connector.Ews.Tests;

public sealed class AuthenticationAndTlsTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;

    private static readonly DateTimeOffset Day = new(2030, 8, 5, 9, 0, 0, TimeSpan.Zero);

    private static Task<EwsItemId> CreateAsync(EwsClient client) =>
        client.CreateEventAsync(new CalendarEvent { Subject = "auth", Start = Day, End = Day.AddHours(1) });

    [Fact]
    public async Task Ntlm_handshake_passes_against_the_real_acceptor_and_acts_as_that_user()
    {
        var alice = _server.AddMailbox("auth-ntlm");
        using var client = _server.Client(alice, EwsAuthKind.Ntlm);

        await CreateAsync(client);

        Assert.Single(alice.Items<Connector.Simulators.Mailboxes.CalendarItem>(alice.Calendar.Id));
        Assert.Equal(alice.Address, _server.Log.All.Last().User);
    }

    [Fact]
    public async Task Ntlm_with_a_wrong_password_is_refused()
    {
        var alice = _server.AddMailbox("auth-ntlm-wrong");
        using var client = _server.Client(alice, EwsAuthKind.Ntlm, password: "not-the-password");

        var e = await Assert.ThrowsAsync<EwsAuthenticationException>(() => CreateAsync(client));
        Assert.Contains("refused", e.Message);
        Assert.DoesNotContain("not-the-password", e.Message);
        Assert.Empty(alice.Items<Connector.Simulators.Mailboxes.CalendarItem>(alice.Calendar.Id));
    }

    [Fact]
    public async Task Basic_works_over_https_and_a_wrong_password_is_refused()
    {
        var alice = _server.AddMailbox("auth-basic");
        using (var client = _server.Client(alice, EwsAuthKind.Basic, https: true)) await CreateAsync(client);
        using (var wrong = _server.Client(alice, EwsAuthKind.Basic, password: "nope", https: true))
            await Assert.ThrowsAsync<EwsAuthenticationException>(() => CreateAsync(wrong));
        Assert.Single(alice.Items<Connector.Simulators.Mailboxes.CalendarItem>(alice.Calendar.Id));
    }

    [Fact]
    public async Task Https_with_the_internal_CA_in_the_extra_bundle_is_accepted()
    {
        var alice = _server.AddMailbox("tls-trusted");
        using var client = _server.Client(alice, https: true, trustSimulatorCa: true);
        await CreateAsync(client);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_with_a_message_naming_the_server()
    {
        var alice = _server.AddMailbox("tls-untrusted");
        using var client = _server.Client(alice, https: true, trustSimulatorCa: false);

        var e = await Assert.ThrowsAsync<EwsTlsException>(() => CreateAsync(client));

        Assert.Contains("127.0.0.1", e.Message);
        Assert.Contains("TLS certificate", e.Message);
        Assert.Contains("not trusted", e.Message);
        Assert.Contains("Connector:ExtraCaBundlePath", e.Message);
        Assert.Empty(alice.Items<Connector.Simulators.Mailboxes.CalendarItem>(alice.Calendar.Id));
    }

    [Theory]
    [InlineData("http://exchange.contoso.com/EWS/Exchange.asmx")]
    [InlineData("http://10.0.0.5/EWS/Exchange.asmx")]
    [InlineData("ftp://127.0.0.1/EWS/Exchange.asmx")]
    public void Plain_http_is_allowed_only_to_loopback(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => new EwsClient(new EwsConnectionOptions
        {
            Endpoint = new Uri(url), Credentials = new EwsCredentials(EwsAuthKind.Basic, "u", "p"),
        }));
        Assert.Contains("https", e.Message);
    }
}
