using Connector.Exchange.Common.Tls;
using Connector.Exchange.Ews;
using Connector.Exchange.Ews.Transport;
using Connector.Simulators;
using Connector.Simulators.Ews;
using Connector.Simulators.Mailboxes;
using Connector.Simulators.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Connector.Ews.Tests.Support;

/// <summary>The real simulator host on loopback (plain http and https with its throw-away CA) plus client factories.</summary>
internal sealed class EwsServer : IAsyncDisposable
{
    public const string Domain = "CONTOSO";

    private readonly WebApplication _app;
    private readonly string _caBundle;

    private EwsServer(WebApplication app, Uri http, Uri https, string caBundle)
    {
        _app = app;
        Http = http;
        Https = https;
        _caBundle = caBundle;
    }

    public Uri Http { get; }
    public Uri Https { get; }
    public MailboxDirectory Directory => _app.Services.GetRequiredService<MailboxDirectory>();
    public EwsSimulatorOptions Options => _app.Services.GetRequiredService<EwsSimulatorOptions>();
    public EwsFaults Faults => _app.Services.GetRequiredService<EwsFaults>();
    public EwsRequestLog Log => _app.Services.GetRequiredService<EwsRequestLog>();
    public EwsSubscriptions Subscriptions => _app.Services.GetRequiredService<EwsSubscriptions>();
    public Uri EwsUrl(bool https = false) => new(https ? Https : Http, "/EWS/Exchange.asmx");

    public static async Task<EwsServer> StartAsync(Action<EwsSimulatorOptions>? configure = null)
    {
        var app = SimulatorApp.Build(["--urls=http://127.0.0.1:0;https://127.0.0.1:0"], b => b.Logging.ClearProviders());
        configure?.Invoke(app.Services.GetRequiredService<EwsSimulatorOptions>());
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        var caBundle = Path.Combine(System.IO.Directory.CreateTempSubdirectory("ews-ca-").FullName, "ca.pem");
        app.Services.GetRequiredService<SimulatorTls>().Authority.WritePem(caBundle);
        return new EwsServer(app, addresses.First(a => a.Scheme == "http"), addresses.First(a => a.Scheme == "https"), caBundle);
    }

    /// <summary>A mailbox whose NTLM user is the local part; the password is fixed per user so parallel hosts agree.</summary>
    public Mailbox AddMailbox(string localPart) => Directory.Add($"{localPart}@contoso.com", localPart, PasswordOf(localPart));

    public static string PasswordOf(string localPart) => $"Pw-{localPart}-1!";

    public EwsClient Client(Mailbox mailbox, EwsAuthKind auth = EwsAuthKind.Ntlm, string? password = null, bool https = false,
        bool trustSimulatorCa = true, int getItemBatchSize = 50, string? impersonate = null)
    {
        var user = mailbox.Address.Split('@')[0];
        return new EwsClient(new EwsConnectionOptions
        {
            Endpoint = EwsUrl(https),
            Credentials = new EwsCredentials(auth, user, password ?? mailbox.Password, auth == EwsAuthKind.Ntlm ? Domain : null),
            Trust = trustSimulatorCa ? ExtraCaTrust.FromPemFile(_caBundle) : ExtraCaTrust.SystemOnly,
            WrapHandler = inner => new SchemaValidatingHandler(inner),
            MaxThrottleWait = TimeSpan.FromSeconds(5),
            ImpersonatedSmtpAddress = impersonate,
        }, getItemBatchSize);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
