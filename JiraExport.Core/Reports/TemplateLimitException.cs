namespace JiraExport.Core.Reports;

/// <summary>A template broke one of the sandbox's limits (time, steps, output or value size) or could not render.</summary>
public sealed class TemplateLimitException(string message, Exception? innerException = null) : Exception(message, innerException);
