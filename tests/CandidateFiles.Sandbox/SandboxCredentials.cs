namespace CandidateFiles.Sandbox;

/// <summary>Every credential, id and seeded key the sandbox knows. Test credentials only; they guard nothing.</summary>
public static class SandboxCredentials
{
    // ---- 104 Ehrweb Resume: OAuth client credentials (POST /oauth2/token) ----

    /// <summary>Scope the 104 token endpoint accepts.</summary>
    public const string EhrwebScope = "ehrweb_resume";

    /// <summary>Client of company <see cref="EhrwebGuiNum"/>.</summary>
    public const string EhrwebClientId = "sandbox-104-client";

    /// <summary>Secret of <see cref="EhrwebClientId"/>.</summary>
    public const string EhrwebClientSecret = "sandbox-104-secret";

    /// <summary>Company tax id (統編) the tokens of <see cref="EhrwebClientId"/> belong to.</summary>
    public const string EhrwebGuiNum = "12345678";

    /// <summary>Client of the other company, <see cref="EhrwebOtherGuiNum"/>.</summary>
    public const string EhrwebOtherClientId = "sandbox-104-other-client";

    /// <summary>Secret of <see cref="EhrwebOtherClientId"/>.</summary>
    public const string EhrwebOtherClientSecret = "sandbox-104-other-secret";

    /// <summary>Company tax id the tokens of <see cref="EhrwebOtherClientId"/> belong to.</summary>
    public const string EhrwebOtherGuiNum = "87654321";

    // ---- 104 Ehrweb Resume: seeded file ids ----

    /// <summary>Headshot (GET /external/files/headshot): the 1x1 PNG.</summary>
    public const string EhrwebHeadshotFileId = "headshot-1";

    /// <summary>Attachment served as image/png.</summary>
    public const string EhrwebPngAttachmentFileId = "att-png";

    /// <summary>Attachment served as image/gif.</summary>
    public const string EhrwebGifAttachmentFileId = "att-gif";

    /// <summary>Attachment served as image/jpg (sic, as documented).</summary>
    public const string EhrwebJpgAttachmentFileId = "att-jpg";

    /// <summary>Attachment served as application/octet-stream with <c>Content-Disposition: attachment; filename="resume.pdf"</c>.</summary>
    public const string EhrwebDocAttachmentFileId = "att-doc";

    /// <summary>File id that answers 895 (expired) on both file endpoints.</summary>
    public const string EhrwebExpiredFileId = "expired-1";

    /// <summary>Prefix of the streamed large files: <c>large-&lt;N&gt;</c> streams N deterministic bytes.</summary>
    public const string EhrwebLargeFileIdPrefix = "large-";

    // ---- 104 HR Max: sign-in accounts (POST /api/auth/signIn) ----

    /// <summary>HR Max user with file rights.</summary>
    public const string HrMaxAccount = "sandbox-hr";

    /// <summary>Password of <see cref="HrMaxAccount"/>.</summary>
    public const string HrMaxPassword = "sandbox-hr-password";

    /// <summary>USER_ID returned for <see cref="HrMaxAccount"/>.</summary>
    public const string HrMaxUserId = "sandbox-user-0001";

    /// <summary>HR Max user without file rights (403 on /api/file/*).</summary>
    public const string HrMaxViewerAccount = "sandbox-viewer";

    /// <summary>Password of <see cref="HrMaxViewerAccount"/>.</summary>
    public const string HrMaxViewerPassword = "sandbox-viewer-password";

    /// <summary>USER_ID returned for <see cref="HrMaxViewerAccount"/>.</summary>
    public const string HrMaxViewerUserId = "sandbox-user-0002";

    /// <summary>funCode that makes POST /api/file/attach answer 500 系統異常.</summary>
    public const string HrMaxFailingFunCode = "sandbox-fail";

    /// <summary>uuid that makes detach and download fail with 500 <c>{code:500,msg}</c>.</summary>
    public const string HrMaxFailingUuid = "sandbox-fail";

    // ---- HrFlow.ai ----

    /// <summary>The one valid X-API-KEY.</summary>
    public const string HrFlowApiKey = "askr_0123456789abcdef0123456789abcdef";

    /// <summary>The one valid source_id.</summary>
    public const string HrFlowSourceId = "sandbox-source";

    /// <summary>source_id answered with 402 (quota used up), a status HrFlow's status list names.</summary>
    public const string HrFlowQuotaExceededSourceId = "sandbox-quota-exceeded";

    /// <summary>source_id answered with 404.</summary>
    public const string HrFlowNotFoundSourceId = "sandbox-not-found";

    /// <summary>source_id answered with 422.</summary>
    public const string HrFlowUnprocessableSourceId = "sandbox-unprocessable";

    /// <summary>Seeded profile with two attachments: its id.</summary>
    public const string HrFlowProfileId = "profile-1";

    /// <summary>Seeded profile with two attachments: its reference.</summary>
    public const string HrFlowProfileReference = "ref-1";

    /// <summary>Seeded profile with two attachments: its email.</summary>
    public const string HrFlowProfileEmail = "candidate@example.com";

    /// <summary>Seeded profile without attachments: its id.</summary>
    public const string HrFlowEmptyProfileId = "profile-empty";

    /// <summary>Seeded profile without attachments: its reference.</summary>
    public const string HrFlowEmptyProfileReference = "ref-empty";

    /// <summary>Seeded profile without attachments: its email.</summary>
    public const string HrFlowEmptyProfileEmail = "empty@example.com";

    // ---- hh.ru: bearer tokens ----

    /// <summary>Applicant user A.</summary>
    public const string HhApplicantToken = "sandbox-hh-applicant-token";

    /// <summary>Applicant user B (cannot see or touch user A's artifacts).</summary>
    public const string HhApplicant2Token = "sandbox-hh-applicant2-token";

    /// <summary>An employer: valid token, but not an applicant (403 forbidden).</summary>
    public const string HhEmployerToken = "sandbox-hh-employer-token";

    /// <summary>Always answers 403 oauth/token_expired.</summary>
    public const string HhExpiredToken = "sandbox-hh-expired-token";

    /// <summary>An application token (client credentials): 403 oauth/user_auth_expected, since artifacts need a user's token.</summary>
    public const string HhApplicationToken = "sandbox-hh-application-token";

    /// <summary>An applicant who must pass a CAPTCHA first: 403 captcha_required with captcha_url and fallback_url.</summary>
    public const string HhCaptchaToken = "sandbox-hh-captcha-token";

    /// <summary>Word that, anywhere in the effective user agent (any case), gets 400 bad_user_agent/blacklisted.</summary>
    public const string HhBlacklistedUserAgentWord = "blacklisted";
}
