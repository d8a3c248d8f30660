using Connector.Api.Features.Vtenext;
using Connector.Api.Workers;
using Connector.Vtenext.Database;
using Connector.Vtenext.Sync;
using Connector.Sync.Engine;
using Connector.Sync.Ports;
using Connector.Sync.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connector.Api.Features.Sync;

public static class SyncServices
{
    /// <summary>
    /// The engine: stores, synchroniser, job handlers, channel supervisor, and the adapters behind its ports (vtenext for
    /// the CRM; Graph or EWS for Exchange, chosen by the settings). A channel factory not registered otherwise is delta
    /// polling.
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

        // Item reads of item.sync jobs go through the read-ahead (batched reads; bench/RESULTS.md).
        services.TryAddSingleton(sp => new RecentItemCache(TimeProvider.System));
        services.TryAddSingleton<IExchangeGateway>(sp => new RecentItemsExchangeGateway(
            ActivatorUtilities.CreateInstance<ExchangeGatewaySelector>(sp), sp.GetRequiredService<RecentItemCache>()));
        services.TryAddSingleton<ICrmGateway>(sp => new VtenextCrmGateway(async ct =>
        {
            var connection = await sp.GetRequiredService<VtenextConnections>().GetAsync(ct);
            return (connection.Client, connection.Mapper);
        }, sp.GetService<VtenextTables>()));
        services.TryAddSingleton<IChangeChannelFactory>(sp =>
            new PollingChannels(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<SyncOptions>>().Value.PollSeconds)));

        // Connector:Sync:Enabled=false runs the API and the intake without the engine (changes wait, stored, as jobs).
        if (!configuration.GetValue(SyncOptions.Section + ":Enabled", true)) return services;

        services.AddSingleton<IJobHandler, CrmChangeHandler>();
        services.AddSingleton<IJobHandler, ExchangeChangeHandler>();
        services.AddSingleton<IJobHandler, RecordSyncHandler>();
        services.AddSingleton<IJobHandler, ItemSyncHandler>();
        services.AddSingleton<IJobHandler, UserInitializeHandler>();
        services.AddSingleton<IJobHandler, GraphCatchUpHandler>();
        services.AddSingleton<IJobHandler, ContactModeChangeHandler>();

        services.AddSingleton<SignInWaits>();
        services.AddSingleton<ChannelSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<ChannelSupervisor>());
        return services;
    }

    private sealed class PollingChannels(TimeSpan interval) : IChangeChannelFactory
    {
        public IChangeChannel Create(MailboxAccount account) => new PollingChangeChannel(interval);
    }
}
