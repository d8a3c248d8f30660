using Connector.Api.Workers;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.Sync;

public static class SyncServices
{
    /// <summary>
    /// The engine: stores, synchroniser, job handlers, channel supervisor. Call after the adapters registered their ports;
    /// a port no adapter provides is filled with one that fails every job clearly (shown at /api/v1/errors), and a
    /// missing channel factory falls back to polling.
    /// </summary>
    public static IServiceCollection AddSyncEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SyncOptions>(configuration.GetSection(SyncOptions.Section));
        services.AddSingleton<LinkStore>();
        services.AddSingleton<CursorStore>();
        services.AddSingleton<ChannelLeaseStore>();
        services.AddSingleton<InitRunStore>();
        services.AddSingleton<SyncLog>();
        services.AddSingleton<CrmChangeFeed>();
        services.AddSingleton<ExchangeFeed>();
        services.AddSingleton<RecordSynchronizer>();
        services.AddSingleton<UserInitializer>();

        services.TryAddSingleton<IExchangeGateway, ExchangeGatewaySelector>();
        services.TryAddSingleton<ICrmGateway, MissingAdapter>();
        services.TryAddSingleton<IChangeChannelFactory>(sp =>
            new PollingChannels(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SyncOptions>>().Value.PollSeconds)));

        services.AddSingleton<IJobHandler, CrmChangeHandler>();
        services.AddSingleton<IJobHandler, ExchangeChangeHandler>();
        services.AddSingleton<IJobHandler, RecordSyncHandler>();
        services.AddSingleton<IJobHandler, ItemSyncHandler>();
        services.AddSingleton<IJobHandler, UserInitializeHandler>();
        services.AddSingleton<IJobHandler, GraphCatchUpHandler>();

        services.AddSingleton<ChannelSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<ChannelSupervisor>());
        services.AddHostedService<CrmChangePump>();
        return services;
    }

    private sealed class PollingChannels(TimeSpan interval) : IChangeChannelFactory
    {
        public IChangeChannel Create(MailboxAccount account) => new PollingChangeChannel(interval);
    }
}
