namespace Connector.Ews.Tests.Support;

/// <summary>One simulator host shared by the tests of a class (each test uses its own mailboxes).</summary>
public sealed class EwsServerFixture : IAsyncLifetime
{
    internal EwsServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EwsServer.StartAsync(o => o.Heartbeat = TimeSpan.FromMilliseconds(300));
    public async Task DisposeAsync() => await Server.DisposeAsync();
}
