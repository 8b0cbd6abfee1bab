using System;
using System.Text;
using CandidateFiles.Auth;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

[TestFixture]
public sealed class CachingAccessTokenProviderTests
{
    private static string Jwt(string payload) => "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";

    [Test]
    public void The_exp_of_a_JWT_is_read()
        => Assert.That(CachingAccessTokenProvider.JwtExpiry(Jwt("{\"sub\":\"u\",\"exp\":1795000000}")), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1795000000)));

    [TestCase("opaque-token")]
    [TestCase("a.b.c")]
    [TestCase("a.!!!.c")]
    [TestCase("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.sig")]
    public void Tokens_without_a_readable_exp_have_none(string token)
        => Assert.That(CachingAccessTokenProvider.JwtExpiry(token), Is.Null);
}
