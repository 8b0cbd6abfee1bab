using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>
/// These sources compile into two test projects: CandidateFiles.Tests against the net10.0 build of the
/// packages, CandidateFiles.Tests.NetStandard against their netstandard2.0 build. This proves each run
/// tested the build it claims to, not whichever one the build happened to copy.
/// </summary>
public sealed class LoadedBuildTests
{
#if NETSTANDARD_BUILD_UNDER_TEST
    private const string ExpectedFramework = ".NETStandard,Version=v2.0";
#else
    private const string ExpectedFramework = ".NETCoreApp,Version=v10.0";
#endif

    private static readonly Type[] OnePublicTypePerPackage =
    [
        typeof(ProviderApiException),
        typeof(EhrwebResumeClient),
        typeof(HrMaxClient),
        typeof(HrFlowClient),
        typeof(HeadHunterClient),
    ];

    [TestCaseSource(nameof(OnePublicTypePerPackage))]
    public void The_package_assembly_loaded_is_the_build_under_test(Type type)
    {
        var assembly = type.Assembly;
        var framework = assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.That(framework, Is.EqualTo(ExpectedFramework), assembly.FullName);
    }

    [Test]
    public void Only_one_build_of_each_package_is_loaded()
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => assembly.GetName().Name is { } name && name.StartsWith("CandidateFiles.", StringComparison.Ordinal) && !name.StartsWith("CandidateFiles.Tests", StringComparison.Ordinal))
            .GroupBy(assembly => assembly.GetName().Name)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);

        Assert.That(loaded, Is.Empty);
    }

    [TestCaseSource(nameof(OnePublicTypePerPackage))]
    public void The_package_assembly_is_strong_named_with_the_repository_key(Type type)
    {
        var token = type.Assembly.GetName().GetPublicKeyToken();

        Assert.That(token is null ? string.Empty : Convert.ToHexString(token), Is.EqualTo("89EB374DE7F70B11"), type.Assembly.FullName);
    }
}
