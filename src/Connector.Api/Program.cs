using Connector.Api.Hosting;

var app = ConnectorApp.Build(args);
app.Run();

/// <summary>Entry point, also the anchor type for test hosts.</summary>
public partial class Program;
