using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using JiraExport.Api.Validation;
using JiraExport.Core.Persistence;
using JiraExport.Core.Reports;
using Microsoft.EntityFrameworkCore;

namespace JiraExport.Api.Apis;

/// <summary>
/// What <c>POST /templates</c> checks: the name (well formed, not a built-in's, free in the tenant), where the draft comes
/// from, and its content. Templates are checked by validators rather than on the request record because a Liquid error
/// comes back with its line and column (<c>templateErrors</c>), which only a validator's problem can carry.
/// </summary>
internal sealed class CreateTemplateValidator(JiraExportDbContext db) : IRequestValidator<CreateTemplateRequest>
{
    public async Task<RequestErrors> ValidateAsync(CreateTemplateRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = TemplateValidation.NewErrors();
        TemplateValidation.ValidateName(request.Name, errors);
        if (request.CopyFrom is not null && BuiltInTemplates.Find(request.CopyFrom) is null)
        {
            errors["copyFrom"] = [$"No built-in template \"{request.CopyFrom}\"; the built-in ones are {string.Join(", ", BuiltInTemplates.All.Select(b => b.Name))}."];
        }
        else if (request.CopyFrom is null && (request.Kind is null || !ReportKinds.All.Contains(request.Kind)))
        {
            errors["kind"] = [$"Kind must be one of {string.Join(", ", ReportKinds.All)} (it decides the data the template gets), or give copyFrom."];
        }
        else if (request.CopyFrom is null && string.IsNullOrWhiteSpace(request.Liquid))
        {
            errors["liquid"] = ["A template needs its Liquid, or copyFrom a built-in template."];
        }

        TemplateValidation.ValidateContent(request.Liquid, request.Css, request.Assets, errors);
        if (errors.Count == 0 && await db.ReportTemplates.AnyAsync(t => t.Name == request.Name && t.DeletedAt == null, cancellationToken))
        {
            errors["name"] = [$"A template named \"{request.Name}\" exists already; choose another name or update that one."];
        }

        return errors;
    }
}

/// <summary>What <c>PATCH /templates/{id}</c> checks: the description and the draft's content.</summary>
internal sealed class UpdateTemplateValidator : IRequestValidator<UpdateTemplateRequest>
{
    public Task<RequestErrors> ValidateAsync(UpdateTemplateRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = TemplateValidation.NewErrors();
        if (request.Description is { Length: > 500 })
        {
            errors["description"] = ["The description may be at most 500 characters."];
        }

        TemplateValidation.ValidateContent(request.Liquid, request.Css, request.Assets, errors);
        return Task.FromResult(errors);
    }
}

internal static partial class TemplateValidation
{
    public const int MaxLiquidChars = 256 * 1024;
    public const int MaxCssChars = 128 * 1024;
    public const int MaxAssets = 20;
    public const int MaxAssetBytes = 512 * 1024;
    public const int MaxAssetsBytes = 2 * 1024 * 1024;

    private static readonly string[] AssetTypes =
        ["image/png", "image/jpeg", "image/gif", "image/svg+xml", "font/woff2", "font/woff", "font/ttf", "font/otf"];

    public static void ValidateName(string? name, Dictionary<string, string[]> errors)
    {
        if (name is null || !TemplateName().IsMatch(name))
        {
            errors["name"] = ["A name of 2 to 64 characters: lower-case letters, digits and hyphens, starting with a letter or digit (e.g. \"board-report\")."];
        }
        else if (BuiltInTemplates.Find(name) is not null)
        {
            errors["name"] = [$"\"{name}\" is the name of a built-in template; choose another name (e.g. \"{name}-custom\")."];
        }
    }

    public static RequestErrors NewErrors() => new() { Title = "The template is not valid" };

    /// <summary>Sizes, assets and Liquid syntax; the syntax problems also come back with their line and column.</summary>
    public static void ValidateContent(string? liquid, string? css, IReadOnlyDictionary<string, TemplateAsset>? assets, RequestErrors errors)
    {
        if (liquid is not null && liquid.Length > MaxLiquidChars)
        {
            errors["liquid"] = [$"The template is {liquid.Length:N0} characters; the limit is {MaxLiquidChars:N0}. Move images and fonts into assets."];
        }

        if (css is not null && css.Length > MaxCssChars)
        {
            errors["css"] = [$"The CSS is {css.Length:N0} characters; the limit is {MaxCssChars:N0}."];
        }

        if (assets is not null)
        {
            ValidateAssets(assets, errors);
        }

        if (errors.Count > 0)
        {
            return;
        }

        var problems = new List<TemplateProblem>();
        if (liquid is not null)
        {
            problems.AddRange(ReportTemplateEngine.CheckSyntax(liquid, string.Empty));
        }

        if (css is not null)
        {
            problems.AddRange(ReportTemplateEngine.CheckSyntax(string.Empty, css));
        }

        foreach (var problem in problems)
        {
            var key = problem.Message.StartsWith("CSS: ", StringComparison.Ordinal) ? "css" : "liquid";
            var where = problem.Line is { } line ? $"Line {line}, column {problem.Column}: " : string.Empty;
            errors[key] = [.. errors.GetValueOrDefault(key) ?? [], where + problem.Message];
        }

        if (problems.Count > 0)
        {
            errors.Extensions = new Dictionary<string, object?> { ["templateErrors"] = problems };
        }
    }

    private static void ValidateAssets(IReadOnlyDictionary<string, TemplateAsset> assets, Dictionary<string, string[]> errors)
    {
        var messages = new List<string>();
        if (assets.Count > MaxAssets)
        {
            messages.Add($"At most {MaxAssets} assets; this template has {assets.Count}.");
        }

        long total = 0;
        foreach (var (name, asset) in assets)
        {
            if (!AssetName().IsMatch(name))
            {
                messages.Add($"Asset \"{name}\": names are 1 to 64 letters, digits, dots, hyphens or underscores.");
            }

            if (asset?.ContentType is null || !AssetTypes.Contains(asset.ContentType))
            {
                messages.Add($"Asset \"{name}\": the content type must be one of {string.Join(", ", AssetTypes)}.");
                continue;
            }

            var bytes = new byte[((asset.Base64?.Length ?? 0) * 3 / 4) + 3];
            if (asset.Base64 is null || !Convert.TryFromBase64String(asset.Base64, bytes, out var length))
            {
                messages.Add($"Asset \"{name}\": base64 is not valid base64.");
                continue;
            }

            total += length;
            if (length > MaxAssetBytes)
            {
                messages.Add($"Asset \"{name}\" is {length / 1024:N0} KiB; the limit is {MaxAssetBytes / 1024:N0} KiB per asset.");
            }
            else if (asset.ContentType is "image/png" or "image/jpeg" && Reports.ReportImages.RefuseOversized(bytes[..length]) is { } oversized)
            {
                messages.Add($"Asset \"{name}\" is refused: {oversized}");
            }
        }

        if (total > MaxAssetsBytes)
        {
            messages.Add($"The assets add up to {total / 1024:N0} KiB; the limit is {MaxAssetsBytes / 1024:N0} KiB.");
        }

        if (messages.Count > 0)
        {
            errors["assets"] = [.. messages];
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex TemplateName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex AssetName();
}
