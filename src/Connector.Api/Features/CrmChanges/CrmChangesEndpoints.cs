using Connector.Api.Features.Vtenext;
using Connector.Api.Validation;
using Connector.Api.Workers;
using Connector.Storage.CrmChanges;
using Connector.Vtenext.Database;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Connector.Api.Features.CrmChanges;

/// <summary>Change notices from vtenext: the bridge's hook posts here; its outbox and the reconciliation feed the same table.</summary>
public static class CrmChangesEndpoints
{
    public static IServiceCollection AddCrmChanges(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CrmIntakeOptions>(configuration.GetSection("Connector"));
        services.AddSingleton<CrmChangeStore>();
        services.AddSingleton<CrmReconcileStore>();
        services.AddSingleton<VtenextConnections>();
        var options = configuration.GetSection("Connector").Get<CrmIntakeOptions>() ?? new CrmIntakeOptions();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.VtenextServerTimeZone, out _))
            throw new InvalidOperationException(
                $"The connector cannot start: Connector:VtenextServerTimeZone '{options.VtenextServerTimeZone}' is not a time zone (use vtenext's $default_timezone, e.g. Europe/Rome).");
        if (configuration.GetConnectionString("Vtenext") is { Length: > 0 } vtenext)
        {
            services.AddSingleton(new VtenextTables(vtenext, options.VtenextTablePrefix));
            services.AddSingleton<OutboxDrainer>();
            services.AddSingleton<CrmReconciler>();
            // An interval of 0 turns the background run off (the work can still be run on demand).
            if (options.OutboxDrainIntervalSeconds > 0) services.AddHostedService<OutboxDrainService>();
            if (options.CrmReconcileIntervalSeconds > 0) services.AddHostedService<CrmReconcileService>();
        }
        return services;
    }

    public static RouteGroupBuilder MapCrmChanges(this RouteGroupBuilder api)
    {
        api.MapPost("/crm/changes", PostAsync).WithTags("CRM changes").WithName("PostCrmChange")
            .WithSummary("Take a change notice from vtenext: stored durably, then 202 (an identical notice is accepted once).")
            .Validate<CrmChangeRequest>();
        return api;
    }

    private static async Task<Accepted<CrmChangeAccepted>> PostAsync(CrmChangeRequest request, CrmChangeStore store, JobSignal jobs, CancellationToken ct)
    {
        CrmChangeRequestValidator.TryParseInstant(request.Modifiedtime, out var modified);
        var change = new CrmChange(request.Module!, request.Crmid!.Value, request.Operation!, request.Modifiedtime!,
            modified.UtcDateTime, request.ActingUser, CrmChangeSource.Api);
        // Committed before the 202 goes out: an acknowledged notice survives a crash.
        var (id, duplicate) = await store.RecordAsync(change, ct);
        if (!duplicate) jobs.Notify();
        return TypedResults.Accepted((string?)null, new CrmChangeAccepted(id, duplicate));
    }
}
