using System.Net.Http.Json;
using Connector.Api.Features.Vtenext;
using Connector.Testing;
using Connector.Vtenext.Mapping;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Vtenext.Tests;

/// <summary>The connector reaches vtenext with what the admin stored in the settings.</summary>
public sealed class VtenextConnectionsTests : VtenextWithConnectorDatabase
{
    [Fact]
    public async Task The_stored_settings_give_a_logged_in_client_and_the_integration_users_zone()
    {
        await Crm.CreateUserAsync("exchange", "exchange@crm.example", "AKexchange0000001", "America/New_York", isAdmin: true);
        await using var host = await ConnectorTestHost.StartAsync(Db);
        var connections = host.App.Services.GetRequiredService<VtenextConnections>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => connections.GetAsync());

        var put = await host.Client().PutAsJsonAsync("/api/v1/settings", new
        {
            exchangeKind = "onPremises", ewsUrl = "https://mail.example.com/EWS/Exchange.asmx",
            vtenextUrl = Crm.BaseAddress.AbsoluteUri, vtenextUser = "exchange", vtenextAccessKey = "AKexchange0000001",
        });
        put.EnsureSuccessStatusCode();
        var connection = await connections.GetAsync();

        Assert.Equal("America/New_York", connection.Mapper.Zones.User.Id);
        Assert.Equal("Europe/Rome", connection.Mapper.Zones.Server.Id);
        var created = await connection.Client.CreateAsync(VtenextMapper.ContactsModule, new Dictionary<string, object?> { ["lastname"] = "Blu" });
        Assert.Equal("Blu", (await connection.Client.RetrieveAsync(created.Id))["lastname"]);
        Assert.Same(connection, await connections.GetAsync());
    }
}
