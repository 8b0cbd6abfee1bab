using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

[TestFixture]
public sealed class CallbackTokenProviderTests
{
    private static string Jwt(string payload) => "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";

    [Test]
    public void The_exp_of_a_JWT_is_read()
        => Assert.That(CallbackTokenProvider.JwtExpiry(Jwt("{\"sub\":\"u\",\"exp\":1795000000}")), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1795000000)));

    [TestCase("opaque-token")]
    [TestCase("a.b.c")]
    [TestCase("a.!!!.c")]
    [TestCase("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.sig")]
    public void Tokens_without_a_readable_exp_have_none(string token)
        => Assert.That(CallbackTokenProvider.JwtExpiry(token), Is.Null);

    [Test]
    public async Task A_fresh_token_is_served_from_the_cache_as_one_completed_task_and_asked_again_only_after_rejection()
    {
        var asked = 0;
        using var provider = new CallbackTokenProvider((context, _) => new ValueTask<string>($"token-{++asked}"), ["api.example.com"]);
        var uri = new Uri("https://api.example.com/x");

        var first = await provider.GetAuthorizationTokenAsync(uri);
        var second = provider.GetAuthorizationTokenAsync(uri);
        var third = provider.GetAuthorizationTokenAsync(uri);
        var afterRejection = await provider.GetAuthorizationTokenAsync(uri, new Dictionary<string, object> { [BearerTokenHandler.PreviousTokenRejectedKey] = true });

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("token-1"));
            Assert.That(second.IsCompletedSuccessfully, Is.True, "served without waiting");
            Assert.That(second, Is.SameAs(third), "the cached token's one task, not a new one per call");
            Assert.That(second.Result, Is.EqualTo("token-1"));
            Assert.That(afterRejection, Is.EqualTo("token-2"));
            Assert.That(asked, Is.EqualTo(2));
        });
    }
}
