namespace JiraExport.IntegrationTests.Infrastructure;

/// <summary>
/// The same system with its tests' clients calling v2: a test class whose behaviour both versions share runs once
/// on each (<c>…OnV1</c> with <see cref="JiraExportSystem"/>, <c>…OnV2</c> with this one).
/// </summary>
public sealed class JiraExportSystemOnV2 : JiraExportSystem
{
    public override int ApiVersion => 2;
}

/// <summary>
/// Sends a request written for <c>/api/v1/…</c> to the same route of <paramref name="version"/>, and answers the
/// <c>Location</c> it creates in the test's own terms again, after checking it names that version's address.
/// </summary>
public sealed class ApiVersionRedirect(int version) : DelegatingHandler
{
    private const string V1Prefix = "/api/v1/";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (version == 1 || request.RequestUri is not { } uri || !uri.AbsolutePath.StartsWith(V1Prefix, StringComparison.Ordinal))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var prefix = $"/api/v{version}/";
        request.RequestUri = new UriBuilder(uri) { Path = prefix + uri.AbsolutePath[V1Prefix.Length..] }.Uri;
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.Location is { IsAbsoluteUri: false } location && location.OriginalString.StartsWith("/api/", StringComparison.Ordinal))
        {
            if (!location.OriginalString.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{request.Method} {request.RequestUri.AbsolutePath} answered Location {location}, not an address of v{version}.");
            }

            response.Headers.Location = new Uri(V1Prefix + location.OriginalString[prefix.Length..], UriKind.Relative);
        }

        return response;
    }
}
