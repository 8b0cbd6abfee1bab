using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>A client refuses wrong settings at construction, naming the setting and the fix.</summary>
[TestFixture]
public sealed class OptionsValidationTests
{
    [TestCase(null, "not set")]
    [TestCase("1234567", "\"1234567\"")]
    [TestCase("12345678 ", "\"12345678 \"")]
    [TestCase("abcdefgh", "\"abcdefgh\"")]
    public void Ehrweb_rejects_a_guiNum_that_is_not_eight_digits(string? guiNum, string shown)
    {
        var error = Assert.Throws<ArgumentException>(() => new EhrwebResumeClient(new EhrwebResumeClientOptions { GuiNum = guiNum, ClientId = "a", ClientSecret = "b" }));

        Assert.That(error!.Message, Does.Contain("EhrwebResumeClientOptions.GuiNum").And.Contain("8-digit").And.Contain(shown));
        Assert.That(error.ParamName, Is.EqualTo("GuiNum"));
    }

    [TestCase("1", "00000001")]
    [TestCase("42", "00000042")]
    [TestCase("1234567", "01234567")]
    [TestCase("0000000", "00000000")]
    public void Ehrweb_tells_to_pad_a_guiNum_of_one_to_seven_digits_with_leading_zeros(string guiNum, string padded)
    {
        var error = Assert.Throws<ArgumentException>(() => new EhrwebResumeClient(new EhrwebResumeClientOptions { GuiNum = guiNum, ClientId = "a", ClientSecret = "b" }));

        Assert.That(error!.ParamName, Is.EqualTo("GuiNum"));
        Assert.That(error.Message, Does.Contain("EhrwebResumeClientOptions.GuiNum").And.Contain("8-digit").And.Contain($"\"{guiNum}\""));
        Assert.That(error.Message, Does.Contain("pad it with leading zeros to 8 digits").And.Contain($"(\"{padded}\")"));
    }

    [TestCase("123456789")]
    [TestCase("")]
    [TestCase("1234 567")]
    [TestCase("-1234567")]
    [TestCase("1234567\n")]
    [TestCase("\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19")]
    [TestCase("12345678\n")]
    public void Ehrweb_gives_no_padding_advice_for_a_guiNum_that_padding_would_not_fix(string guiNum)
    {
        var error = Assert.Throws<ArgumentException>(() => new EhrwebResumeClient(new EhrwebResumeClientOptions { GuiNum = guiNum, ClientId = "a", ClientSecret = "b" }));

        Assert.That(error!.ParamName, Is.EqualTo("GuiNum"));
        Assert.That(error.Message, Does.Contain("8-digit"));
        Assert.That(error.Message, Does.Not.Contain("leading zeros"));
    }

    [TestCase("\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18", "write it in ASCII digits,", "12345678")]
    [TestCase("\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17", "write it in ASCII digits and pad it with leading zeros to 8 digits", "01234567")]
    [TestCase("1234\uFF15\uFF16\uFF17", "write it in ASCII digits and pad it with leading zeros to 8 digits", "01234567")]
    public void Ehrweb_tells_to_write_a_full_width_guiNum_in_ascii_digits(string guiNum, string advice, string suggested)
    {
        var error = Assert.Throws<ArgumentException>(() => new EhrwebResumeClient(new EhrwebResumeClientOptions { GuiNum = guiNum, ClientId = "a", ClientSecret = "b" }));

        Assert.That(error!.ParamName, Is.EqualTo("GuiNum"));
        Assert.That(error.Message, Does.Contain("8-digit").And.Contain(advice).And.Contain($"(\"{suggested}\")"));
    }

    [TestCase("12345678")]
    [TestCase("01234567")]
    [TestCase("00000000")]
    public void Ehrweb_accepts_an_eight_digit_guiNum_including_leading_zeros(string guiNum)
    {
        Assert.DoesNotThrow(() => new EhrwebResumeClientOptions { GuiNum = guiNum, ClientId = "a", ClientSecret = "b" }.Validate());
    }

    [Test]
    public void Ehrweb_requires_the_client_secret_without_showing_anything_secret()
    {
        var error = Assert.Throws<ArgumentException>(() => new EhrwebResumeClient(new EhrwebResumeClientOptions { GuiNum = "12345678", ClientId = "a" }));

        Assert.That(error!.Message, Does.Contain("ClientSecret"));
    }

    [Test]
    public void Ehrweb_refuses_a_plain_http_token_endpoint_off_loopback()
    {
        var options = new EhrwebResumeClientOptions { GuiNum = "12345678", ClientId = "a", ClientSecret = "b", TokenEndpoint = new Uri("http://auth.example.com/token") };

        var error = Assert.Throws<ArgumentException>(() => new EhrwebResumeClient(options));

        Assert.That(error!.Message, Does.Contain("TokenEndpoint").And.Contain("https"));
    }

    [TestCase(null)]
    [TestCase("MyApp")]
    [TestCase("MyApp/1.0")]
    public void HeadHunter_requires_an_application_user_agent_with_a_contact(string? agent)
    {
        var error = Assert.Throws<ArgumentException>(() => new HeadHunterClient(new HeadHunterClientOptions { UserAgent = agent, AccessTokenCallback = (_, _) => new ValueTask<string>("t") }));

        Assert.That(error!.Message, Does.Contain("HeadHunterClientOptions.UserAgent").And.Contain("AppName/1.0 (contact@example.com)"));
    }

