using Connector.Simulators;

var app = SimulatorApp.Build(args);
app.Run();
