using System.Text.Json;
using System.Text.Json.Nodes;
using JiraExport.JiraSimulator.Endpoints;

namespace JiraExport.JiraSimulator.Faults;

/// <summary>
/// Test controls over HTTP, without auth, so tests and separate processes can arm faults and read counters:
/// <c>POST|GET|DELETE /_simulator/faults</c>, <c>GET|DELETE /_simulator/stats</c>, and <c>GET /_simulator/requests</c>
/// (when each request since the stats were reset arrived and the fault it got: the gaps show waits and backoff), and
/// <c>PUT|DELETE /_simulator/statuses</c> (what <c>GET /status</c> answers instead of the site's statuses).
/// </summary>
internal static class SimulatorControlEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorControl(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_simulator");

        group.MapPost("/faults", async (HttpRequest request, FaultState state, CancellationToken cancellationToken) =>
        {
            state.Arm(await ReadFaultAsync(request, cancellationToken));
            return Results.NoContent();
        });

        group.MapGet("/faults", (FaultState state) =>
        {
            var (fault, remaining) = state.Current();
            return JiraJson.Ok(new JsonObject
            {
                ["kind"] = fault is null ? null : KindName(fault.Kind),
                ["count"] = fault?.Count,
                ["remaining"] = fault is null ? null : remaining,
                ["retryAfterSeconds"] = fault?.RetryAfterSeconds,
                ["latencyMs"] = fault?.LatencyMs,
                ["reason"] = fault?.Reason,
                ["sizeBytes"] = fault?.SizeBytes,
            });
        });

        group.MapDelete("/faults", (FaultState state) =>
        {
            state.Clear();
            return Results.NoContent();
        });

        // A hostile or broken Jira's GET /status: the body given is served as it is, until deleted.
        group.MapPut("/statuses", async (HttpRequest request, FaultState state, CancellationToken cancellationToken) =>
        {
            state.StatusList = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return Results.NoContent();
        });

        group.MapDelete("/statuses", (FaultState state) =>
        {
            state.StatusList = null;
            return Results.NoContent();
        });

        group.MapGet("/stats", (FaultState state) =>
            JiraJson.Ok(new JsonObject { ["requests"] = state.Requests, ["faultsServed"] = state.FaultsServed }));

        group.MapGet("/requests", (FaultState state) =>
            JiraJson.Ok(new JsonArray([.. state.Log.Select(r => new JsonObject
            {
                ["at"] = r.At,
                ["fault"] = r.Fault is { } kind ? KindName(kind) : null,
                ["path"] = r.Path,
            })])));

        group.MapDelete("/stats", (FaultState state) =>
        {
            state.ResetStats();
            return Results.NoContent();
        });

        return app;
    }

    private static async Task<FaultSpec> ReadFaultAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw Invalid("The body must be JSON: {\"kind\":\"429\"|\"503\"|\"latency\"|\"oversized\",\"count\":N,\"retryAfterSeconds\":S,\"latencyMs\":M,\"sizeBytes\":B}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kindElement))
            {
                throw Invalid("'kind' is required: \"429\", \"503\", \"latency\", \"late\" or \"oversized\".");
            }

            var kindText = kindElement.ValueKind == JsonValueKind.Number ? kindElement.GetRawText() : kindElement.GetString();
            var kind = kindText?.ToLowerInvariant() switch
            {
                "429" => FaultKind.RateLimited,
                "503" => FaultKind.Unavailable,
                "latency" => FaultKind.Latency,
                "late" => FaultKind.LateAnswer,
                "oversized" => FaultKind.Oversized,
                _ => throw Invalid($"Unknown fault kind '{kindText}'; use \"429\", \"503\", \"latency\", \"late\" or \"oversized\"."),
            };

            var reason = root.TryGetProperty("reason", out var reasonElement) && reasonElement.ValueKind == JsonValueKind.String
                ? reasonElement.GetString()!
                : FaultSpec.BurstReason;
            if (reason is not (FaultSpec.BurstReason or "jira-quota-tenant-based" or "jira-quota-global-based" or "jira-per-issue-on-write"))
            {
                throw Invalid($"Unknown rate-limit reason '{reason}'.");
            }

            return new FaultSpec(
                kind,
                ReadCount(root, "count", 0),
                ReadCount(root, "retryAfterSeconds", kind == FaultKind.RateLimited ? 1 : 0),
                ReadCount(root, "latencyMs", kind is FaultKind.Latency or FaultKind.LateAnswer ? 200 : 0),
                reason,
                ReadCount(root, "sizeBytes", kind == FaultKind.Oversized ? 64 * 1024 * 1024 : 0));
        }
    }

    private static int ReadCount(JsonElement root, string name, int fallback)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0
            ? number
            : throw Invalid($"'{name}' must be a whole number, 0 or more.");
    }

    private static string KindName(FaultKind kind) => kind switch
    {
        FaultKind.RateLimited => "429",
        FaultKind.Unavailable => "503",
        FaultKind.Oversized => "oversized",
        FaultKind.LateAnswer => "late",
        _ => "latency",
    };

    private static JiraRequestException Invalid(string message) => new(StatusCodes.Status400BadRequest, message);
}
