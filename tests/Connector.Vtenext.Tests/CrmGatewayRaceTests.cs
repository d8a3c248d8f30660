using Connector.Core.Calendar;
using Connector.Core.Mailboxes;
using Connector.Core.Sync;
using Connector.Sync.Ports;
using Connector.Vtenext.Mapping;
using Connector.Vtenext.Sync;
using Connector.Vtenext.Webservice;

namespace Connector.Vtenext.Tests;

/// <summary>
/// A person deletes a record in vtenext while the connector writes an Exchange change into it. Whichever step the delete
/// lands before (the gateway's retrieve or its revise), the write must come back as a stale plan to re-read, never as a
/// failed item an admin has to look at (the CI loop test hit the revise window).
/// </summary>
public sealed class CrmGatewayRaceTests : IAsyncLifetime
{
    private VtenextSimulatorHost _crm = null!;

    public async Task InitializeAsync() => _crm = await VtenextSimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("retrieve")]
    [InlineData("revise")]
    public async Task A_record_deleted_in_vtenext_during_an_update_is_a_stale_plan(string deletedBefore)
    {
        var (person, user) = await _crm.ClientForNewUserAsync();
        var deleteFirst = new DeleteFirst(deletedBefore, person);
        var gatewayHttp = new HttpClient(deleteFirst);
        var client = new VtenextClient(gatewayHttp, new VtenextClientOptions(_crm.BaseAddress, "integration", person.Options.AccessKey));
        var mapper = new VtenextMapper(VtenextZones.FromIds(VtenextSimulatorHost.ServerZone, VtenextSimulatorHost.ServerZone), "dd-mm-yyyy"); // the simulator's default for a new user
        var gateway = new VtenextCrmGateway(_ => Task.FromResult((client, mapper)), tables: null);
        var created = await gateway.CreateAsync(new CalendarEvent { Subject = "Visit", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") },
            new Owner.User(user.Id), null, default);
        deleteFirst.Armed = true;

        var stale = await Assert.ThrowsAsync<StaleChangeKeyException>(() => gateway.UpdateAsync(created.Key,
            new CalendarEvent { Subject = "Visit (moved)", Span = EventSpan.Timed(Start.AddHours(2), Start.AddHours(3), "UTC") }, default));

        Assert.Contains("deleted in vtenext", stale.Message);
        Assert.Same(CrmRead.Missing, await gateway.ReadAsync(created.Key, default));
    }

    /// <summary>Once armed, deletes the record being written (through the person's own session) just before the named operation.</summary>
    private sealed class DeleteFirst(string operation, VtenextClient person) : DelegatingHandler(new HttpClientHandler())
    {
        public bool Armed { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var call = request.Content is null ? request.RequestUri!.Query : await request.Content.ReadAsStringAsync(ct);
            var parameters = System.Web.HttpUtility.ParseQueryString(call);
            if (Armed && parameters["operation"] == operation)
            {
                Armed = false;
                var target = parameters["id"] ?? System.Text.Json.JsonDocument.Parse(parameters["element"]!).RootElement.GetProperty("id").GetString();
                await person.DeleteAsync(ElementId.Parse(target!), ct);
            }
            return await base.SendAsync(request, ct);
        }
    }
}
