using System.Text.Json;
using Connector.Api.Hosting;
using Connector.Storage.Migrations;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Connector.Api.Features.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (database reachable, schema current). No key needed.</summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddConnectorHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static void MapConnectorHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson })
            .ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJson })
            .ExcludeFromDescription();
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}

/// <summary>Ready when the database answers and carries every migration this build knows.</summary>
public sealed class DatabaseReadyCheck(MigrationRunner runner, MigrationStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await runner.CurrentVersionAsync(cancellationToken);
            if (version is null) return HealthCheckResult.Unhealthy("The database is reachable but has no connector schema yet.");
            if (version < MigrationRunner.LatestVersion || !status.IsApplied)
                return HealthCheckResult.Unhealthy($"Schema at version {version}; this build needs {MigrationRunner.LatestVersion}.");
            return HealthCheckResult.Healthy($"Schema at version {version}.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The database is not reachable: {e.Message}");
        }
    }
}
