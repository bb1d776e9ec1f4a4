using System.Text.Json;

namespace JiraExport.Core.Jira;

/// <summary>Jira's error shape: <c>{"errorMessages":[…],"errors":{"field":"message"}}</c>, surfaced verbatim.</summary>
internal static class JiraErrorBody
{
    public static string Describe(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                // A proxy in front of Jira may answer with a bare string, number or array.
                return Truncate(body);
            }

            var parts = new List<string>();
            if (document.RootElement.TryGetProperty("errorMessages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                parts.AddRange(messages.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText()).OfType<string>());
            }

            if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                parts.AddRange(errors.EnumerateObject().Select(e => $"{e.Name}: {e.Value}"));
            }

            if (document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                parts.Add(message.GetString()!);
            }

            return parts.Count > 0 ? string.Join(" ", parts) : Truncate(body);
        }
        catch (JsonException)
        {
            return Truncate(body);
        }
    }

    private static string Truncate(string body) => body.Length <= 300 ? body.Trim() : body[..300].Trim() + "…";
}
