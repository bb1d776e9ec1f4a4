using System.Text.RegularExpressions;
using JiraExport.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JiraExport.Api.Apis;

/// <summary>The rules for a new tenant's name and slug, shared by the admin API and signup.</summary>
internal static partial class TenantValidation
{
    /// <summary>The structural rules of <see cref="CreateTenantRequest"/>.</summary>
    public static Dictionary<string, string[]> Validate(CreateTenantRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        Validate(request.Name, request.Slug, errors);
        return errors;
    }

    public static void Validate(string? name, string? slug, Dictionary<string, string[]> errors, string nameField = "name")
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            errors[nameField] = ["A name of 1 to 200 characters is required."];
        }

        if (slug is null || !SlugPattern().IsMatch(slug))
        {
            errors["slug"] = ["A slug of 1 to 63 lower-case letters, digits and inner hyphens is required, e.g. \"acme-corp\"."];
        }
    }

    public static ProblemHttpResult SlugTaken(string slug) => TypedResults.Problem(
        title: "Slug already taken",
        detail: $"A tenant with the slug '{slug}' already exists; choose another slug.",
        statusCode: StatusCodes.Status409Conflict);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex SlugPattern();
}
