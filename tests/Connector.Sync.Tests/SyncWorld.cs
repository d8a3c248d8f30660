using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Connector.Exchange.Graph.Auth;
using Connector.Exchange.Graph.Client;
using Connector.Exchange.Graph.Http;
using Connector.Simulators.Vtenext;
using Connector.Sync.State;
using Connector.Testing;
using Connector.Vtenext.Webservice;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.Sync.Tests;

/// <summary>
/// Everything a scenario needs, all real and over loopback: the simulators (Exchange through Graph over HTTPS with its
/// throw-away CA and OAuth authority; vtenext's webservice over its own MariaDB database), the real connector host on
/// Kestrel over a fresh connector database, configured through its own API like an admin would, with CRM users
/// alice and bob (each with a mailbox) and a CRM user "crm" who edits records in vtenext like a person would.
/// </summary>
public sealed class SyncWorld : IAsyncDisposable
{
    public const string TenantId = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "sim-secret-value";
    public const string Alice = "alice@example.test";
    public const string Bob = "bob@example.test";
    public const string ServerZone = "Europe/Rome";

    private InProcessSimulator _sim = null!;
    private TestDatabase _crmDb = null!;
    private TestDatabase _db = null!;
    private HttpClient _simHttp = null!;

    public ConnectorTestHost Connector { get; private set; } = null!;
    public Uri GraphBase { get; private set; } = null!;
    public Uri CrmBase { get; private set; } = null!;
    public string CaPath => _sim.CaPath;
    public int AliceId { get; private set; }
    public int BobId { get; private set; }
    public int CrmEditorId { get; private set; }
    public VtenextClient Crm { get; private set; } = null!;
    public TestDatabase ConnectorDatabase => _db;
    public TestDatabase CrmDatabase => _crmDb;

    /// <summary>Which protocol the connector speaks to Exchange (the tests watch the mailboxes through Graph either way:
    /// the simulator serves one mailbox model through both).</summary>
    public ExchangeProtocol Protocol { get; private init; }

    public static async Task<SyncWorld> StartAsync(IDictionary<string, string?>? connectorSettings = null, bool startConnector = true,
        ExchangeProtocol protocol = ExchangeProtocol.Graph, Action<WebApplicationBuilder>? configureConnector = null)
    {
        var w = new SyncWorld { Protocol = protocol };
        await w.StartSimulatorsAsync();
        if (startConnector) await w.StartConnectorAsync(connectorSettings, configureConnector);
        return w;
    }

    private async Task StartSimulatorsAsync()
    {
        _crmDb = await TestDatabase.CreateAsync("vte");
        await using (var c = await _crmDb.OpenAsync()) await c.ExecuteAsync(VtenextDatabase.SchemaSql());
        _sim = await InProcessSimulator.StartAsync(https: true, http: true, minimumLevel: LogLevel.Error, settings: [
            $"--Vtenext:ConnectionString={_crmDb.ConnectionString}", $"--Vtenext:ServerTimeZone={ServerZone}",
        ]);
        GraphBase = _sim.Https!;
        CrmBase = _sim.Http!;
        _simHttp = _sim.CreateTrustedClient();
        await PostAsync(GraphBase, "/_sim/apps", new { tenantId = TenantId, clientId = ClientId, clientSecret = ClientSecret, accessTokenLifetimeSeconds = 3600 });
        await PostAsync(GraphBase, "/_sim/mailboxes", new { address = Alice, displayName = "Alice", password = "P@ssw0rd!" });
        await PostAsync(GraphBase, "/_sim/mailboxes", new { address = Bob, displayName = "Bob", password = "P@ssw0rd!" });

        await CreateCrmUserAsync("exchange", "exchange@crm.example", "AKexchange0000001", admin: true);
        AliceId = await CreateCrmUserAsync("alice", Alice, "AKalice000000001");
        BobId = await CreateCrmUserAsync("bob", Bob, "AKbob00000000001");
        CrmEditorId = await CreateCrmUserAsync("crm", "crm@crm.example", "AKcrm00000000001", admin: true);
        Crm = new VtenextClient(_simHttp, new VtenextClientOptions(CrmBase, "crm", "AKcrm00000000001"));
    }

