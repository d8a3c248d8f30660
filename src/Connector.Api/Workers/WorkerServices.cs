using Connector.Storage.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connector.Api.Workers;

public static class WorkerServices
{
    public static IServiceCollection AddConnectorWorkers(this IServiceCollection services)
    {
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobSignal>();
        // A clock registered before (a test moving time) wins.
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<JobWorker>();
        services.AddSingleton<ScheduleWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleWorker>());
        return services;
    }
}
