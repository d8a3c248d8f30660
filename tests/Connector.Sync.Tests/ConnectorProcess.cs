using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Connector.Testing;

namespace Connector.Sync.Tests;

/// <summary>
/// The connector as its own OS process (the built Connector.Api app next to the tests), so a test can kill it hard
/// (SIGKILL: no shutdown code runs) and start it again on the same database and key ring.
/// </summary>
public sealed class ConnectorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ConnectorProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ConnectorProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Connector.Api.exe" : "Connector.Api"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        info.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var (k, v) in settings) info.ArgumentList.Add($"--{k}={v}");
        var process = Process.Start(info)!;
        // The last lines it wrote, to say why it exited when it does not come up.
        var tail = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is null) return;
            tail.Enqueue(line);
            while (tail.Count > 40) tail.TryDequeue(out _);
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var connector = new ConnectorProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient();
        await SyncWorld.Eventually(async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The connector exited with {process.ExitCode}: {string.Join(Environment.NewLine, tail)}");
            return (await http.GetAsync(new Uri(connector.BaseAddress, "/health/live"))).IsSuccessStatusCode ? (object)true : null;
        }, "the connector process to listen", 30);
        return connector;
    }

    public HttpClient Client(int crmUserId, bool admin)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Connector-Key", ConnectorTestHost.ApiKey);
        client.DefaultRequestHeaders.Add("X-Crm-User", crmUserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        client.DefaultRequestHeaders.Add("X-Crm-Admin", admin ? "true" : "false");
        return client;
    }

    /// <summary>SIGKILL, as a crash or an OOM killer would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