    [Test]
    public void HrMax_requires_exactly_one_token_source()
    {
        var error = Assert.Throws<ArgumentException>(() => new HrMaxClient(new HrMaxClientOptions()));

        Assert.That(error!.Message, Does.Contain("AccessTokenCallback"));
    }

    [Test]
    public void HrFlow_requires_an_api_key()
    {
        var error = Assert.Throws<ArgumentException>(() => new HrFlowClient(new HrFlowClientOptions()));

        Assert.That(error!.Message, Does.Contain("HrFlowClientOptions.ApiKey"));
    }

    [Test]
    public void A_relative_endpoint_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new HrFlowClient(new HrFlowClientOptions { ApiKey = "k", Endpoint = new Uri("/v1", UriKind.Relative) }));

        Assert.That(error!.Message, Does.Contain("Endpoint").And.Contain("absolute"));
    }

    private static readonly (string Setting, Action<ProviderClientOptions> MakeInvalid)[] SharedSettingsOutOfRange =
    [
        ("MaxErrorBodyBytes", o => o.MaxErrorBodyBytes = 1023),
        ("MaxErrorBodyBytes", o => o.MaxErrorBodyBytes = 16 * 1024 * 1024 + 1),
        ("MaxBufferedBodyBytes", o => o.MaxBufferedBodyBytes = 64 * 1024 - 1),
        ("MaxBufferedBodyBytes", o => o.MaxBufferedBodyBytes = 1024 * 1024 * 1024 + 1),
        ("Endpoint", o => o.Endpoint = new Uri("http://api.example.com/")),
        ("Retry.MaxRetries", o => o.Retry.MaxRetries = -1),
        ("Retry.MaxRetries", o => o.Retry.MaxRetries = 21),
        ("Retry.BaseDelay", o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(-1)),
        ("Retry.BaseDelay", o => o.Retry.BaseDelay = o.Retry.MaxDelay + TimeSpan.FromTicks(1)),
        ("Timeouts.MinimumBytesPerSecond", o => o.Timeouts.MinimumBytesPerSecond = -1),
        ("Timeouts.LowSpeedWindow", o => o.Timeouts.LowSpeedWindow = TimeSpan.Zero),
        ("Timeouts.PerAttempt", o => o.Timeouts.PerAttempt = TimeSpan.Zero),
        ("Timeouts.PerAttempt", o => o.Timeouts.PerAttempt = TimeSpan.FromSeconds(-2)),
        ("Timeouts.Overall", o => o.Timeouts.Overall = TimeSpan.Zero),
        ("Redirects.MaxRedirects", o => o.Redirects.MaxRedirects = -1),
        ("Redirects.MaxRedirects", o => o.Redirects.MaxRedirects = 21),
        ("Redirects.AllowedHosts", o => o.Redirects.AllowedHosts.Add("https://cdn.example.com/")),
        ("Redirects.AllowedHosts", o => o.Redirects.AllowedHosts.Add(" ")),
    ];

    private static readonly Func<ProviderClientOptions>[] ValidOptions =
    [
        () => new EhrwebResumeClientOptions { GuiNum = "12345678", ClientId = "a", ClientSecret = "b" },
        () => new HrMaxClientOptions { AccessTokenCallback = (_, _) => new ValueTask<string>("t") },
        () => new HrFlowClientOptions { ApiKey = "k" },
        () => new HeadHunterClientOptions { UserAgent = "MyApp/1.0 (me@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t") },
    ];

    private static IEnumerable<TestCaseData> EveryProviderWithEverySharedSettingOutOfRange()
        => from valid in ValidOptions
           from bad in SharedSettingsOutOfRange
           select new TestCaseData(valid, bad.Setting, bad.MakeInvalid).SetArgDisplayNames(valid().GetType().Name, bad.Setting);

    [TestCaseSource(nameof(EveryProviderWithEverySharedSettingOutOfRange))]
    public void A_shared_setting_out_of_range_is_refused_at_construction_by_name(Func<ProviderClientOptions> valid, string setting, Action<ProviderClientOptions> makeInvalid)
    {
        var options = valid();
        Assert.DoesNotThrow(options.Validate, "the baseline is valid");
        makeInvalid(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(error!.ParamName, Is.EqualTo(setting));
        Assert.That(error.Message, Does.StartWith(options.GetType().Name + "." + setting + " must"));
    }

    [Test]
    public void Infinite_time_limits_and_zero_retries_redirects_and_minimum_speed_are_valid()
    {
        var options = new HrFlowClientOptions { ApiKey = "k" };
        options.Timeouts.PerAttempt = Timeout.InfiniteTimeSpan;
        options.Timeouts.Overall = Timeout.InfiniteTimeSpan;
        options.Timeouts.MinimumBytesPerSecond = 0;
        options.Retry.MaxRetries = 0;
        options.Retry.BaseDelay = TimeSpan.Zero;
        options.Redirects.MaxRedirects = 0;
        options.Redirects.AllowedHosts.Add("cdn.example.com");

        Assert.DoesNotThrow(options.Validate);
    }
}
