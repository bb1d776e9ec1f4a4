namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>Reading again until something the system does asynchronously has happened.</summary>
public static class Polling
{
    /// <summary>Reads until <paramref name="done"/> holds or <paramref name="timeout"/> has passed; answers the last read.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await read();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
            last = await read();
        }

        return last;
    }
}