    /// <summary>The connector's configuration for this world (database, CA bundle, vtenext tables, fast polling).</summary>
    public async Task<Dictionary<string, string?>> ConnectorSettingsAsync(IDictionary<string, string?>? extra = null)
    {
        _db ??= await TestDatabase.CreateAsync("sync");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Connector"] = _db.ConnectionString,
            ["Connector:ApiKey"] = ConnectorTestHost.ApiKey,
            ["Connector:ExtraCaBundlePath"] = CaPath,
            ["ConnectionStrings:Vtenext"] = _crmDb.ConnectionString,
            ["Connector:VtenextServerTimeZone"] = ServerZone,
            ["Connector:Sync:PollSeconds"] = "0.3",
            ["Connector:Sync:ChannelCheckSeconds"] = "0.5",
            ["Connector:Jobs:LeaseSeconds"] = "5",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return settings;
    }

    public async Task StartConnectorAsync(IDictionary<string, string?>? extra = null, Action<WebApplicationBuilder>? configure = null)
    {
        var settings = await ConnectorSettingsAsync(extra);
        settings.Remove("ConnectionStrings:Connector");
        settings.Remove("Connector:ApiKey");
        Connector = await ConnectorTestHost.StartAsync(_db, settings, configure: configure);
        using var admin = Connector.Client(crmUserId: 1, admin: true);
        await ConfigureAsync(admin);
    }

    /// <summary>What an admin stores in the control panel: Microsoft 365 through the simulator, vtenext's webservice.</summary>
    /// <param name="contactSyncMode">off / owned / visible; omitted: the default (owned).</param>
    public async Task ConfigureAsync(HttpClient admin, string? contactSyncMode = null)
    {
        var settings = Protocol == ExchangeProtocol.Ews ? EwsWorld.Settings(this) : new JsonObject
        {
            ["exchangeKind"] = "microsoft365", ["graphBaseUrl"] = GraphBase.AbsoluteUri.TrimEnd('/'), ["authorityHost"] = GraphBase.AbsoluteUri.TrimEnd('/'),
            ["tenantId"] = TenantId, ["clientId"] = ClientId, ["clientSecret"] = ClientSecret,
            ["vtenextUrl"] = CrmBase.AbsoluteUri, ["vtenextUser"] = "exchange", ["vtenextAccessKey"] = "AKexchange0000001",
        };
        if (contactSyncMode is not null) settings["contactSyncMode"] = contactSyncMode;
        (await admin.PutAsJsonAsync("/api/v1/settings", settings)).EnsureSuccessStatusCode();
    }

    /// <summary>An admin switches the contact sync mode in the control panel.</summary>
    public async Task SetContactSyncModeAsync(string mode)
    {
        using var admin = Connector.Client(crmUserId: 1, admin: true);
        await ConfigureAsync(admin, mode);
    }

    public async Task EnableAsync(int crmUserId, string mailbox)
    {
        using var admin = Connector.Client(crmUserId: 1, admin: true);
        (await admin.PutAsJsonAsync($"/api/v1/users/{crmUserId}/preferences", Preferences(enabled: true, mailbox))).EnsureSuccessStatusCode();
    }

    public async Task DisableAsync(int crmUserId, string mailbox)
    {
        using var admin = Connector.Client(crmUserId: 1, admin: true);
        (await admin.PutAsJsonAsync($"/api/v1/users/{crmUserId}/preferences", Preferences(enabled: false, mailbox))).EnsureSuccessStatusCode();
    }

    /// <summary>A user's preferences as the preferences page saves them for this world's protocol.</summary>
    public object Preferences(bool enabled, string mailbox) => Protocol == ExchangeProtocol.Ews
        ? EwsWorld.Preferences(enabled, mailbox) : new { enabled, mailbox, authMethod = "application" };

    /// <summary>Exchange as a person with the mailbox sees it (app-only Graph client straight to the simulator).</summary>
    public GraphMailboxClient Mailbox(string address) =>
        new(new GraphTransport(_simHttp, new GraphClientOptions { GraphBaseUrl = GraphBase, BaseDelay = TimeSpan.FromMilliseconds(50) }),
            new AppOnlyTokenSource(new GraphAuthOptions { AuthorityHost = GraphBase, TenantId = TenantId, ClientId = ClientId, ClientSecret = ClientSecret }, _simHttp),
            address);

