using Connector.Api.Hosting;

// MySql.Data 8.0.16 runs its *Async methods synchronously: every database round trip holds a pool thread. With the
// default minimum (one thread per core) the pool adds threads slowly under load, and jobs and requests queue behind
// blocked threads (bench/RESULTS.md, latency). Connector:MinPoolThreads gives it headroom up front.
var minThreads = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build().GetValue("Connector:MinPoolThreads", 64);
ThreadPool.GetMinThreads(out var workers, out var completionPorts);
ThreadPool.SetMinThreads(Math.Max(workers, minThreads), completionPorts);

var app = ConnectorApp.Build(args);
app.Run();

/// <summary>Entry point, also the anchor type for test hosts.</summary>
public partial class Program;
