using Microsoft.Extensions.DependencyInjection;

namespace JiraExport.Api.Validation;

/// <summary>
/// Runs the <see cref="IRequestValidator{TRequest}"/> of each handler parameter that has one, and answers a 400
/// validation problem instead of calling the handler when it finds something wrong. Every tenant group adds it
/// (<c>RequireTenant</c>), so a new validator cannot be forgotten on its route.
/// </summary>
internal static class RequestValidatorFilter
{
    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create).WithMetadata(new RequestValidatorsRun());

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
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
