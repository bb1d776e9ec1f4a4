namespace JiraExport.JiraSimulator.Tests;

public sealed class BaseAddressTests
{
    [Fact]
    public async Task TwoSimulatorsOnPortZeroGetDistinctRealPorts()
    {
        await using var first = JiraSimulatorApp.Build(["--Logging:LogLevel:Default=Warning"]);
        await using var second = JiraSimulatorApp.Build(["--Logging:LogLevel:Default=Warning"], o => o.Seed = 1);
        first.Urls.Add("http://127.0.0.1:0");
        second.Urls.Add("http://127.0.0.1:0");
        await first.StartAsync(TestContext.Current.CancellationToken);
        await second.StartAsync(TestContext.Current.CancellationToken);

        var a = first.GetBaseAddress();
        var b = second.GetBaseAddress();
        using var client = new HttpClient();
        var health = await client.GetStringAsync(new Uri(a, "/alive"), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, a.Port);
        Assert.NotEqual(a.Port, b.Port);
        Assert.Equal(new Uri(first.Urls.First()).Port, a.Port);
        Assert.Equal("Healthy", health);
        await first.StopAsync(TestContext.Current.CancellationToken);
        await second.StopAsync(TestContext.Current.CancellationToken);
    }
}
