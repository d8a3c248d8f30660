using System.Collections.Specialized;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Mailboxes;
using Connector.Core.Sync;
using Connector.Sync.Ports;
using Connector.Vtenext.Mapping;
using Connector.Vtenext.Sync;
using Connector.Vtenext.Webservice;

namespace Connector.Vtenext.Tests;

/// <summary>
/// A person saves or deletes a record in vtenext while the connector writes an Exchange change into it, or vtenext's
/// database refuses the write. Each interference is put exactly where it hurts (between the gateway's calls, or between
/// vtenext's write and its read-back) by a handler on the gateway's HTTP; the loop test over both sides found each one.
/// </summary>
public sealed class CrmGatewayRaceTests : IAsyncLifetime
{
    private VtenextSimulatorHost _crm = null!;

    public async Task InitializeAsync() => _crm = await VtenextSimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CalendarEvent Visit(string? location = null, string subject = "Visit") =>
        new() { Subject = subject, Location = location, Span = EventSpan.Timed(Start, Start.AddHours(1), "UTC") };

    [Theory]
    [InlineData("retrieve")]
    [InlineData("revise")]
    public async Task A_record_deleted_in_vtenext_during_an_update_is_a_stale_plan(string deletedBefore)
    {
        var (gateway, visit, person, interference) = await GatewayWithVisitAsync();
        interference.Next = new DeleteFirst(deletedBefore, person);

        var stale = await Assert.ThrowsAsync<StaleChangeKeyException>(() => gateway.UpdateAsync(visit, Visit(subject: "Visit (moved)"), default));

        Assert.Contains("deleted in vtenext", stale.Message);
        Assert.Same(CrmRead.Missing, await gateway.ReadAsync(visit, default));
    }

    [Fact]
    public async Task A_save_landing_between_the_revise_and_its_read_back_is_not_reported_as_the_connectors_write()
    {
        var (gateway, visit, person, interference) = await GatewayWithVisitAsync();

        var quiet = await gateway.UpdateAsync(visit, Visit("Room 7"), default);
        interference.Next = new SaveBetweenReviseAndReadBack(person);
        var interleaved = await gateway.UpdateAsync(visit, Visit("Room 8"), default);

        // Undisturbed, the answer is vtenext's read-back; with the person's save in it, it is what the connector wrote, so
        // the record's fingerprint no longer matches the CRM and the person's save is synced rather than taken as ours.
        Assert.Equal("Room 7", ((CalendarEvent)quiet.Entity).Location);
        Assert.Equal(Visit("Room 8"), interleaved.Entity);
        var now = (await gateway.ReadAsync(visit, default)).Record!;
        Assert.Equal("Visit (person's subject)", ((CalendarEvent)now.Entity).Subject);
        Assert.NotEqual(Fingerprint.Of(now.Entity), Fingerprint.Of(interleaved.Entity));
    }

    [Fact]
    public async Task A_deadlock_in_vtenexts_database_during_a_revise_is_retried_not_a_failed_item()
    {
        var (gateway, visit, _, interference) = await GatewayWithVisitAsync();
        interference.Next = new DeadlockOnRevise();

        var refused = await Assert.ThrowsAsync<TransientSyncException>(() => gateway.UpdateAsync(visit, Visit("Room 3"), default));
        var retried = await gateway.UpdateAsync(visit, Visit("Room 3"), default);

        Assert.Contains("Deadlock", refused.Message);
        Assert.Equal("Room 3", ((CalendarEvent)retried.Entity).Location);
    }

    /// <summary>The gateway as the connector runs it (its HTTP through an <see cref="Interference"/>), a person with their
    /// own session, and a "Visit" the gateway created for them.</summary>
    private async Task<(VtenextCrmGateway Gateway, CrmKey Visit, VtenextClient Person, Interference Interference)> GatewayWithVisitAsync()
    {
        var (person, user) = await _crm.ClientForNewUserAsync();
        var interference = new Interference();
        var client = new VtenextClient(new HttpClient(interference), new VtenextClientOptions(_crm.BaseAddress, "integration", person.Options.AccessKey));
        // "dd-mm-yyyy": the simulator's date format for a new user.
        var mapper = new VtenextMapper(VtenextZones.FromIds(VtenextSimulatorHost.ServerZone, VtenextSimulatorHost.ServerZone), "dd-mm-yyyy");
        var gateway = new VtenextCrmGateway(_ => Task.FromResult((client, mapper)), tables: null);
        var created = await gateway.CreateAsync(Visit(), new Owner.User(user.Id), null, default);
        return (gateway, created.Key, person, interference);
    }

    /// <summary>Passes the gateway's calls to vtenext; the first call <see cref="Next"/> takes goes to it instead (once).</summary>
    private sealed class Interference() : DelegatingHandler(new HttpClientHandler())
    {
        public Interceptor? Next { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var parameters = HttpUtility.ParseQueryString(request.Content is null ? request.RequestUri!.Query : await request.Content.ReadAsStringAsync(ct));
            if (Next is not { } next || !next.Takes(parameters["operation"]!)) return await base.SendAsync(request, ct);
            Next = null;
            return await next.HandleAsync(request, parameters, base.SendAsync, ct);
        }
    }

    /// <summary>What happens to one call of the gateway's (<see cref="Takes"/> says which).</summary>
    private abstract class Interceptor
    {
        public abstract bool Takes(string operation);

        public abstract Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, NameValueCollection parameters,
            Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken ct);

        protected static ElementId Target(NameValueCollection parameters) => ElementId.Parse(parameters["id"]
            ?? JsonDocument.Parse(parameters["element"]!).RootElement.GetProperty("id").GetString()!);
    }

    /// <summary>The person deletes the record just before the named call.</summary>
    private sealed class DeleteFirst(string operation, VtenextClient person) : Interceptor
    {
        public override bool Takes(string call) => call == operation;

        public override async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, NameValueCollection parameters,
            Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken ct)
        {
            await person.DeleteAsync(Target(parameters), ct);
            return await send(request, ct);
        }
    }

    /// <summary>The revise goes through, then the person saves the record, and the answer is a fresh read: what vtenext's
    /// revise answers when another save lands before its read-back.</summary>
    private sealed class SaveBetweenReviseAndReadBack(VtenextClient person) : Interceptor
    {
        public override bool Takes(string call) => call == "revise";

        public override async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, NameValueCollection parameters,
            Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken ct)
        {
            (await send(request, ct)).Dispose();
            var id = Target(parameters);
            await person.ReviseAsync(id, new Dictionary<string, object?> { ["subject"] = "Visit (person's subject)" }, ct);
            var readBack = new UriBuilder(request.RequestUri!)
            {
                Query = $"operation=retrieve&sessionName={Uri.EscapeDataString(parameters["sessionName"]!)}&id={Uri.EscapeDataString(id.ToString())}",
            };
            return await send(new HttpRequestMessage(HttpMethod.Get, readBack.Uri), ct);
        }
    }

    /// <summary>Answers the revise as vtenext does when MariaDB picked its transaction as a deadlock's victim.</summary>
    private sealed class DeadlockOnRevise : Interceptor
    {
        public override bool Takes(string call) => call == "revise";

        public override Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, NameValueCollection parameters,
            Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new
                {
                    success = false,
                    error = new { code = "DATABASE_QUERY_ERROR", message = "Deadlock found when trying to get lock; try restarting transaction" },
                }),
            });
    }
}
