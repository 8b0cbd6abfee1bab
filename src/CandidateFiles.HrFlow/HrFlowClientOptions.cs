using System;
using System.Collections.Generic;

namespace CandidateFiles.HrFlow;

/// <summary>Settings of <see cref="HrFlowClient"/>.</summary>
public sealed class HrFlowClientOptions : ProviderClientOptions
{
    /// <summary>HrFlow API key, sent as <c>X-API-KEY</c> (keys look like <c>askr_</c> + 32 hex digits). Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>HrFlow user email, sent as <c>X-USER-EMAIL</c> when set (some keys require it).</summary>
    public string? UserEmail { get; set; }

    /// <inheritdoc />
    protected override string ProviderName => "HrFlow.ai";

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
    protected override IEnumerable<string> GetSecrets()
        => ApiKey is null ? Array.Empty<string>() : new[] { ApiKey };
}
