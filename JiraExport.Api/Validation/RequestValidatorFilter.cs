using JiraExport.Api.Idempotency;
using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Api.Validation;

/// <summary>
/// Runs the <see cref="IRequestValidator{TRequest}"/> of each handler parameter that has one, and answers a 400
/// validation problem instead of calling the handler when it finds something wrong. Every tenant group adds it
/// (<c>RequireTenant</c>), so a new validator cannot be forgotten on its route.
/// </summary>
internal static class RequestValidatorFilter
{
    /// <param name="builder">A tenant group (every endpoint in it), or one idempotent endpoint.</param>
    /// <param name="forIdempotentEndpoint">
    /// True where <c>Idempotent()</c> adds it after its own filter: a retried create is answered with its first answer
    /// before its rules are checked again (a template's name is taken by the create being retried). The group's filter
    /// leaves those endpoints to it.
    /// </param>
    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder, bool forIdempotentEndpoint = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) => Create(context, next, forIdempotentEndpoint)).WithMetadata(new RequestValidatorsRun());

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next, bool forIdempotentEndpoint)
    {
        var isService = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Index: index, Validator: typeof(IRequestValidator<>).MakeGenericType(parameter.ParameterType)))
            .Where(p => isService.IsService(p.Validator))
            .ToArray();
        if (validated.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            if (!forIdempotentEndpoint && invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreateMetadata>() is not null)
            {
                return await next(invocation);
            }

            foreach (var (index, validatorType) in validated)
            {
                if (invocation.Arguments[index] is not { } request)
                {
                    continue;
                }

                var validator = (IRequestValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType);
                var errors = await validator.ValidateAsync(request, invocation.HttpContext, invocation.HttpContext.RequestAborted);
                if (errors.Count > 0)
                {
                    return TypedResults.ValidationProblem(errors, title: errors.Title, extensions: errors.Extensions);
                }
            }

            return await next(invocation);
        };
    }
}

/// <summary>Marks an endpoint whose request validators run; a test fails for a validated request on a route without it.</summary>
public sealed class RequestValidatorsRun;
