namespace JiraExport.Core.Reports;

/// <summary>What a template version holds: the Liquid body, its CSS (Liquid too) and small named assets.</summary>
public sealed record TemplateSource(string Liquid, string Css, IReadOnlyDictionary<string, TemplateAsset> Assets)
{
    public static IReadOnlyDictionary<string, TemplateAsset> NoAssets { get; } = new Dictionary<string, TemplateAsset>();
}

/// <summary>An image or font a template embeds; reached in Liquid as <c>assets["name"]</c>, a <c>data:</c> URL.</summary>
public sealed record TemplateAsset(string ContentType, string Base64)
{
    public string DataUrl => $"data:{ContentType};base64,{Base64}";
}

/// <summary>A syntax error of a template, with where it is when Liquid says so.</summary>
public sealed record TemplateProblem(string Message, int? Line = null, int? Column = null);