    public async Task<int> CreateCrmUserAsync(string userName, string email, string accessKey, bool admin = false)
    {
        using var response = await _simHttp.PostAsJsonAsync(new Uri(CrmBase, "/_sim/crm/users"),
            new { userName, email, accessKey, isAdmin = admin, timeZone = ServerZone, dateFormat = "yyyy-mm-dd" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedId>())!.Id;
    }

    /// <summary>A CRM group; returns its webservice id (what assigned_user_id takes).</summary>
    public async Task<string> CreateCrmGroupAsync(string name, params int[] members)
    {
        using var response = await _simHttp.PostAsJsonAsync(new Uri(CrmBase, "/_sim/crm/groups"), new { groupName = name, memberUserIds = members });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedId>())!.WsId;
    }

    private sealed record CreatedId(int Id, string WsId);

    private async Task PostAsync(Uri baseAddress, string path, object body)
    {
        using var response = await _simHttp.PostAsJsonAsync(new Uri(baseAddress, path), body);
        response.EnsureSuccessStatusCode();
    }

    // ---- the CRM as a person edits it, and the bridge's notice ----

    public async Task<string> OwnerIdAsync(int userOrGroupId) =>
        $"{(await Crm.DescribeAsync("Users")).IdPrefix}x{userOrGroupId}";

    /// <summary>Saves an event in vtenext as user "crm" and sends the bridge's change notice.</summary>
    public async Task<ElementId> CrmCreateEventAsync(string subject, DateTime startLocal, int ownerId, int minutes = 60, IEnumerable<string>? inviteeEmails = null)
    {
        var end = startLocal.AddMinutes(minutes);
        var fields = new Dictionary<string, object?>
        {
            ["subject"] = subject, ["activitytype"] = "Meeting", ["eventstatus"] = "Planned",
            ["date_start"] = startLocal.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["time_start"] = startLocal.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["due_date"] = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["time_end"] = end.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["assigned_user_id"] = await OwnerIdAsync(ownerId),
        };
        if (inviteeEmails is not null)
            fields["invitees"] = inviteeEmails.Select(e => new Dictionary<string, object> { ["email"] = e, ["partecipation"] = 0 }).ToArray();
        var created = await Crm.CreateAsync("Events", fields);
        await NoticeAsync("Events", created.Id, "save");
        return created.Id;
    }

    public async Task CrmReviseAsync(string module, ElementId id, Dictionary<string, object?> fields)
    {
        await Crm.ReviseAsync(id, fields);
        await NoticeAsync(module, id, "save");
    }

    public async Task CrmDeleteAsync(string module, ElementId id)
    {
        await Crm.DeleteAsync(id);
        await NoticeAsync(module, id, "delete");
    }

