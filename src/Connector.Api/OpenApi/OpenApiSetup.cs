using Connector.Api.Security;
using Microsoft.OpenApi;

namespace Connector.Api.OpenApi;

/// <summary>Swagger UI at /swagger for admins; the document is checked in at openapi/connector.v1.json.</summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";

    private static readonly (string Id, string Header, string Description)[] Headers =
    [
        ("ConnectorKey", ConnectorKeyAuthenticationHandler.KeyHeader, "The connector's key (config Connector:ApiKey)."),
        ("CrmUser", ConnectorKeyAuthenticationHandler.UserHeader, "The acting CRM user id, as the bridge asserts it."),
        ("CrmAdmin", ConnectorKeyAuthenticationHandler.AdminHeader, "'true' when the acting CRM user is an admin."),
    ];

    public static IServiceCollection AddConnectorOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "vtenext Exchange Connector",
                Version = "v1",
                Description = "Keeps vtenext CRM and Microsoft Exchange in step. Every call carries the bridge's key in " +
                              "X-Connector-Key and the acting CRM user in X-Crm-User / X-Crm-Admin.",
            });
            foreach (var (id, header, description) in Headers)
                o.AddSecurityDefinition(id, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = header, Description = description,
                });
            o.AddSecurityRequirement(document =>
            {
                var requirement = new OpenApiSecurityRequirement();
                foreach (var (id, _, _) in Headers) requirement[new OpenApiSecuritySchemeReference(id, document)] = [];
                return requirement;
            });
            o.SupportNonNullableReferenceTypes();
        });
        return services;
    }

    public static void UseConnectorOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint(DocumentPath, "vtenext Exchange Connector v1");
            o.DocumentTitle = "vtenext Exchange Connector";
            o.EnablePersistAuthorization();
        });
    }
}
