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

    [Fact]
    public async Task A_save_landing_between_the_revise_and_its_read_back_is_not_reported_as_the_connectors_write()
    {
        var (person, user) = await _crm.ClientForNewUserAsync();
        var saveBetween = new SaveBetweenReviseAndReadBack(person);
        var client = new VtenextClient(new HttpClient(saveBetween), new VtenextClientOptions(_crm.BaseAddress, "integration", person.Options.AccessKey));
        var mapper = new VtenextMapper(VtenextZones.FromIds(VtenextSimulatorHost.ServerZone, VtenextSimulatorHost.ServerZone), "dd-mm-yyyy");
        var gateway = new VtenextCrmGateway(_ => Task.FromResult((client, mapper)), tables: null);
        var created = await gateway.CreateAsync(new CalendarEvent { Subject = "Visit", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") },
            new Owner.User(user.Id), null, default);
        var fromExchange = new CalendarEvent { Subject = "Visit", Location = "Room 7", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") };

        var quiet = await gateway.UpdateAsync(created.Key, fromExchange, default);
        saveBetween.Armed = true;
        var interleaved = await gateway.UpdateAsync(created.Key, fromExchange with { Location = "Room 8" }, default);

        // Undisturbed, the answer is vtenext's read-back; with the person's save in it, it is what the connector wrote, so
        // the record's fingerprint no longer matches the CRM and the person's save is synced rather than taken as ours.
        Assert.Equal("Room 7", ((CalendarEvent)quiet.Entity).Location);
        Assert.Equal(fromExchange with { Location = "Room 8" }, interleaved.Entity);
        var now = (await gateway.ReadAsync(created.Key, default)).Record!;
        Assert.Equal("Visit (person's subject)", ((CalendarEvent)now.Entity).Subject);
        Assert.NotEqual(Fingerprint.Of(now.Entity), Fingerprint.Of(interleaved.Entity));
    }

    [Fact]
    public async Task A_deadlock_in_vtenexts_database_during_a_revise_is_retried_not_a_failed_item()
    {
        var (person, user) = await _crm.ClientForNewUserAsync();
        var deadlockOnce = new DeadlockOnRevise();
        var client = new VtenextClient(new HttpClient(deadlockOnce), new VtenextClientOptions(_crm.BaseAddress, "integration", person.Options.AccessKey));
        var mapper = new VtenextMapper(VtenextZones.FromIds(VtenextSimulatorHost.ServerZone, VtenextSimulatorHost.ServerZone), "dd-mm-yyyy");
        var gateway = new VtenextCrmGateway(_ => Task.FromResult((client, mapper)), tables: null);
        var created = await gateway.CreateAsync(new CalendarEvent { Subject = "Visit", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") },
            new Owner.User(user.Id), null, default);
        var moved = new CalendarEvent { Subject = "Visit", Location = "Room 3", Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") };

        var refused = await Assert.ThrowsAsync<TransientSyncException>(() => gateway.UpdateAsync(created.Key, moved, default));
        var retried = await gateway.UpdateAsync(created.Key, moved, default);

        Assert.Contains("Deadlock", refused.Message);
        Assert.Equal("Room 3", ((CalendarEvent)retried.Entity).Location);
    }

    /// <summary>Answers the first revise as vtenext does when MariaDB picked its transaction as a deadlock's victim.</summary>
    private sealed class DeadlockOnRevise() : DelegatingHandler(new HttpClientHandler())
    {
        private bool _answered;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var parameters = request.Content is null ? null : System.Web.HttpUtility.ParseQueryString(await request.Content.ReadAsStringAsync(ct));
            if (_answered || parameters?["operation"] != "revise") return await base.SendAsync(request, ct);
            _answered = true;
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = System.Net.Http.Json.JsonContent.Create(new
                {
                    success = false,
                    error = new { code = "DATABASE_QUERY_ERROR", message = "Deadlock found when trying to get lock; try restarting transaction" },
                }),
            };
        }
    }

    /// <summary>
    /// Once armed, lets the connector's revise through, then saves the record as the person and answers with a fresh
    /// read: what vtenext's revise answers when another save lands before its read-back.
    /// </summary>
    private sealed class SaveBetweenReviseAndReadBack(VtenextClient person) : DelegatingHandler(new HttpClientHandler())
    {
        public bool Armed { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var parameters = request.Content is null ? null : System.Web.HttpUtility.ParseQueryString(await request.Content.ReadAsStringAsync(ct));
            var response = await base.SendAsync(request, ct);
            if (!Armed || parameters?["operation"] != "revise") return response;
            Armed = false;
            var id = System.Text.Json.JsonDocument.Parse(parameters["element"]!).RootElement.GetProperty("id").GetString()!;
            await person.ReviseAsync(ElementId.Parse(id), new Dictionary<string, object?> { ["subject"] = "Visit (person's subject)" }, ct);
            var readBack = new UriBuilder(request.RequestUri!)
            {
                Query = $"operation=retrieve&sessionName={Uri.EscapeDataString(parameters["sessionName"]!)}&id={Uri.EscapeDataString(id)}",
            };
            return await base.SendAsync(new HttpRequestMessage(HttpMethod.Get, readBack.Uri), ct);
        }
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
