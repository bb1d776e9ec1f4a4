using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace JiraExport.Api.Validation;

/// <summary>
/// The one way a request is checked, in two steps that answer the same 400 validation problem:
/// <list type="number">
/// <item>Structural rules (required, lengths, formats, fields that go together) live on the request record itself, as
/// data annotations or <see cref="IValidatableObject"/>; .NET's <c>AddValidation()</c> runs them before any filter (on an
/// idempotent create, after its key: <c>RequestValidatorFilter.ValidateAfterIdempotencyKey</c>).</item>
/// <item>Rules that need the store, the caller or the outside world live in one <see cref="IRequestValidator{TRequest}"/>
/// per request, found here by type and run by <see cref="RequestValidatorFilter"/>.</item>
/// </list>
/// What a handler still refuses is the operation's own outcome (a wrong password, a name taken in a race).
/// </summary>
internal static class RequestValidation
{
    public static IServiceCollection AddRequestValidation(this IServiceCollection services)
    {
        services.AddValidation();
        var validators = typeof(RequestValidation).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .Select(t => (Type: t, Contracts: t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestValidator<>)).ToList()))
            .Where(v => v.Contracts.Count > 0);
        foreach (var (validator, contracts) in validators)
        {
            // One instance per request: a validator may hand its handler what it loaded (ExportRequestValidator.Template).
            services.AddScoped(validator);
            foreach (var contract in contracts)
            {
                services.AddScoped(contract, provider => provider.GetRequiredService(validator));
            }
        }

        // The framework names a field by its C# property (Limits.MaxConcurrentRequests); clients know it by its JSON name.
        services.Configure<ProblemDetailsOptions>(options =>
        {
            var before = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                if (context.ProblemDetails is HttpValidationProblemDetails { Errors: { Count: > 0 } errors })
                {
                    foreach (var (key, messages) in errors.Where(e => JsonName(e.Key) != e.Key).ToList())
                    {
                        errors.Remove(key);
                        errors[JsonName(key)] = errors.TryGetValue(JsonName(key), out var others) ? [.. others, .. messages] : messages;
                    }
                }

                before?.Invoke(context);
            };
        });
        return services;
    }

    /// <summary>The errors of a rule written as field → messages, as <see cref="IValidatableObject.Validate"/> yields them.</summary>
    public static IEnumerable<ValidationResult> AsValidationResults(this Dictionary<string, string[]> errors) =>
        errors.SelectMany(e => e.Value.Select(message => new ValidationResult(message, [e.Key])));

    private static string JsonName(string path) =>
        string.Join('.', path.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
