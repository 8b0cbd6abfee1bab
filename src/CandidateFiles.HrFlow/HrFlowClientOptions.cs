using System;
using System.Collections.Generic;

namespace CandidateFiles.HrFlow;

/// <summary>Settings of <see cref="HrFlowClient"/>.</summary>
public sealed class HrFlowClientOptions : ProviderClientOptions
{
    /// <summary>HrFlow API key, sent as <c>X-API-KEY</c> (keys look like <c>askr_</c> + 32 hex digits). Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// HrFlow user email, sent as <c>X-USER-EMAIL</c> when set (HrFlow's current attachments page lists the header;
    /// some keys require it). Sent to the API host only, and redacted like the key from error messages.
    /// </summary>
    public string? UserEmail { get; set; }

    /// <summary>Header carrying <see cref="ApiKey"/>.</summary>
    internal const string ApiKeyHeader = "X-API-KEY";

    /// <summary>Header carrying <see cref="UserEmail"/>.</summary>
    internal const string UserEmailHeader = "X-USER-EMAIL";

    /// <inheritdoc />
    protected internal override string ProviderName => "HrFlow.ai";

    /// <inheritdoc />
    /// <remarks>The API key and the user email: both identify the account.</remarks>
    protected internal override IEnumerable<string> CredentialHeaderNames => [ApiKeyHeader, UserEmailHeader];

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw Invalid(nameof(ApiKey), "is required: set your HrFlow API key (sent as X-API-KEY).");
        }

        if (UserEmail is not null && !UserEmail.Contains('@', StringComparison.Ordinal))
        {
            throw Invalid(nameof(UserEmail), "must be the email of an HrFlow user (sent as X-USER-EMAIL), or null.");
        }
    }

    /// <inheritdoc />
    /// <remarks>The user email is personal data that identifies the account: it is redacted like the key.</remarks>
    protected internal override IEnumerable<string> GetSecrets()
    {
        if (ApiKey is not null)
        {
            yield return ApiKey;
        }

        if (!string.IsNullOrEmpty(UserEmail))
        {
            yield return UserEmail;
        }
    }
}
