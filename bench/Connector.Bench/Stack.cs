using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Connector.Exchange.Common.Tls;
using Connector.Testing;

namespace Connector.Bench;

/// <summary>
/// One benchmark world: fresh connector and vtenext databases on the private MariaDB, the simulators (Exchange over
/// HTTPS with their own CA, vtenext's webservice) and the connector, each a separate process started from the Release
/// build. Disposing stops both processes and drops the databases.
/// </summary>
public sealed class Stack : IAsyncDisposable
{
    public const string TenantId = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "bench-secret-0123456789";
    public const string ApiKey = "bench-key-0123456789abcdef";
    private const string AdminAccessKey = "AKexchangeBench1";

    private readonly List<Process> _processes = [];

    // Ctrl-C or a CI timeout must not leave a simulator or connector behind.
    private static readonly List<Process> Live = [];
    private static readonly PosixSignalRegistration[] OnSignals =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, _ => KillAll()))];

    private static void KillAll()
    {
        lock (Live)
            foreach (var p in Live)
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public required TestDatabase ConnectorDb { get; init; }
    public required TestDatabase CrmDb { get; init; }
    public required Uri SimHttps { get; init; }
    public required Uri CrmUrl { get; init; }
    public required Uri ConnectorUrl { get; init; }

    /// <summary>The connector's HTTPS address for Graph change notifications (bound only when they are on).</summary>
    public required Uri ConnectorHttps { get; init; }
    public Process Connector { get; private set; } = null!;
    public Process Simulators { get; private set; } = null!;
    public HttpClient Sim { get; private set; } = null!;
    public HttpClient Crm { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };
    public HttpClient Api { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>The connector as the php-bridge calls it: the key, and the saving user's headers per request.</summary>
    public HttpClient Bridge { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    private Stack() { }

    /// <summary>
    /// Starts MariaDB databases, the simulators and the connector. <paramref name="graphNotifications"/> (Graph only): the
    /// connector also serves HTTPS with a certificate from the simulator's CA and the settings carry its
    /// <c>notificationUrl</c>, so Graph pushes change notifications as it would to a public endpoint.
    /// <paramref name="connectorEnvironment"/>: settings this phase needs, after <see cref="ConnectorEnvironment"/>.
    /// </summary>
    public static async Task<Stack> StartAsync(string root, int latencyMs, double pollSeconds, string label, bool graphNotifications = false,
        IReadOnlyList<(string Name, string Value)>? connectorEnvironment = null)
    {
        graphNotifications &= !Ews;
        // One directory per run: two runs at once (a smoke run beside a full one) must not share a CA or keys.
        var state = Path.Combine(root, ".data", "bench", $"{label}-{Environment.ProcessId}");
        if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
        Directory.CreateDirectory(state);
        var stack = new Stack
        {
            ConnectorDb = await TestDatabase.CreateAsync("benchc"),
            CrmDb = await TestDatabase.CreateAsync("benchv"),
            SimHttps = new Uri($"https://127.0.0.1:{FreePort()}"),
            CrmUrl = new Uri($"http://127.0.0.1:{FreePort()}"),
            ConnectorUrl = new Uri($"http://127.0.0.1:{FreePort()}"),
            ConnectorHttps = new Uri($"https://127.0.0.1:{FreePort()}"),
        };
        try
        {
            var caFile = Path.Combine(state, "sim-ca.pem");
            var connectorCertificate = Path.Combine(state, "connector-cert.pem");
            stack.Simulators = stack.Start(root, "tests/Connector.Simulators", "Connector.Simulators.dll", Path.Combine(state, "simulators.log"), [],
                "--urls", $"{stack.SimHttps.ToString().TrimEnd('/')};{stack.CrmUrl.ToString().TrimEnd('/')}", "--ca-out", caFile,
                "--server-cert-out", connectorCertificate,
                $"--Vtenext:ConnectionString={stack.CrmDb.ConnectionString}", "--Vtenext:ServerTimeZone=Europe/Rome",
                $"--Simulator:LatencyMs={latencyMs}", "--Logging:LogLevel:Default=Warning");
            await WaitUntilAsync(() => File.Exists(caFile), TimeSpan.FromMinutes(1), "the simulators' CA file");
            // The simulators' own CA, trusted through the connector's CA-bundle code (validation stays on).
            var handler = TrustedHttp.CreateSocketsHandler(ExtraCaTrust.FromPemFile(caFile));
            handler.MaxConnectionsPerServer = 64;
            stack.Sim = new HttpClient(handler) { BaseAddress = stack.SimHttps, Timeout = TimeSpan.FromMinutes(2) };
            stack.Crm.BaseAddress = stack.CrmUrl;
            await WaitUntilAsync(async () =>
            {
                try { return (await stack.Sim.GetAsync("/_sim/health")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
            }, TimeSpan.FromMinutes(1), "the simulators");

            stack.Connector = stack.Start(root, "src/Connector.Api", "Connector.Api.dll", Path.Combine(state, "connector.log"),
            [
                ("ConnectionStrings__Connector", stack.ConnectorDb.ConnectionString),
                ("ConnectionStrings__Vtenext", stack.CrmDb.ConnectionString),
                ("Connector__ApiKey", ApiKey),
                ("Connector__DataProtectionKeysPath", Path.Combine(state, "keys")),
                ("Connector__ExtraCaBundlePath", caFile),
                ("Connector__Sync__PollSeconds", pollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Logging__LogLevel__Default", "Warning"),
                .. graphNotifications
                    ? new[] { ("Kestrel__Certificates__Default__Path", connectorCertificate), ("Kestrel__Certificates__Default__KeyPath", connectorCertificate + ".key") }
                    : [],
                .. ConnectorEnvironment,
                .. connectorEnvironment ?? [],
            ], "--urls", stack.ConnectorUrl.ToString().TrimEnd('/') + (graphNotifications ? ";" + stack.ConnectorHttps.ToString().TrimEnd('/') : ""));
            stack.Api.BaseAddress = stack.ConnectorUrl;
            stack.Api.DefaultRequestHeaders.Add("X-Connector-Key", ApiKey);
            stack.Api.DefaultRequestHeaders.Add("X-Crm-User", "1");
            stack.Api.DefaultRequestHeaders.Add("X-Crm-Admin", "true");
            stack.Bridge.BaseAddress = stack.ConnectorUrl;
            stack.Bridge.DefaultRequestHeaders.Add("X-Connector-Key", ApiKey);
            await WaitUntilAsync(async () =>
            {
                try { return (await stack.Api.GetAsync("/health/ready")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
            }, TimeSpan.FromMinutes(1), "the connector");

            await Ok(stack.Sim.PostAsJsonAsync("/_sim/apps", new { tenantId = TenantId, clientId = ClientId, clientSecret = ClientSecret }));
            await Ok(stack.Crm.PostAsJsonAsync("/_sim/crm/users", new
            {
                userName = "exchange", email = "exchange@crm.example", accessKey = AdminAccessKey, isAdmin = true,
                timeZone = "Europe/Rome", dateFormat = "yyyy-mm-dd",
            }));
            await Ok(stack.Api.PutAsJsonAsync("/api/v1/settings", new
            {
                exchangeKind = Ews ? "onPremises" : "microsoft365", ewsUrl = Ews ? new Uri(stack.SimHttps, "/EWS/Exchange.asmx").AbsoluteUri : null,
                graphBaseUrl = stack.SimHttps.ToString().TrimEnd('/'), authorityHost = stack.SimHttps.ToString().TrimEnd('/'),
                tenantId = TenantId, clientId = ClientId, clientSecret = ClientSecret,
                vtenextUrl = stack.CrmUrl.ToString(), vtenextUser = "exchange", vtenextAccessKey = AdminAccessKey,
                notificationUrl = graphNotifications ? new Uri(stack.ConnectorHttps, "/graph/notifications").AbsoluteUri : null,
            }));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync(); // never leave a simulator or connector process behind
            throw;
        }
    }

    public sealed record BenchUser(int CrmId, string WsId, string Mailbox);

    /// <summary>A user on both sides (vtenext user, Exchange mailbox) and in the connector; <paramref name="enabled"/> starts its channel.</summary>
    public async Task<BenchUser> AddUserAsync(int i, bool enabled)
    {
        var mailbox = $"user{i}@example.test";
        var created = await Ok(Crm.PostAsJsonAsync("/_sim/crm/users", new
        {
            userName = $"user{i}", email = mailbox, accessKey = $"AK{i:D14}", isAdmin = false, timeZone = "Europe/Rome", dateFormat = "yyyy-mm-dd",
        }));
        var crmUser = await created.Content.ReadFromJsonAsync<JsonElement>();
        await Ok(Sim.PostAsJsonAsync("/_sim/mailboxes", new { address = mailbox, displayName = $"User {i}", password = MailboxPassword }));
        var user = new BenchUser(crmUser.GetProperty("id").GetInt32(), crmUser.GetProperty("wsId").GetString()!, mailbox);
        if (enabled) await EnableAsync(user);
        return user;
    }

    public Task EnableAsync(BenchUser user) => Ews
        // On premises each user signs in to EWS with their own account (Basic here; the simulator also speaks NTLM).
        ? Ok(Api.PutAsJsonAsync($"/api/v1/users/{user.CrmId}/preferences", new
            { enabled = true, mailbox = user.Mailbox, authMethod = "basic", username = user.Mailbox.Split('@')[0], password = MailboxPassword }))
        : Ok(Api.PutAsJsonAsync($"/api/v1/users/{user.CrmId}/preferences", new { enabled = true, mailbox = user.Mailbox, authMethod = "application" }));

    /// <summary>More environment for the connector (<c>--connector-env NAME=VALUE</c>), e.g. to measure a setting's effect.</summary>
    public static List<(string Name, string Value)> ConnectorEnvironment { get; } = [];

    /// <summary>Which Exchange the connector talks to: Graph (Microsoft 365) by default, EWS (on premises) with <c>--exchange ews</c>.</summary>
    public static bool Ews { get; set; }

    public static string ProtocolName => Ews ? "EWS" : "Graph";

    private const string MailboxPassword = "Bench-P@ss1";

    /// <summary>EWS requests the simulator has answered so far, by operation.</summary>
    public async Task<Dictionary<string, long>> EwsRequestsAsync() =>
        (await Sim.GetFromJsonAsync<Dictionary<string, long>>("/_sim/ews/requests"))!;

    /// <summary>The connector's resident set (VmRSS) in bytes.</summary>
    public long ConnectorRss()
    {
        foreach (var line in File.ReadLines($"/proc/{Connector.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("No VmRSS for the connector process.");
    }

    /// <summary>
    /// Requests the simulators received, by kind, and their own time to serve each kind (server side, the configured
    /// latency excluded), from one read of <c>/_sim/requests</c>.
    /// </summary>
    public async Task<SimRequests> SimRequestsAsync()
    {
        var body = await Sim.GetFromJsonAsync<JsonElement>("/_sim/requests");
        return new SimRequests(
            body.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()),
            body.GetProperty("servedMs").EnumerateObject().ToDictionary(p => p.Name, p => new ServedTime(
                p.Value.GetProperty("requests").GetInt64(), p.Value.GetProperty("p50").GetDouble(), p.Value.GetProperty("p99").GetDouble())));
    }

    public sealed record SimRequests(Dictionary<string, long> Counts, Dictionary<string, ServedTime> Served);

    public sealed record ServedTime(long Requests, double P50, double P99);

    public async Task ResetSimRequestsAsync() => await Ok(Sim.DeleteAsync("/_sim/requests"));

    private string? _graphToken;

    /// <summary>An app-only Graph token from the simulator's authority, to play the user's own Outlook.</summary>
    public async Task<string> GraphTokenAsync()
    {
        if (_graphToken is not null) return _graphToken;
        var response = await Ok(Sim.PostAsync($"/{TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        })));
        return _graphToken = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout) throw new TimeoutException($"Gave up waiting for {what} after {timeout.TotalSeconds:0} s.");
            await Task.Delay(200);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Which build the processes run from: Release for figures, Debug for the CI smoke run (already built).</summary>
    public static string Configuration { get; set; } = "Release";

    /// <summary>Another build of the connector to run (a directory holding Connector.Api.dll), e.g. for before/after figures.</summary>
    public static string? ConnectorDirectory { get; set; }

    private Process Start(string root, string project, string dll, string log, (string Name, string Value)[] environment, params string[] args)
    {
        var bin = dll == "Connector.Api.dll" && ConnectorDirectory is { } other ? other : Path.Combine(root, project, "bin", Configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(bin, dll));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        lock (Live) Live.Add(process);
        GC.KeepAlive(OnSignals);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Enumerable.Reverse(_processes))
        {
            try { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); } catch (InvalidOperationException) { }
            lock (Live) Live.Remove(p);
            p.Dispose();
        }
        Sim?.Dispose();
        Crm.Dispose();
        Api.Dispose();
        Bridge.Dispose();
        await ConnectorDb.DisposeAsync();
        await CrmDb.DisposeAsync();
    }
}
