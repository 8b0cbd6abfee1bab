using CandidateFiles.Auth;

namespace CandidateFiles.HrMax;

/// <summary>
/// Settings of <see cref="HrMaxClient"/>. Set <see cref="BearerTokenOptions.AccessTokenCallback"/> to
/// return the HR Max access token (the JWT from <c>POST /api/auth/signIn</c>).
/// </summary>
public sealed class HrMaxClientOptions : BearerTokenOptions
{
    /// <inheritdoc />
    protected internal override string ProviderName => "104 HR Max";

    /// <inheritdoc />
    protected override ProviderApiException CreateTokenSourceException(string message, System.Exception cause)
        => new HrMaxApiException(message, NoResponse(), HrMaxErrorKind.Unauthorized, providerErrorCode: null, providerMessage: null, innerException: cause);
}
