using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrMax;
using NUnit.Framework;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// Every operation of the 104 Ehrweb, HR Max and hh.ru clients (their generated interfaces) has a Prism
/// contract test in that provider's fixture, named after it (GetHeadshot → GetHeadshot_...), so an operation
/// added to a client fails this until its request is checked against the provider's own document.
/// </summary>
[TestFixture]
public sealed class EveryOperationIsContractTestedTests
{
    /// <summary>
    /// Operations whose request today's client cannot make as the provider's document defines it, with why.
    /// An entry here must not have a contract test (this fails once it has one, so the entry goes).
    /// </summary>
    private static readonly Dictionary<string, string> KnownGaps = new(StringComparer.Ordinal);

    private static IEnumerable<TestCaseData> Clients()
    {
        yield return new TestCaseData(typeof(IEhrwebResumeClient), typeof(EhrwebPrismContractTests)).SetArgDisplayNames("Ehrweb");
        yield return new TestCaseData(typeof(IHrMaxClient), typeof(HrMaxPrismContractTests)).SetArgDisplayNames("HrMax");
        yield return new TestCaseData(typeof(IHeadHunterClient), typeof(HeadHunterPrismContractTests)).SetArgDisplayNames("HeadHunter");
    }

    [TestCaseSource(nameof(Clients))]
    public void Every_client_operation_has_a_Prism_contract_test_named_after_it(Type client, Type fixture)
    {
        var operations = client.GetMethods()
            .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal))
            .Select(m => m.Name[..^"Async".Length])
            .Distinct()
            .ToArray();
        var tests = fixture.GetMethods()
            .Where(m => m.GetCustomAttributes<TestAttribute>().Any() || m.GetCustomAttributes<TestCaseAttribute>().Any())
            .Select(m => m.Name)
            .ToArray();
        bool Tested(string operation) => tests.Any(test => test.StartsWith(operation + "_", StringComparison.Ordinal));

        Assert.That(operations, Is.Not.Empty, client.Name + " has operations");
        Assert.Multiple(() =>
        {
            Assert.That(operations.Where(op => !Tested(op) && !KnownGaps.ContainsKey(client.Name + "." + op)), Is.Empty, "operations without a Prism contract test in " + fixture.Name);
            Assert.That(operations.Where(op => Tested(op) && KnownGaps.ContainsKey(client.Name + "." + op)), Is.Empty, "now tested: remove them from KnownGaps");
            Assert.That(KnownGaps.Keys.Where(gap => gap.StartsWith(client.Name + ".", StringComparison.Ordinal) && !operations.Contains(gap[(client.Name.Length + 1)..])), Is.Empty, "KnownGaps entries that name no operation of " + client.Name);
        });
    }
}
