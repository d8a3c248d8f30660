using System.Diagnostics;
using System.Text.Json;
using Connector.Testing;
using MySql.Data.MySqlClient;

namespace Connector.Bridge.Tests;

/// <summary>What <c>php-bridge/tests/e2e/hook.php</c> reports: the record it saved or deleted, the outbox size after,
/// and what the module logged.</summary>
public sealed record HookResult(int Crmid, int Outbox)
{
    public string Log { get; init; } = "";
}

/// <summary>
/// Runs the bridge module's real hook code in a separate <c>php</c> process, as a vtenext request would: the
/// stand-in vtenext (php-bridge/tests/vtenext) saves or deletes an event in <paramref name="crmDatabase"/>.
/// </summary>
public static class PhpHook
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<HookResult> RunAsync(string operation, string crmDatabase, Uri connector, string key, int userId, int? crmid = null)
    {
        var start = new ProcessStartInfo("php")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot, "php-bridge"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The same database server as the test's (CONNECTOR_TEST_DB may point elsewhere than the default).
        var server = new MySqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
        start.Environment["CONNECTOR_DB_HOST"] = server.Server;
        start.Environment["CONNECTOR_DB_PORT"] = server.Port.ToString();
        start.Environment["CONNECTOR_DB_USER"] = server.UserID;
        start.Environment["CONNECTOR_DB_PASSWORD"] = server.Password;
        foreach (var arg in new[] { "tests/e2e/hook.php", operation, crmDatabase, connector.ToString().TrimEnd('/'), key, userId.ToString() })
            start.ArgumentList.Add(arg);
        if (crmid is not null) start.ArgumentList.Add(crmid.Value.ToString());

        using var php = Process.Start(start) ?? throw new InvalidOperationException("php could not be started");
        var stdout = php.StandardOutput.ReadToEndAsync();
        var stderr = php.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await php.WaitForExitAsync(timeout.Token);
        if (php.ExitCode != 0)
            throw new InvalidOperationException($"php hook.php {operation} exited with {php.ExitCode}: {await stderr}{await stdout}");
        return JsonSerializer.Deserialize<HookResult>((await stdout).Trim(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!
            with { Log = await stderr };
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Connector.sln"))) return dir.FullName;
        throw new InvalidOperationException("Connector.sln not found above " + AppContext.BaseDirectory);
    }
}
