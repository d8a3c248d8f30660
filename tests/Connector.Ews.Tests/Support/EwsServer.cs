using Connector.Exchange.Common.Tls;
using Connector.Exchange.Ews;
using Connector.Exchange.Ews.Transport;
using Connector.Simulators.Ews;
using Connector.Simulators.Mailboxes;
using Connector.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Ews.Tests.Support;

/// <summary>The real simulator host on loopback (plain http and https with its throw-away CA) plus client factories.</summary>
internal sealed class EwsServer : IAsyncDisposable
{
    public const string Domain = "CONTOSO";

    private readonly InProcessSimulator _simulator;

    private EwsServer(InProcessSimulator simulator) => _simulator = simulator;

    public Uri Http => _simulator.Http!;
    public Uri Https => _simulator.Https!;
    public MailboxDirectory Directory => _simulator.Service<MailboxDirectory>();
    public EwsSimulatorOptions Options => _simulator.Service<EwsSimulatorOptions>();
    public EwsFaults Faults => _simulator.Service<EwsFaults>();
    public EwsRequestLog Log => _simulator.Service<EwsRequestLog>();
    public EwsSubscriptions Subscriptions => _simulator.Service<EwsSubscriptions>();
    public Uri EwsUrl(bool https = false) => new(https ? Https : Http, "/EWS/Exchange.asmx");

    public static async Task<EwsServer> StartAsync(Action<EwsSimulatorOptions>? configure = null) =>
        new(await InProcessSimulator.StartAsync(https: true, http: true, minimumLevel: LogLevel.None,
            beforeStart: app => configure?.Invoke(app.Services.GetRequiredService<EwsSimulatorOptions>())));

    /// <summary>A mailbox whose NTLM user is the local part; the password is fixed per user so parallel hosts agree.</summary>
    public Mailbox AddMailbox(string localPart) => Directory.Add($"{localPart}@contoso.com", localPart, PasswordOf(localPart));

    public static string PasswordOf(string localPart) => $"Pw-{localPart}-1!";

    public EwsClient Client(Mailbox mailbox, EwsAuthKind auth = EwsAuthKind.Ntlm, string? password = null, bool https = false,
        bool trustSimulatorCa = true, int getItemBatchSize = 50, string? impersonate = null, bool validateResponses = false, Action<string>? responses = null)
    {
        var user = mailbox.Address.Split('@')[0];
        return new EwsClient(new EwsConnectionOptions
        {
            Endpoint = EwsUrl(https),
            Credentials = new EwsCredentials(auth, user, password ?? mailbox.Password, auth == EwsAuthKind.Ntlm ? Domain : null),
            Trust = trustSimulatorCa ? _simulator.Trust : ExtraCaTrust.SystemOnly,
            WrapHandler = inner => new SchemaValidatingHandler(inner, validateResponses, responses),
            MaxThrottleWait = TimeSpan.FromSeconds(5),
            ImpersonatedSmtpAddress = impersonate,
        }, getItemBatchSize);
    }

    public ValueTask DisposeAsync() => _simulator.DisposeAsync();
}
