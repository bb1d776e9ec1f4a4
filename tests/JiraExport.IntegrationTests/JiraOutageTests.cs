using JiraExport.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace JiraExport.IntegrationTests;

/// <summary>
/// An export waiting out a Jira outage says what it waits for. A system of its own: the outage opens the Worker's circuit
/// to the simulator for half a minute, which would fail the next class's exports.
/// </summary>
public sealed class JiraOutageTests(JiraExportSystem system) : IClassFixture<JiraExportSystem>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnExportWaitingOutAJiraOutageSaysWhatItWaitsForEachTime()
    {
        var tenant = await system.CreateTenantAsync(Token);
        await using var listener = await ExportEventListener.ConnectAsync(system.Realtime.BaseAddress, tenant.ApiKey, Token);
        await listener.Connection.InvokeAsync("SubscribeToTenant", Token);
        // One more 503 than the client's own two retries: the job goes round the retry queues (0.5 s, 1 s, 1.5 s in the
        // tests), while the circuit those failures opened keeps the node closed for longer than that.
        await system.InjectJiraFaultAsync(new { kind = "503", count = 3 }, Token);

        var exportId = await tenant.RequestExportAsync("key = DELTA-7", Token);
        await listener.WaitForFinishAsync(TimeSpan.FromMinutes(1), Token);
        var export = await tenant.WaitForExportToFinishAsync(exportId, Token);

        var messages = listener.Events.Where(e => e.Event.ExportId == exportId).Select(e => e.Event.Message ?? string.Empty).ToList();
        var waits = messages.Where(m => m.StartsWith("Waiting ", StringComparison.Ordinal)).ToList();
        Assert.True(waits.Count == 3, string.Join('\n', messages));
        Assert.StartsWith("Waiting 0.5 s before retry 1 of 3: Jira kept failing with 503", waits[0], StringComparison.Ordinal);
        Assert.StartsWith("Waiting 1 s before retry 2 of 3: Jira at ", waits[1], StringComparison.Ordinal);
        Assert.StartsWith("Waiting 1.5 s before retry 3 of 3: ", waits[2], StringComparison.Ordinal);
        Assert.Equal("failed", export.Status);
        Assert.StartsWith("The export failed 4 times and was given up: Jira at ", export.Error, StringComparison.Ordinal);
    }
}
