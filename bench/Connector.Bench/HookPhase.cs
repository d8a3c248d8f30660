using System.Diagnostics;

namespace Connector.Bench;

/// <summary>
/// Save-hook overhead: runs the php-bridge benchmark (<c>bench/php-bridge/hook_latency.php</c>: vtenext saves without the
/// module, with the module and the connector up, with the connector down) and keeps its table as printed. "Up" is the
/// real connector process, its engine off (<c>Connector:Sync:Enabled=false</c>: the notices are stored, not synced —
/// the saves come from the PHP suite's stand-in vtenext, which the connector cannot read), so a save waits for the intake.
/// </summary>
public static class HookPhase
{
    public static async Task<string> RunAsync(string root, int saves)
    {
        var script = Path.Combine(root, "bench", "php-bridge", "hook_latency.php");
        if (!File.Exists(script)) return "_bench/php-bridge/hook_latency.php is not on this branch yet; not measured._";
        await using var stack = await Stack.StartAsync(root, latencyMs: 0, pollSeconds: 30, "hook",
            connectorEnvironment: [("Connector__Sync__Enabled", "false")]);
        var start = new ProcessStartInfo("php") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CONNECTOR_URL"] = stack.ConnectorUrl.ToString().TrimEnd('/');
        start.Environment["CONNECTOR_KEY"] = Stack.ApiKey;
        start.Environment["CONNECTOR_DB"] = stack.ConnectorDb.Name;
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(saves.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var php = Process.Start(start)!;
        var output = php.StandardOutput.ReadToEndAsync();
        var errors = php.StandardError.ReadToEndAsync();
        await php.WaitForExitAsync();
        if (php.ExitCode != 0) throw new InvalidOperationException($"hook_latency.php failed ({php.ExitCode}): {await errors}");
        Console.WriteLine($"hook: {saves} saves measured");
        return (await output).Trim();
    }
}
