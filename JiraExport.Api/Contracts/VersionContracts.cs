namespace JiraExport.Api.Contracts;

/// <summary>
/// <paramref name="Status"/>: <c>current</c>, or <c>deprecated</c> since <paramref name="Deprecated"/> (it still works until <paramref name="Sunset"/>;
/// <paramref name="MigrationGuide"/> says what changed).
/// <paramref name="BasePath"/>: where its routes start; the <c>api-version</c> header may name it instead.
/// </summary>
public sealed record ApiVersionResponse(
    string Version, string BasePath, string Status, DateTimeOffset? Sunset, string OpenApiDocument, DateTimeOffset? Deprecated, string? MigrationGuide);

public sealed record ApiVersionListResponse(IReadOnlyList<ApiVersionResponse> Items);
