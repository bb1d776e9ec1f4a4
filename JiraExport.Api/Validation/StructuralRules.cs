using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace JiraExport.Api.Validation;

// ValidateContext and the resolver API are marked experimental in .NET 10; they are what AddValidation() itself runs.
#pragma warning disable ASP0029

/// <summary>
/// The structural rules <c>AddValidation()</c> generated for a handler's parameters, run where a filter needs them
/// rather than ahead of every filter (an idempotent create checks its key first).
/// </summary>
internal static class StructuralRules
{
    public static (int Index, IValidatableInfo Rules)[] Of(ParameterInfo[] parameters, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ValidationOptions>>().Value;
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        return parameters
            .Select((parameter, index) => (Index: index, Parameter: parameter))
            // Services are not input: walking a DbContext would enumerate its sets.
            .Where(p => !isService.IsService(p.Parameter.ParameterType) && p.Parameter.ParameterType != typeof(CancellationToken)
                        && !p.Parameter.GetCustomAttributes().OfType<IFromServiceMetadata>().Any())
            .Select(p => (p.Index, Rules: options.TryGetValidatableParameterInfo(p.Parameter, out var rules) ? rules : null))
            .Where(p => p.Rules is not null)
            .Select(p => (p.Index, p.Rules!))
            .ToArray();
    }

    public static async Task<Dictionary<string, string[]>?> CheckAsync(
        (int Index, IValidatableInfo Rules)[] structural, IList<object?> arguments, HttpContext http)
    {
        ValidateContext? context = null;
        foreach (var (index, rules) in structural)
        {
            if (arguments[index] is not { } argument)
            {
                continue;
            }

            var validationContext = new ValidationContext(argument, http.RequestServices, items: null);
            context ??= new ValidateContext
            {
                ValidationOptions = http.RequestServices.GetRequiredService<IOptions<ValidationOptions>>().Value,
                ValidationContext = validationContext,
            };
            context.ValidationContext = validationContext;
            await rules.ValidateAsync(argument, context, http.RequestAborted);
        }

        return context?.ValidationErrors;
    }
}
