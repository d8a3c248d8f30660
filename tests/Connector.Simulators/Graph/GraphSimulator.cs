using Connector.Simulators.Control;
using Connector.Simulators.Graph.Auth;
using Connector.Simulators.Graph.Notifications;

namespace Connector.Simulators.Graph;

/// <summary>Registers and maps the Graph side: <c>/v1.0/me/…</c> and <c>/v1.0/users/{user}/…</c> resources,
/// <c>/v1.0/subscriptions</c>, <c>/v1.0/$batch</c>, and the OAuth2 authority.</summary>
public static class GraphSimulator
{
    public static IServiceCollection AddGraphSimulator(this IServiceCollection services)
    {
        services.AddSingleton<OAuthState>();
        services.AddSingleton<GraphRequestContext>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<NotificationSender>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationSender>());
        // Webhook receivers on loopback may serve HTTPS with a certificate from the simulator's own test CA.
        services.AddHttpClient(NotificationSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp =>
            Connector.Exchange.Common.Tls.TrustedHttp.CreateSocketsHandler(
                Connector.Exchange.Common.Tls.ExtraCaTrust.FromCertificates(sp.GetRequiredService<Connector.Simulators.Tls.SimulatorTls>().Authority.Certificate)));
        return services;
    }

    public static void MapGraphSimulator(this WebApplication app)
    {
        app.MapAuthority();
        var v1 = app.MapGroup("/v1.0").AddEndpointFilter(async (context, next) =>
        {
            var graph = context.HttpContext.RequestServices.GetRequiredService<GraphRequestContext>();
            if (graph.Authenticate(context.HttpContext) is not { } grant)
                return GraphErrors.Error(401, "InvalidAuthenticationToken", "Access token is empty, invalid or expired.");
            context.HttpContext.Items[GraphHttp.GrantKey] = grant;
            return await next(context);
        });
        foreach (var root in new[] { v1.MapGroup("/me"), v1.MapGroup("/users/{user}") })
        {
            root.AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var graph = http.RequestServices.GetRequiredService<GraphRequestContext>();
                var (mailbox, error) = graph.ResolveMailbox(http, http.Grant());
                if (error is not null) return error;
                using var slot = graph.Enter(mailbox!);
                if (slot is null)
                {
                    http.Response.Headers.RetryAfter = "1";
                    return GraphErrors.Error(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.");
                }
                http.Items[GraphHttp.MailboxKey] = mailbox;
                if (http.Items[FaultMiddleware.LatencyKey] is int latency) await Task.Delay(latency, http.RequestAborted);
                return await next(context);
            });
            root.MapEvents();
            root.MapTodo();
            root.MapContacts();
            root.MapSchedule();
        }
        v1.MapSubscriptions();
        v1.MapBatch();
        app.MapSimulatorControl();
    }
}
