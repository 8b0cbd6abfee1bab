using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace CandidateFiles.Tests.Clients;

/// <summary>
/// Guards the rule that every operation of every spec has a loopback test: a test in this namespace
/// must be named after each operationId (getHeadshot → GetHeadshot_...). A new operation in a spec
/// fails this until someone writes its test.
/// </summary>
[TestFixture]
public sealed class EveryOperationIsTestedTests
{
    [Test]
    public void Every_spec_operation_has_a_wire_test_named_after_it()
    {
        var specs = Path.Combine(Infrastructure.RepoRoot.Path, "specs");
        var operations = Directory.GetFiles(specs, "*.yaml")
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"^\s+operationId:\s*(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            .ToArray();
        var testNames = typeof(EveryOperationIsTestedTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(EveryOperationIsTestedTests).Namespace)
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes<TestAttribute>().Any() || m.GetCustomAttributes<TestCaseAttribute>().Any())
            .Select(m => m.Name)
            .ToArray();

        Assert.That(operations, Has.Length.GreaterThanOrEqualTo(11), "all four specs were read");
        var untested = operations.Where(op => !testNames.Any(name => name.StartsWith(char.ToUpperInvariant(op[0]) + op[1..] + "_", StringComparison.Ordinal))).ToArray();
        Assert.That(untested, Is.Empty, "operations without a loopback test");
    }
}
