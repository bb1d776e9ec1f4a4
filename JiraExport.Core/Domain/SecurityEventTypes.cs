namespace JiraExport.Core.Domain;

public static class SecurityEventTypes
{
    public const string Signup = "signup";
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginLockedOut = "login.locked_out";
    public const string RefreshTokenReused = "refresh_token.reused";
    public const string SessionRevoked = "session.revoked";
    public const string LogoutEverywhere = "logout.everywhere";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string UserInvited = "user.invited";
    public const string InvitationAccepted = "user.invitation_accepted";
    public const string RoleChanged = "user.role_changed";
    public const string MemberRemoved = "user.removed";
    public const string PersonErased = "user.erased";
    public const string MfaEnabled = "mfa.enabled";
    public const string MfaDisabled = "mfa.disabled";
    public const string MfaFailed = "mfa.failed";
    public const string RecoveryCodeUsed = "mfa.recovery_code_used";
    public const string TenantSettingsChanged = "tenant.settings_changed";
    public const string SsoFailed = "sso.failed";
    public const string UserProvisioned = "user.provisioned";
}
