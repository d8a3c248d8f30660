using Connector.Simulators.Control;
using Connector.Simulators.Ews;
using Connector.Simulators.Graph;
using Connector.Simulators.Mailboxes;
using Connector.Simulators.Tls;
using Connector.Simulators.Vtenext;

namespace Connector.Simulators;

/// <summary>
/// Builds the simulator host. Each simulated system maps its own endpoints from its folder:
/// Graph (<c>/v1.0/…</c>, OAuth2 authority), EWS (<c>/EWS/Exchange.asmx</c>), vtenext (<c>/webservice.php</c>),
/// and the control endpoints under <c>/_sim/…</c>. Graph and EWS share one mailbox model (<c>Mailboxes/</c>).
/// </summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        SimulatorTls.Configure(builder);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MailboxDirectory>();
        builder.Services.AddGraphSimulator();
        builder.Services.AddEwsSimulator(builder.Configuration);
        var app = builder.Build();
        app.UseSimulatorFaults();
        app.MapGraphSimulator();
        app.MapEwsSimulator();
        app.MapGet("/_sim/health", () => TypedResults.Ok(new { status = "ok" }));
        app.MapVtenext();
        return app;
    }
}
