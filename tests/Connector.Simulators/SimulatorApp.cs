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
        var app = builder.Build();
        app.MapGet("/_sim/health", () => TypedResults.Ok(new { status = "ok" }));
        app.MapVtenext();
        return app;
    }
}
