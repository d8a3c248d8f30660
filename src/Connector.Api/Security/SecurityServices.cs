using Microsoft.AspNetCore.Authentication;

namespace Connector.Api.Security;

public static class SecurityServices
{
    public const string AdminPolicy = "CrmAdmin";

    public static IServiceCollection AddConnectorSecurity(this IServiceCollection services)
    {
        services.AddAuthentication(ConnectorKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ConnectorKeyAuthenticationHandler>(ConnectorKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(CrmClaims.Admin, "true"));
        return services;
    }

    /// <summary>Lets through admins and the user named by the route's <c>crmUserId</c>; others get 403.</summary>
    public static RouteGroupBuilder RequireSelfOrAdmin(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var routeValue = context.HttpContext.GetRouteValue("crmUserId")?.ToString();
            if (!int.TryParse(routeValue, out var crmUserId) || !context.HttpContext.User.MayActOn(crmUserId))
            {
                await context.HttpContext.ForbidAsync();
                return Results.Empty;
            }
            return await next(context);
        });
}