    /// <summary>What the bridge's save/delete hook posts.</summary>
    public async Task NoticeAsync(string module, ElementId id, string operation)
    {
        var modified = (await CrmScalarAsync<DateTime>("SELECT modifiedtime FROM vte_crmentity WHERE crmid = @id", new { id = id.CrmId }));
        var offset = TimeZoneInfo.FindSystemTimeZoneById(ServerZone).GetUtcOffset(modified);
        using var client = Connector.Client(crmUserId: CrmEditorId, admin: false);
        (await client.PostAsJsonAsync("/api/v1/crm/changes", new
        {
            module, crmid = id.CrmId, operation, modifiedtime = new DateTimeOffset(modified, offset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            actingUser = CrmEditorId,
        })).EnsureSuccessStatusCode();
    }

    /// <summary>Changes vtenext's tables directly (what an admin's sharing settings store).</summary>
    public async Task CrmExecuteAsync(string sql, object? args = null)
    {
        await using var c = await _crmDb.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    public async Task<T> CrmScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await _crmDb.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task<IReadOnlyList<T>> CrmQueryAsync<T>(string sql, object? args = null)
    {
        await using var c = await _crmDb.OpenAsync();
        return (await c.QueryAsync<T>(sql, args)).ToList();
    }

    public async Task<IReadOnlyList<T>> ConnectorQueryAsync<T>(string sql, object? args = null)
    {
        await using var c = await _db.OpenAsync();
        return (await c.QueryAsync<T>(sql, args)).ToList();
    }

    public T Service<T>() where T : notnull => Connector.App.Services.GetRequiredService<T>();

    public T SimService<T>() where T : notnull => _sim.Service<T>();

    /// <summary>Puts events straight into a simulated mailbox (fast seeding of large calendars; no invitations are involved).</summary>
    public IReadOnlyList<string> SeedExchangeEvents(string address, IEnumerable<(string Subject, DateTimeOffset Start, DateTimeOffset End)> events)
    {
        var directory = SimService<Connector.Simulators.Mailboxes.MailboxDirectory>();
        var mailbox = directory.Find(address)!;
        return events.Select(e => directory.CreateEvent(mailbox, new Connector.Simulators.Mailboxes.CalendarItem
        {
            Id = "", FolderId = "", Subject = e.Subject, Start = e.Start, End = e.End, TimeZone = "UTC",
            Organizer = new Connector.Simulators.Mailboxes.EmailAddress(address, null), ICalUId = "",
        }).Id).ToList();
    }

    /// <summary>Creates events in vtenext through the webservice (as user "crm"), without change notices: they exist before sync starts.</summary>
    public async Task<IReadOnlyList<ElementId>> SeedCrmEventsAsync(int ownerId, IEnumerable<(string Subject, DateTime StartLocal)> events)
    {
        var owner = await OwnerIdAsync(ownerId);
        var ids = new List<ElementId>();
        foreach (var (subject, start) in events)
        {
            var end = start.AddHours(1);
            ids.Add((await Crm.CreateAsync("Events", new Dictionary<string, object?>
            {
                ["subject"] = subject, ["activitytype"] = "Meeting", ["eventstatus"] = "Planned",
                ["date_start"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["time_start"] = start.ToString("HH:mm", CultureInfo.InvariantCulture),
                ["due_date"] = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["time_end"] = end.ToString("HH:mm", CultureInfo.InvariantCulture),
                ["assigned_user_id"] = owner,
            })).Id);
        }
        return ids;
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value (not null/false), or fails after <paramref name="seconds"/>.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await probe();
                if (value is not null && value is not false) return value;
            }
            catch (Exception e) { last = e; }
            await Task.Delay(150);
        }
        throw new TimeoutException($"Timed out waiting for: {what}" + (last is null ? "" : $" (last error: {last.Message})"));
    }

    /// <summary>Waits until the job queue has nothing pending or running (the connector is quiet).</summary>
    public async Task QuietAsync(double seconds = 30)
    {
        try
        {
            await Eventually(async () =>
            {
                var pending = await ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_jobs WHERE state IN ('Pending','Running')");
                var crm = await ConnectorQueryAsync<long>("SELECT COUNT(*) FROM exc_crm_changes WHERE processed_at IS NULL");
                return pending[0] == 0 && crm[0] == 0 ? (object)true : null;
            }, "the connector to be quiet", seconds);
        }
        catch (TimeoutException e)
        {
            // Say what kept it busy (a job retrying far ahead reads differently from a slow machine).
            var busy = await ConnectorQueryAsync<string>("""
                SELECT CONCAT(kind, ' ', state, ' attempts=', attempts, ' due=', DATE_FORMAT(next_attempt_at, '%H:%i:%s'),
                  ' now=', DATE_FORMAT(UTC_TIMESTAMP(), '%H:%i:%s'), ' ', COALESCE(LEFT(last_error, 300), ''))
                FROM exc_jobs WHERE state IN ('Pending','Running') ORDER BY id LIMIT 10
                """);
            throw new TimeoutException($"{e.Message}; still busy: {string.Join(" | ", busy)}", e);
        }
    }

    /// <summary>Requests the simulators received, by kind ("ews", "graph.GET", "vtenext", …).</summary>
    public async Task<IReadOnlyDictionary<string, long>> SimRequestsAsync() =>
        (await _simHttp.GetFromJsonAsync<SimRequests>(new Uri(GraphBase, "/_sim/requests")))!.Counts;

    private sealed record SimRequests(Dictionary<string, long> Counts);

    /// <summary>EWS requests the simulator answered so far, by operation (<c>GET /_sim/ews/requests</c>).</summary>
    public async Task<IReadOnlyDictionary<string, long>> EwsRequestsAsync() =>
        (await _simHttp.GetFromJsonAsync<Dictionary<string, long>>(new Uri(GraphBase, "/_sim/ews/requests")))!;

    public async Task<IReadOnlyList<string>> FailedJobsAsync() =>
        await ConnectorQueryAsync<string>("SELECT CONCAT(kind, ': ', COALESCE(last_error, '')) FROM exc_jobs WHERE state = 'Failed'");

    public async ValueTask DisposeAsync()
    {
        if (Connector is not null) await Connector.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
        _simHttp.Dispose();
        await _sim.DisposeAsync();
        await _crmDb.DisposeAsync();
    }
}
