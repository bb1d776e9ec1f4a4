using System.Diagnostics;
using System.Security.Cryptography;
using JiraExport.Core.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JiraExport.Benchmarks;

/// <summary>
/// The CPU cost of validating one access token as the Api and Realtime do (ES256 signature, issuer, audience, type,
/// lifetime), without the HTTP pipeline around it: a token shaped like the Api's, validated many times in a row.
/// </summary>
internal static class JwtValidationBenchmark
{
    public static async Task<int> RunAsync(int validations, CancellationToken cancellationToken)
    {
        var auth = new AuthOptions();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new ECDsaSecurityKey(ecdsa) { KeyId = "benchmark" };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var now = DateTime.UtcNow;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + auth.AccessTokenLifetime,
            TokenType = AuthOptions.TokenType,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JiraExportClaims.Subject] = Guid.NewGuid().ToString(),
                [JiraExportClaims.Tenant] = Guid.NewGuid().ToString(),
                [JiraExportClaims.Session] = Guid.NewGuid().ToString(),
                [JiraExportClaims.Scope] = string.Join(' ', Scopes.All),
                [JiraExportClaims.TokenId] = Guid.NewGuid().ToString(),
            },
        });
        var parameters = AuthenticationExtensions.CreateValidationParameters(auth);
        parameters.IssuerSigningKey = new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(false))) { KeyId = "benchmark" };

        // Warm-up: JIT and the handler's caches, as in a server that has been up for a while.
        for (var i = 0; i < Math.Max(200, validations / 10); i++)
        {
            await ValidateAsync(handler, token, parameters);
        }

        var samples = new double[validations];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < validations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var one = Stopwatch.GetTimestamp();
            await ValidateAsync(handler, token, parameters);
            samples[i] = Stopwatch.GetElapsedTime(one).TotalMicroseconds;
        }

        var total = Stopwatch.GetElapsedTime(started);
        Array.Sort(samples);
        Console.WriteLine($"JWT validation (ES256, {validations:N0} validations on one thread after warm-up)");
        Console.WriteLine($"  mean   {total.TotalMicroseconds / validations,8:N1} µs per token");
        Console.WriteLine($"  median {samples[validations / 2],8:N1} µs");
        Console.WriteLine($"  p99    {samples[(int)Math.Ceiling(validations * 0.99) - 1],8:N1} µs");
        Console.WriteLine($"  rate   {validations / total.TotalSeconds,8:N0} validations/s on one core");
        return 0;
    }

    private static async Task ValidateAsync(JsonWebTokenHandler handler, string token, TokenValidationParameters parameters)
    {
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            throw new InvalidOperationException("The benchmark token did not validate.", result.Exception);
        }
    }
}
