namespace JiraExport.Api.Extensions;

/// <summary>The status an endpoint's result will answer with, looking through <c>Results&lt;…&gt;</c> unions.</summary>
internal static class HttpResultStatus
{
    /// <summary>Null for a result that names no status (a file, a stream: they answer 200 unless they say otherwise).</summary>
    public static int? Of(object? result) => result switch
    {
        INestedHttpResult nested => Of(nested.Result),
        IStatusCodeHttpResult withStatus => withStatus.StatusCode,
        _ => null,
    };
}
