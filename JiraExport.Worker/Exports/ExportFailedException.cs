namespace JiraExport.Worker.Exports;

/// <summary>A failure no retry can mend; its message is shown to the user as the export's error.</summary>
public sealed class ExportFailedException(string message) : Exception(message);
