using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
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

    [Test]
    public async Task A_rejection_naming_an_older_token_keeps_the_newer_one_and_one_naming_the_cached_token_drops_it()
    {
        var asked = 0;
        using var provider = new CallbackTokenProvider((_, _) => new ValueTask<string>($"token-{++asked}"), ["api.example.com"]);
        var uri = new Uri("https://api.example.com/x");

        var first = await provider.GetAuthorizationTokenAsync(uri);
        var second = await provider.GetAuthorizationTokenAsync(uri, new Dictionary<string, object> { [BearerTokenHandler.PreviousTokenRejectedKey] = first });
        var stillSecond = await provider.GetAuthorizationTokenAsync(uri, new Dictionary<string, object> { [BearerTokenHandler.PreviousTokenRejectedKey] = first });
        provider.Reject(second);
        var third = await provider.GetAuthorizationTokenAsync(uri);

        Assert.Multiple(() =>
        {
            Assert.That((first, second, stillSecond, third), Is.EqualTo(("token-1", "token-2", "token-2", "token-3")));
            Assert.That(asked, Is.EqualTo(3), "a late rejection of token-1 did not refetch: token-2 was already cached");
        });
    }

    [Test]
    public async Task Concurrent_waiters_share_one_failure_and_the_next_need_asks_again()
    {
        var asked = 0;
        var release = new TaskCompletionSource();
        using var provider = new CallbackTokenProvider(
            async (_, _) => { Interlocked.Increment(ref asked); await release.Task; throw new TimeoutException("vault"); },
            ["api.example.com"],
            failure: (message, cause) => new System.IO.InvalidDataException(message, cause));
        var uri = new Uri("https://api.example.com/x");

        var waiters = Enumerable.Range(0, 20).Select(_ => provider.GetAuthorizationTokenAsync(uri)).ToArray();
        release.SetResult();
        var failures = new List<Exception>();
        foreach (var waiter in waiters)
        {
            failures.Add((await Assert.CatchAsync<System.IO.InvalidDataException>(() => waiter))!);
        }

        var askedByWaiters = asked;
        await Assert.CatchAsync<System.IO.InvalidDataException>(() => provider.GetAuthorizationTokenAsync(uri));

        Assert.Multiple(() =>
        {
            Assert.That(askedByWaiters, Is.EqualTo(1), "20 waiters, one fetch");
            Assert.That(failures.Distinct().Count(), Is.EqualTo(1), "every waiter gets the one failure");
            Assert.That(failures[0].InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(asked, Is.EqualTo(2), "the failure was not kept: the next need asked again");
        });
    }

    [Test]
    public async Task A_callback_that_throws_synchronously_fails_as_the_providers_exception_and_is_asked_again_next_time()
    {
        var asked = 0;
        using var provider = new CallbackTokenProvider(
            (_, _) => { Interlocked.Increment(ref asked); throw new TimeoutException("vault"); },
            ["api.example.com"],
            failure: (message, cause) => new System.IO.InvalidDataException(message, cause));
        var uri = new Uri("https://api.example.com/x");

        var first = await Assert.CatchAsync<System.IO.InvalidDataException>(() => provider.GetAuthorizationTokenAsync(uri));
        var second = await Assert.CatchAsync<System.IO.InvalidDataException>(() => provider.GetAuthorizationTokenAsync(uri));

        Assert.Multiple(() =>
        {
            Assert.That(first!.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(first.Message, Does.Contain("AccessTokenCallback").And.Not.Contain("vault"));
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(asked, Is.EqualTo(2));
        });
    }
}
