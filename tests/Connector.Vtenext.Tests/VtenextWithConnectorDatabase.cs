using Connector.Testing;

namespace Connector.Vtenext.Tests;

/// <summary>A running vtenext simulator plus a fresh connector database: for tests that start a connector host against vtenext.</summary>
public abstract class VtenextWithConnectorDatabase : IAsyncLifetime
{
    protected VtenextSimulatorHost Crm { get; private set; } = null!;
    protected TestDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Crm = await VtenextSimulatorHost.StartAsync();
        Db = await TestDatabase.CreateAsync("crm");
    }

    public async Task DisposeAsync()
    {
        await Crm.DisposeAsync();
        await Db.DisposeAsync();
    }
}
