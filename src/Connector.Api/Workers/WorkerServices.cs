using Connector.Storage.Jobs;

namespace Connector.Api.Workers;

public static class WorkerServices
{
    public static IServiceCollection AddConnectorWorkers(this IServiceCollection services)
    {
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton(TimeProvider.System);
        services.AddHostedService<JobWorker>();
        services.AddSingleton<ScheduleWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleWorker>());
        return services;
    }
}
