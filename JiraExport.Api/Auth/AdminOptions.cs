using System.ComponentModel.DataAnnotations;

namespace JiraExport.Api.Auth;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>The platform admin key (an Aspire secret parameter); it creates tenants.</summary>
    [Required, MinLength(16)]
    public string Key { get; set; } = string.Empty;

    /// <summary>Whether anyone may sign up a new tenant; when closed, signup needs the admin key too.</summary>
    public bool OpenSignup { get; set; }
}
