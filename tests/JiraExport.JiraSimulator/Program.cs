using JiraExport.JiraSimulator;

var app = JiraSimulatorApp.Build(args);
app.Run();
