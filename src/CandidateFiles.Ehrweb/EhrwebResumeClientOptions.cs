using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using CandidateFiles.Auth;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Ehrweb;

/// <summary>Settings of <see cref="EhrwebResumeClient"/>.</summary>
public sealed partial class EhrwebResumeClientOptions : ProviderClientOptions
{
    /// <summary>104's production token endpoint.</summary>
    public static readonly Uri DefaultTokenEndpoint = new("https://apis.104api.com.tw/oauth2/token");

    /// <summary>The OAuth scope the resume file endpoints require.</summary>
    public const string DefaultScope = "ehrweb_resume";

    private readonly object _tokenProviderLock = new();

    /// <summary>
    /// Creates the options; <see cref="ProviderClientOptions.LoggedQueryParameters"/> starts with the attachment
    /// <c>type</c> (the <c>fileId</c> token is never shown).
    /// </summary>
    public EhrwebResumeClientOptions()
    {
        LoggedQueryParameters.Add("type");
    }
    private EhrwebTokenSource? _tokenSource;

    /// <summary>
    /// The company's 8-digit tax id (統一編號). Required: sent as <c>104-Additional-Info: guiNum=...</c>
    /// on every request, and it must match the company the OAuth client belongs to (else error 900).
    /// A tax id shorter than 8 digits must be padded with leading zeros (104's rule: "1234567" is "01234567");
    /// validation says so.
    /// </summary>
    public string? GuiNum { get; set; }

    /// <summary>OAuth client id issued by 104. Required unless <see cref="AccessTokenProvider"/> is set.</summary>
    public string? ClientId { get; set; }

    /// <summary>OAuth client secret issued by 104. Required unless <see cref="AccessTokenProvider"/> is set.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>OAuth token endpoint; defaults to 104's production one.</summary>
    public Uri TokenEndpoint { get; set; } = DefaultTokenEndpoint;

    /// <summary>OAuth scope; defaults to <see cref="DefaultScope"/>.</summary>
    public string Scope { get; set; } = DefaultScope;

    /// <summary>How the client id and secret are sent; 104 documents form fields.</summary>
    public ClientCredentialStyle CredentialStyle { get; set; } = ClientCredentialStyle.FormBody;

    /// <summary>Your own token source, instead of the built-in client-credentials flow.</summary>
    public IAccessTokenProvider? AccessTokenProvider { get; set; }

    /// <inheritdoc />
    protected internal override string ProviderName => "104 Ehrweb Resume API";

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (GuiNum is null || !GuiNumPattern.IsMatch(GuiNum))
        {
            throw Invalid(nameof(GuiNum), $"must be the company's 8-digit tax id (統一編號), such as \"12345678\"; it is {(GuiNum is null ? "not set" : $"\"{GuiNum}\"")}.{GuiNumPaddingAdvice(GuiNum)}");
        }

        if (AccessTokenProvider is null)
        {
            if (string.IsNullOrWhiteSpace(ClientId))
            {
                throw Invalid(nameof(ClientId), "is required: set the OAuth client id 104 issued (or set AccessTokenProvider).");
            }

            if (string.IsNullOrWhiteSpace(ClientSecret))
            {
                throw Invalid(nameof(ClientSecret), "is required: set the OAuth client secret 104 issued (or set AccessTokenProvider).");
            }

            if (TokenEndpoint is null || !TokenEndpoint.IsAbsoluteUri || (TokenEndpoint.Scheme != Uri.UriSchemeHttps && !TokenEndpoint.IsLoopback))
            {
                throw Invalid(nameof(TokenEndpoint), "must be an absolute https URL (http is allowed only for loopback test servers).");
            }
        }
    }

    /// <inheritdoc />
    protected internal override IEnumerable<string> GetSecrets()
        => ClientSecret is null ? Array.Empty<string>() : new[] { ClientSecret };

    /// <summary>
    /// The token source and, when it is the built-in one, a handler holding this client's share of it: one
    /// client-credentials source per options instance, so every client built from these options shares one
    /// cached token, disposed (with its HTTP client) when the last such client is.
    /// </summary>
    internal (IAccessTokenProvider Tokens, System.Net.Http.DelegatingHandler? Lease) LeaseTokenProvider(CredentialHosts hosts, System.Net.Http.HttpMessageHandler? transport)
    {
        if (AccessTokenProvider is not null)
        {
            return (AccessTokenProvider, null);
        }

        lock (_tokenProviderLock)
        {
            var source = _tokenSource ??= EhrwebTokenSource.Create(this, hosts, transport);
            source.Leases++;
            return (source.Provider, new EhrwebTokenLeaseHandler(() => Release(source)));
        }
    }

    /// <summary>
    /// Advice for a tax id that is right but for its form. 104's rule for one shorter than 8 digits (kept as a
    /// number somewhere, its leading zeros lost): pad it with leading zeros to 8 digits. Full-width digits
    /// (typed with a CJK input method) are the same digits in another form: write them as ASCII. Anything
    /// else gets no advice.
    /// </summary>
    private static string GuiNumPaddingAdvice(string? guiNum)
    {
        if (guiNum is null)
        {
            return string.Empty;
        }

        var ascii = string.Concat(guiNum.Select(c => c is >= '\uFF10' and <= '\uFF19' ? (char)('0' + (c - '\uFF10')) : c));
        var fullWidth = ascii != guiNum;
        if (!ShortOrFullGuiNumPattern.IsMatch(ascii) || (ascii.Length == 8 && !fullWidth))
        {
            return string.Empty;
        }

        var how = (fullWidth, ascii.Length < 8) switch
        {
            (true, true) => "write it in ASCII digits and pad it with leading zeros to 8 digits",
            (true, false) => "write it in ASCII digits",
            _ => "pad it with leading zeros to 8 digits",
        };
        return $" A tax id has 8 digits: {how}, as 104 expects (\"{ascii.PadLeft(8, '0')}\").";
    }

    private void Release(EhrwebTokenSource source)
    {
        lock (_tokenProviderLock)
        {
            if (--source.Leases > 0)
            {
                return;
            }

            if (ReferenceEquals(_tokenSource, source))
            {
                _tokenSource = null;
            }
        }

        source.Dispose();
    }

    private static readonly Regex GuiNumPattern = new(@"^[0-9]{8}\z");

    private static readonly Regex ShortOrFullGuiNumPattern = new(@"^[0-9]{1,8}\z");
}
