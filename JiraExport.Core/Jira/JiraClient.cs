using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using JiraExport.Core.Domain;
using Microsoft.Extensions.Options;

namespace JiraExport.Core.Jira;

/// <summary>
/// Talks to Jira Cloud (<c>/rest/api/3</c>, enhanced search paged by <c>nextPageToken</c>) and Data Center
/// (<c>/rest/api/2</c>, search paged by <c>startAt</c>). Retries and <c>Retry-After</c> live in the resilience
/// pipeline registered with the HttpClient; auth is set per request, never on the shared client.
/// </summary>
public sealed partial class JiraClient(HttpClient http, IOptions<JiraClientOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<JiraUser> GetCurrentUserAsync(JiraSite site, CancellationToken cancellationToken)
    {
        return await SendAsync<JiraUser>(site, HttpMethod.Get, $"/rest/api/{ApiVersion(site)}/myself", body: null, cancellationToken);
    }

    /// <summary>Pages through every issue the JQL matches, asking only for <paramref name="fields"/>.</summary>
    public IAsyncEnumerable<JiraSearchPage> SearchAsync(JiraSite site, string jql, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        site.Deployment == JiraDeployment.Cloud
            ? SearchCloudAsync(site, jql, fields, cancellationToken)
            : SearchDataCenterAsync(site, jql, fields, cancellationToken);

    private async IAsyncEnumerable<JiraSearchPage> SearchCloudAsync(
        JiraSite site, string jql, IReadOnlyList<string> fields, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? nextPageToken = null;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; ; page++)
        {
            var body = new CloudSearchRequest(jql, fields, options.Value.PageSize, nextPageToken);
            var result = await SendAsync<CloudSearchResponse>(site, HttpMethod.Post, "/rest/api/3/search/jql", body, cancellationToken);
            var isLast = result.IsLast ?? string.IsNullOrEmpty(result.NextPageToken);
            yield return new JiraSearchPage(result.Issues ?? [], isLast, Total: null);

            if (isLast || string.IsNullOrEmpty(result.NextPageToken))
            {
                yield break;
            }

            // A token seen before means Jira's paging loops: fail rather than spin or return a truncated set.
            if (!seenTokens.Add(result.NextPageToken) || page >= options.Value.MaxPages)
            {
                throw new JiraException(JiraFailureKind.Protocol, $"Jira's search paging did not end after {page + 1} pages; the result would be incomplete.");
            }

            nextPageToken = result.NextPageToken;
        }
    }

    private async IAsyncEnumerable<JiraSearchPage> SearchDataCenterAsync(
        JiraSite site, string jql, IReadOnlyList<string> fields, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var startAt = 0;
        for (var page = 0; ; page++)
        {
            var body = new DataCenterSearchRequest(jql, startAt, options.Value.PageSize, fields);
            var result = await SendAsync<DataCenterSearchResponse>(site, HttpMethod.Post, "/rest/api/2/search", body, cancellationToken);
            var issues = result.Issues ?? [];
            // The server may lower maxResults; advance by what actually came back.
            startAt += issues.Count;
            var isLast = issues.Count == 0 || startAt >= result.Total;
            yield return new JiraSearchPage(issues, isLast, result.Total);

            if (isLast)
            {
                yield break;
            }

            if (page >= options.Value.MaxPages)
            {
                throw new JiraException(JiraFailureKind.Protocol, $"Jira's search paging did not end after {page + 1} pages; the result would be incomplete.");
            }
        }
    }

    private static string ApiVersion(JiraSite site) => site.Deployment == JiraDeployment.Cloud ? "3" : "2";

    /// <summary>
    /// Sends to the site's nodes in order until one answers: a node that fails (unreachable, timing out, 5xx after its
    /// retries, or its circuit open) hands the request to the next. Any other answer, good or bad, is the site's.
    /// </summary>
    private async Task<T> SendAsync<T>(JiraSite site, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var nodes = site.Nodes;
        JiraException? firstFailure = null;
        foreach (var node in nodes)
        {
            using var request = CreateRequest(site, node, method, path, body);
            try
            {
                return await SendToNodeAsync<T>(request, cancellationToken);
            }
            catch (JiraException ex) when (ex.IsNodeFailure && nodes.Count > 1)
            {
                firstFailure ??= ex;
            }
        }

        throw new JiraException(JiraFailureKind.Unavailable,
            $"None of the {nodes.Count} nodes of the Jira site answered. {firstFailure!.Message}", firstFailure.StatusCode, firstFailure);
    }

    private static HttpRequestMessage CreateRequest(JiraSite site, Uri node, HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, new Uri(node.ToString().TrimEnd('/') + path))
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Json),
        };
        request.Headers.Authorization = site.Credentials.ToAuthorizationHeader();
        request.Headers.Accept.ParseAdd("application/json");
        request.Options.Set(JiraRateGate.LimitsOption, site.Limits);
        return request;
    }

    private async Task<T> SendToNodeAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is JiraException refused)
        {
            throw refused;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                       or Polly.CircuitBreaker.BrokenCircuitException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new JiraException(JiraFailureKind.Unavailable, $"Jira at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} could not be reached: {ex.Message}", inner: ex);
        }

        using (response)
        {
            await BufferAnswerAsync(request, response, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                if (typeof(T) == typeof(NoAnswer))
                {
                    return (T)(object)new NoAnswer();
                }

                try
                {
                    return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                           ?? throw new JiraException(JiraFailureKind.Protocol, "Jira answered with an empty body.");
                }
                catch (JsonException ex)
                {
                    throw new JiraException(JiraFailureKind.Protocol, $"Jira answered with JSON the client does not understand: {ex.Message}", response.StatusCode, ex);
                }
            }

            var detail = JiraErrorBody.Describe(await response.Content.ReadAsStringAsync(cancellationToken));
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new JiraException(JiraFailureKind.Unauthorized,
                    $"Jira rejected the credentials (401). Check the email and API token or the personal access token. {detail}".TrimEnd(), response.StatusCode),
                HttpStatusCode.Forbidden => new JiraException(JiraFailureKind.Unauthorized,
                    $"Jira denied access (403). {detail}".TrimEnd(), response.StatusCode),
                HttpStatusCode.BadRequest => new JiraException(JiraFailureKind.BadRequest, $"Jira rejected the request: {detail}", response.StatusCode),
                HttpStatusCode.NotFound => new JiraException(JiraFailureKind.BadRequest,
                    $"Jira answered 404 for {request.RequestUri?.AbsolutePath}; check the base URL and the deployment type. {detail}".TrimEnd(), response.StatusCode),
                _ => new JiraException(JiraFailureKind.Unavailable,
                    $"Jira kept failing with {(int)response.StatusCode} {response.ReasonPhrase}. {detail}".TrimEnd(), response.StatusCode),
            };
        }
    }

    /// <summary>Reads the whole answer into memory, up to <see cref="JiraClientOptions.MaxResponseBytes"/>: the JSON is parsed from that buffer.</summary>
    private async Task BufferAnswerAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxResponseBytes;
        // The attempt's timeout ended with the headers: a Jira that drips its body is given as long again, no more.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reading.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            await response.Content.LoadIntoBufferAsync(limit, reading.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JiraException(JiraFailureKind.Unavailable,
                $"Jira at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} did not finish its answer within {options.Value.AttemptTimeout.TotalSeconds:0} s.", inner: ex);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw new JiraException(JiraFailureKind.Protocol,
                $"Jira's answer to {request.Method} {request.RequestUri?.AbsolutePath} is larger than {limit / (1024 * 1024.0):0.#} MiB, the most JiraExport reads; " +
                "check the base URL points at Jira, or narrow the JQL.", response.StatusCode, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new JiraException(JiraFailureKind.Unavailable,
                $"Jira at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} broke off its answer: {ex.Message}", inner: ex);
        }
    }

    private sealed record CloudSearchRequest(string Jql, IReadOnlyList<string> Fields, int MaxResults, string? NextPageToken);

    private sealed record CloudSearchResponse(List<JiraIssue>? Issues, string? NextPageToken, bool? IsLast);

    private sealed record DataCenterSearchRequest(string Jql, int StartAt, int MaxResults, IReadOnlyList<string> Fields);

    private sealed record DataCenterSearchResponse(int StartAt, int MaxResults, int Total, List<JiraIssue>? Issues);
}
