using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>Rules of the public surface of the five packages: every async call is cancellable, and nothing blocks on async work.</summary>
[TestFixture]
public sealed class PublicSurfaceTests
{
    private static readonly Assembly[] Packages =
    {
        typeof(ProviderClientBase).Assembly,
        typeof(Ehrweb.EhrwebResumeClient).Assembly,
        typeof(HrMax.HrMaxClient).Assembly,
        typeof(HrFlow.HrFlowClient).Assembly,
        typeof(HeadHunter.HeadHunterClient).Assembly,
    };

    private static IEnumerable<MethodInfo> PublicMethods() => Packages
        .SelectMany(a => a.GetExportedTypes())
        .Where(t => !typeof(Delegate).IsAssignableFrom(t))
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) && !m.IsSpecialName);

    private static bool IsAsync(Type type) => typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask)
        || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ValueTask<>) || type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)));

    [Test]
    public void Every_public_async_method_takes_a_cancellation_token()
    {
        var missing = PublicMethods()
            .Where(m => IsAsync(m.ReturnType) && m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToArray();

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void No_public_synchronous_twin_of_an_async_method_exists()
    {
        var methods = PublicMethods().ToArray();
        var asyncNames = methods.Where(m => IsAsync(m.ReturnType) && m.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(m => (m.DeclaringType, Name: m.Name[..^"Async".Length])).ToHashSet();
        var twins = methods
            // Dispose beside DisposeAsync is the standard pair (both dispose synchronously-disposable resources).
            .Where(m => !IsAsync(m.ReturnType) && m.Name != nameof(IDisposable.Dispose) && asyncNames.Contains((m.DeclaringType, m.Name)))
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToArray();

        Assert.That(twins, Is.Empty, "a synchronous wrapper over an async call would block a thread (sync-over-async)");
    }

    /// <summary>
    /// NSwag's plumbing is not reachable from outside a generated client (issue #14): its server is set by the
    /// options only (a settable BaseUrl sent credentials wherever it pointed), and ReadResponseAsString, the
    /// response reader and its result type cannot be switched, overridden or named by callers or subclasses.
    /// </summary>
    [Test]
    public void No_generated_client_exposes_NSwag_plumbing()
    {
        var clients = Packages.Skip(1).SelectMany(a => a.GetExportedTypes()).Where(t => t.IsClass && t.IsSubclassOf(typeof(ProviderClientBase))).ToArray();
        Assert.That(clients, Has.Length.EqualTo(4));
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        static bool Visible(MethodBase? m) => m is not null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);

        foreach (var client in clients)
        {
            var baseUrl = client.GetProperty("BaseUrl", All);
            Assert.That(baseUrl, Is.Not.Null, client.Name);
            Assert.That(Visible(baseUrl!.GetMethod), Is.True, client.Name + ": the server in use stays readable");
            Assert.That(Visible(baseUrl.SetMethod), Is.False, client.Name + ".BaseUrl is settable from outside");
            Assert.That(client.GetProperty("ReadResponseAsString", All) is { } read && (Visible(read.GetMethod) || Visible(read.SetMethod)), Is.False, client.Name + ".ReadResponseAsString");
            Assert.That(client.GetMethods(All).Where(m => m.Name == "ReadObjectResponseAsync").Where(Visible), Is.Empty, client.Name + ".ReadObjectResponseAsync");
            Assert.That(client.GetNestedTypes(All).Where(t => t.Name.StartsWith("ObjectResponseResult", StringComparison.Ordinal) && (t.IsNestedPublic || t.IsNestedFamily || t.IsNestedFamORAssem)), Is.Empty, client.Name + ".ObjectResponseResult");
        }
    }

    /// <summary>
    /// Core's public types are what callers use (options, exceptions, files, diagnostics names, the clients'
    /// bases); the plumbing (pipeline, handlers, token providers, registration, parsers) is internal (issue #14).
    /// </summary>
    [Test]
    public void Core_exports_only_what_callers_use()
    {
        var exported = typeof(ProviderClientBase).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal).ToArray();

        Assert.That(exported, Is.EqualTo(new[]
        {
            "CandidateFiles.Auth.AccessTokenCallback",
            "CandidateFiles.Auth.AccessTokenRequestContext",
            "CandidateFiles.Auth.BearerTokenOptions",
            "CandidateFiles.Auth.ClientCredentialStyle",
            "CandidateFiles.CallTimeouts",
            "CandidateFiles.FileParameter",
            "CandidateFiles.FileResponse",
            "CandidateFiles.ProviderApiException",
            "CandidateFiles.ProviderClientBase",
            "CandidateFiles.ProviderClientBase`1",
            "CandidateFiles.ProviderClientOptions",
            "CandidateFiles.ProviderDiagnostics",
            "CandidateFiles.ProviderResponseCapture",
            "CandidateFiles.ProviderResponseInfo",
            "CandidateFiles.ProviderTimeoutException",
            "CandidateFiles.ProviderTimeoutKind",
            "CandidateFiles.RedirectOptions",
            "CandidateFiles.RetryOptions",
            "CandidateFiles.TimeoutOptions",
        }));
    }
}
