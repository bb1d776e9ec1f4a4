using Aspire.Hosting.Publishing;
using JiraExport.ServiceDefaults;

namespace JiraExport.AppHost.Infrastructure;

/// <summary>
/// A new self-signed key ring certificate when running locally, kept in the AppHost's user secrets beside the other
/// generated secrets so the local database stays readable across runs. Never published: a deployment brings its own.
/// </summary>
internal sealed class KeyRingCertificateDefault : ParameterDefault
{
    public override string GetDefaultValue() => KeyRingCertificate.CreateBase64();

    public override void WriteToManifest(ManifestPublishingContext context) =>
        throw new NotSupportedException("The key ring certificate has no published default: the deployment supplies it.");
}
