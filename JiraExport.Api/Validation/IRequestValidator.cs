namespace JiraExport.Api.Validation;

/// <summary>
/// The rules of one request that need the store, the caller or the outside world (a connection that exists, a scope the
/// caller holds, a template name still free). They run after the request's structural rules passed, before its handler.
/// </summary>
public interface IRequestValidator<in TRequest> : IRequestValidator
{
    /// <returns>Each field that is wrong, with what to do about it; empty when the request may go on.</returns>
    Task<RequestErrors> ValidateAsync(TRequest request, HttpContext http, CancellationToken cancellationToken);

    Task<RequestErrors> IRequestValidator.ValidateAsync(object request, HttpContext http, CancellationToken cancellationToken) =>
        ValidateAsync((TRequest)request, http, cancellationToken);
}

/// <summary>What <see cref="RequestValidatorFilter"/> calls, without knowing the request's type.</summary>
public interface IRequestValidator
{
    Task<RequestErrors> ValidateAsync(object request, HttpContext http, CancellationToken cancellationToken);
}

/// <summary>Each wrong field with what to do about it; a validator may also give the problem its own title and members.</summary>
public sealed class RequestErrors : Dictionary<string, string[]>
{
    public string? Title { get; init; }

    public Dictionary<string, object?>? Extensions { get; set; }
}
