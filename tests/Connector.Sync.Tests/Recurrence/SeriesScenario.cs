namespace Connector.Sync.Tests.Recurrence;

/// <summary>
/// A test class over one <see cref="SeriesWorld"/> per test, over Graph unless a subclass names another protocol (each
/// scenario class has an EWS twin in <c>EwsSeriesScenarioTests.cs</c>).
/// </summary>
public abstract class SeriesScenario(int horizonMonths, bool enableAlice = true) : IAsyncLifetime
{
    /// <summary>The Windows zone Outlook users of these scenarios live in.</summary>
    protected const string Zone = "W. Europe Standard Time";

    protected virtual ExchangeProtocol Protocol => ExchangeProtocol.Graph;

    protected SeriesWorld S { get; private set; } = null!;

    public async Task InitializeAsync() => S = await SeriesWorld.StartAsync(Protocol, horizonMonths, enableAlice);

    public async Task DisposeAsync() => await S.DisposeAsync();
}
