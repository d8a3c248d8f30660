namespace Connector.Sync.Tests;

/// <summary>
/// The set-up the end-to-end scenarios share: a <see cref="SyncWorld"/> (vtenext simulator, real connector, Exchange
/// simulator) with Alice and Bob enabled. <see cref="Protocol"/> is what the connector speaks to Exchange (EWS
/// subclasses run the same scenarios, see EwsWorld.cs).
/// </summary>
public abstract class TwoUserScenario : IAsyncLifetime
{
    protected virtual ExchangeProtocol Protocol => ExchangeProtocol.Graph;

    protected SyncWorld W { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        W = await SyncWorld.StartAsync(protocol: Protocol);
        await BeforeUsersEnabledAsync();
        await W.EnableAsync(W.AliceId, SyncWorld.Alice);
        await W.EnableAsync(W.BobId, SyncWorld.Bob);
    }

    /// <summary>CRM state a scenario needs before the users' first sync (e.g. a sharing rule).</summary>
    protected virtual Task BeforeUsersEnabledAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await W.DisposeAsync();

    protected static DateTime NextWeek(int hour) => DateTime.SpecifyKind(DateTime.Today.AddDays(7).AddHours(hour), DateTimeKind.Unspecified);
}
