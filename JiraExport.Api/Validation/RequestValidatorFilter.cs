using JiraExport.Api.Idempotency;

namespace JiraExport.Api.Validation;

/// <summary>
/// Runs the <see cref="IRequestValidator{TRequest}"/> of each handler parameter that has one, and answers a 400
/// validation problem instead of calling the handler when it finds something wrong. Every tenant group adds it
/// (<c>RequireTenant</c>), so a new validator cannot be forgotten on its route.
/// </summary>
internal static class RequestValidatorFilter
{
    /// <summary>Every endpoint of a tenant group, except the idempotent creates (see <see cref="ValidateAfterIdempotencyKey"/>).</summary>
    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) => Create(context, next, afterIdempotencyKey: false)).WithMetadata(new RequestValidatorsRun());

    /// <summary>
    /// An idempotent create runs both steps after its <c>Idempotency-Key</c> was checked: a retry gets its first answer
    /// and a key reused with another body its 422, whatever the body holds now (a template's name is taken by the very
    /// create being retried). The framework's own run of the structural rules, which comes before every filter, is off
    /// there; the same generated rules run here instead.
    /// </summary>
    public static RouteHandlerBuilder ValidateAfterIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.DisableValidation()
            .AddEndpointFilterFactory((context, next) => Create(context, next, afterIdempotencyKey: true))
            .WithMetadata(new RequestValidatorsRun());

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next, bool afterIdempotencyKey)
    {
        var isService = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var parameters = context.MethodInfo.GetParameters();
        var validated = parameters
            .Select((parameter, index) => (Index: index, Validator: typeof(IRequestValidator<>).MakeGenericType(parameter.ParameterType)))
            .Where(p => isService.IsService(p.Validator))
            .ToArray();
        var structural = afterIdempotencyKey ? StructuralRules.Of(parameters, context.ApplicationServices) : [];
        if (validated.Length == 0 && structural.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            var http = invocation.HttpContext;
            if (!afterIdempotencyKey && http.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreateMetadata>() is not null)
            {
                return await next(invocation);
            }

            if (await StructuralRules.CheckAsync(structural, invocation.Arguments, http) is { Count: > 0 } invalid)
            {
                return TypedResults.ValidationProblem(invalid);
            }

            foreach (var (index, validatorType) in validated)
            {
                if (invocation.Arguments[index] is not { } request)
                {
                    continue;
                }

                var validator = (IRequestValidator)http.RequestServices.GetRequiredService(validatorType);
                var errors = await validator.ValidateAsync(request, http, http.RequestAborted);
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
