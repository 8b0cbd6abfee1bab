using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>
/// The four clients stand on one generic base, and their exceptions are named and shaped alike (issue #14).
/// </summary>
[TestFixture]
public sealed class ClientShapeTests
{
    private static readonly (Type Client, Type Options, Type Exception, Type Kind)[] Providers =
    [
        (typeof(EhrwebResumeClient), typeof(EhrwebResumeClientOptions), typeof(EhrwebApiException), typeof(EhrwebErrorKind)),
        (typeof(HrMaxClient), typeof(HrMaxClientOptions), typeof(HrMaxApiException), typeof(HrMaxErrorKind)),
        (typeof(HrFlowClient), typeof(HrFlowClientOptions), typeof(HrFlowApiException), typeof(HrFlowErrorKind)),
        (typeof(HeadHunterClient), typeof(HeadHunterClientOptions), typeof(HeadHunterApiException), typeof(HeadHunterErrorKind)),
    ];

    [Test]
    public void Every_client_derives_from_the_generic_base_of_its_own_options()
    {
        foreach (var (client, options, _, _) in Providers)
        {
            Assert.That(client.BaseType, Is.EqualTo(typeof(ProviderClientBase<>).MakeGenericType(options)), client.Name);
        }
    }

    /// <summary>
    /// The hook that records when a call started (the Overall limit bounds reading an error body from then on)
    /// cannot be overridden, so no provider can forget to call it; providers change the URL in PrepareUrl.
    /// </summary>
    [Test]
    public void The_call_start_hook_cannot_be_overridden_and_providers_use_PrepareUrl()
    {
        var start = typeof(ProviderClientBase).GetMethod(
            "PrepareRequestAsync",
            BindingFlags.Instance | BindingFlags.NonPublic,
            [typeof(HttpClient), typeof(HttpRequestMessage), typeof(StringBuilder), typeof(CancellationToken)]);
        Assert.That(start, Is.Not.Null);
        Assert.That(start!.IsVirtual, Is.False);

        var prepareUrl = typeof(HeadHunterClient).GetMethod("PrepareUrl", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(HttpRequestMessage), typeof(StringBuilder)]);
        Assert.That(prepareUrl?.DeclaringType, Is.EqualTo(typeof(HeadHunterClient)), "hh.ru adds locale and host through PrepareUrl");
    }

    [Test]
    public void Every_provider_exception_has_a_Kind_of_its_own_ErrorKind_enum_whose_zero_is_Other()
    {
        foreach (var (_, _, exception, kind) in Providers)
        {
            Assert.That(exception.BaseType, Is.EqualTo(typeof(ProviderApiException)), exception.Name);
            Assert.That(exception.GetProperty("Kind")?.PropertyType, Is.EqualTo(kind), exception.Name);
            Assert.That(kind.Name, Is.EqualTo(exception.Name.Replace("ApiException", "ErrorKind", StringComparison.Ordinal)));
            Assert.That(Enum.GetName(kind, 0), Is.EqualTo("Other"), kind.Name);
        }
    }

    [Test]
    public void Every_provider_exception_has_one_constructor_message_response_kind_first_and_an_optional_cause_last()
    {
        foreach (var (_, _, exception, kind) in Providers)
        {
            var constructors = exception.GetConstructors();
            Assert.That(constructors, Has.Length.EqualTo(1), exception.Name);
            var parameters = constructors[0].GetParameters();
            Assert.That(parameters.Take(3).Select(p => (p.ParameterType, p.Name)), Is.EqualTo(new[] { (typeof(string), "message"), (typeof(ProviderResponseInfo), "response"), (kind, "kind") }), exception.Name);
            Assert.That((parameters[^1].ParameterType, parameters[^1].Name, parameters[^1].IsOptional), Is.EqualTo((typeof(Exception), "innerException", true)), exception.Name);
        }
    }

    [Test]
    public void Every_provider_exception_shows_its_kind_and_cause_the_same_way()
    {
        var response = new ProviderResponseInfo("P", 440, "POST", "/x", new Dictionary<string, IEnumerable<string>>(), "application/json", "{}", bodyTruncated: false);
        var cause = new InvalidOperationException("the cause");
        ProviderApiException[] exceptions =
        [
            new EhrwebApiException("m", response, EhrwebErrorKind.FileExpiredOrUnavailable, "895", "expired", cause),
            new HrMaxApiException("m", response, HrMaxErrorKind.InvalidParameters, "440", "bad", cause),
            new HrFlowApiException("m", response, HrFlowErrorKind.Unprocessable, "422", "no", cause),
            new HeadHunterApiException("m", response, HeadHunterErrorKind.BadArgument, [new HeadHunterError("bad_argument", "page")], "r1", innerException: cause),
        ];

        Assert.Multiple(() =>
        {
            foreach (var exception in exceptions)
            {
                var kind = exception.GetType().GetProperty("Kind")!.GetValue(exception)!;
                Assert.That(exception.ToString(), Does.Contain("\nKind: " + kind + "\n"), exception.GetType().Name);
                Assert.That(exception.InnerException, Is.SameAs(cause), exception.GetType().Name);
            }

            Assert.That(new ProviderApiException("m", response, null, null, null).ToString(), Does.Not.Contain("Kind:"));
        });
    }

    /// <summary>A client validates its options once per construction, whether it builds its HTTP client or is given one.</summary>
    [Test]
    public void Options_are_validated_once_per_construction()
    {
        var options = new CountingOptions();
        using (new CountingClient(options))
        {
            Assert.That(options.Validations, Is.EqualTo(1), "a client that builds its own HTTP client");
        }

        options.Validations = 0;
        using var http = new HttpClient();
        using (new CountingClient(options, http))
        {
            Assert.That(options.Validations, Is.EqualTo(1), "a client given an HTTP client");
        }

        options.Validations = 0;
        options.MaxErrorBodyBytes = 1;
        Assert.That(() => new CountingClient(options), Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("MaxErrorBodyBytes"));
        Assert.That(options.Validations, Is.EqualTo(1));
    }

    private sealed class CountingOptions : ProviderClientOptions
    {
        public int Validations { get; set; }

        protected internal override string ProviderName => "Counting";

        public override void Validate()
        {
            Validations++;
            base.Validate();
        }
    }

    /// <summary>Built as the providers' partial classes build theirs: the owning constructor creates its pipeline after the base validated.</summary>
    private sealed class CountingClient : ProviderClientBase<CountingOptions>
    {
        public CountingClient(CountingOptions options)
            : this(options, null!)
            => Http = OwnPipeline([]);

        public CountingClient(CountingOptions options, HttpClient http)
            : base(options)
            => Http = http;

        public HttpClient Http { get; }

        private protected override ProviderApiException CreateException(ProviderResponseInfo response) => new("failed", response, null, null, null);
    }
}
