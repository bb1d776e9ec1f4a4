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
        builder.AddEndpointFilterFactory(ValidatorsOnly).WithMetadata(new RequestValidatorsRun());

    /// <summary>
    /// An idempotent create runs both steps after its <c>Idempotency-Key</c> was checked: a retry gets its first answer
    /// and a key reused with another body its 422, whatever the body holds now (a template's name is taken by the very
    /// create being retried). The framework's own run of the structural rules, which comes before every filter, is off
    /// there; the same generated rules run here instead.
    /// </summary>
    public static RouteHandlerBuilder ValidateAfterIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.DisableValidation().AddEndpointFilterFactory(StructureThenValidators).WithMetadata(new RequestValidatorsRun());

    private static EndpointFilterDelegate ValidatorsOnly(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var validated = ValidatedParameters(context);
        if (validated.Length == 0)
        {
            return next;
        }

        return async invocation =>
            invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreateMetadata>() is null
            && await RunValidatorsAsync(validated, invocation) is { } refused
                ? refused
                : await next(invocation);
    }

    private static EndpointFilterDelegate StructureThenValidators(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var structural = StructuralRules.Of(context.MethodInfo.GetParameters(), context.ApplicationServices);
        var validated = ValidatedParameters(context);
        return async invocation =>
            await StructuralRules.CheckAsync(structural, invocation.Arguments, invocation.HttpContext) is { Count: > 0 } invalid
                ? TypedResults.ValidationProblem(invalid)
                : await RunValidatorsAsync(validated, invocation) ?? await next(invocation);
    }

    /// <summary>Each handler parameter with a validator registered for its type, by position.</summary>
    private static (int Index, Type Validator)[] ValidatedParameters(EndpointFilterFactoryContext context)
    {
        var isService = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        return context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Index: index, Validator: typeof(IRequestValidator<>).MakeGenericType(parameter.ParameterType)))
            .Where(p => isService.IsService(p.Validator))
            .ToArray();
    }

    /// <returns>The first validator's problem, or null when every validator let the request through.</returns>
    private static async Task<object?> RunValidatorsAsync((int Index, Type Validator)[] validated, EndpointFilterInvocationContext invocation)
    {
        var http = invocation.HttpContext;
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

        return null;
    }
}

/// <summary>Marks an endpoint whose request validators run; a test fails for a validated request on a route without it.</summary>
public sealed class RequestValidatorsRun;
