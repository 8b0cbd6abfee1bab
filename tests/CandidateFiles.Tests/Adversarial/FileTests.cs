using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.HrMax;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Downloads saved to disk under hostile names and statuses: long names (ASCII and CJK), bidi and zero-width
/// characters, leading dots, and a 206 to a request without Range. Every scenario asserts the monitor's invariants.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FileTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(3);
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("%PDF-1.4 hostile");
    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Directory.CreateTempSubdirectory("cf-files-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    public static IEnumerable<TestCaseData> ServerNames()
    {
        yield return new TestCaseData(new string('a', 300) + ".pdf", null).SetName("Server file name: 300 ASCII characters");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("履歷表", 40)) + ".pdf", null).SetName("Server file name: 120 CJK characters");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("😀", 80)) + ".jpeg", null).SetName("Server file name: 80 emoji (surrogate pairs)");
        yield return new TestCaseData("cv\u202Efdp.exe", "cvfdp.exe").SetName("Server file name: right-to-left override");
        yield return new TestCaseData("in\u200Bvo\u200Dice\u2066.pdf", "invoice.pdf").SetName("Server file name: zero-width and isolate characters");
        yield return new TestCaseData("\uFEFFresume.pdf", "resume.pdf").SetName("Server file name: byte-order mark");
        yield return new TestCaseData("...hidden.pdf", "hidden.pdf").SetName("Server file name: leading dots");
        yield return new TestCaseData(". .bashrc", "bashrc").SetName("Server file name: dot, space, dot");
    }

    [TestCaseSource(nameof(ServerNames))]
    public async Task A_server_file_name_is_saved_short_visible_and_with_its_extension(string serverName, string? expected)
    {
        var disposition = "attachment; filename*=UTF-8''" + Uri.EscapeDataString(serverName);
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/pdf", Encoding.ASCII.GetString(Body), ("Content-Disposition", disposition)));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"download named {serverName.Length} chars").WithAllCredentials(api, token).Observe(api, token);
        using var ehrweb = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall);
        string? saved = null;

        var call = await monitor.CallAsync(async () =>
        {
            using var file = await ehrweb.Client.GetHeadshotAsync(EhrwebFileId);
            saved = await file.SaveToDirectoryAsync(_directory, "fallback.bin");
        }, Overall);

        Assert.That(call.Failure, Is.Null, call.Failure?.ToString());
        var name = Path.GetFileName(saved!);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(saved!), Is.EqualTo(Body));
            Assert.That(Encoding.UTF8.GetByteCount(name), Is.LessThanOrEqualTo(255));
            Assert.That(name, Does.Not.StartWith("."));
            Assert.That(name.Any(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format), Is.False);
            Assert.That(Path.GetExtension(name), Is.EqualTo(Path.GetExtension(expected ?? serverName)));
            Assert.That(char.IsLowSurrogate(name[^(Path.GetExtension(name).Length + 1)]) || !char.IsSurrogate(name[^(Path.GetExtension(name).Length + 1)]), Is.True, "no half character");
            if (expected is not null)
            {
                Assert.That(name, Is.EqualTo(expected));
            }

            Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file left");
        });
        monitor.AssertInvariants();
    }

    public static IEnumerable<TestCaseData> CallerNames()
    {
        yield return new TestCaseData(new string('n', 220) + ".pdf").SetName("Caller file name: 224 ASCII characters");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("候選人", 25)) + ".pdf").SetName("Caller file name: 75 CJK characters");
        yield return new TestCaseData(new string('x', 251) + ".pdf").SetName("Caller file name: 255 bytes exactly");
    }

    [TestCaseSource(nameof(CallerNames))]
    public async Task A_legal_file_name_saves_however_long(string fileName)
    {
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/pdf", Encoding.ASCII.GetString(Body)));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"save to a {fileName.Length}-character name").WithAllCredentials(api, token).Observe(api, token);
        using var ehrweb = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall);
        var path = Path.Combine(_directory, fileName);

        var call = await monitor.CallAsync(async () =>
        {
            using var file = await ehrweb.Client.GetHeadshotAsync(EhrwebFileId);
            await file.SaveToFileAsync(path);
        }, Overall);

        Assert.That(call.Failure, Is.Null, call.Failure?.ToString());
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Body));
        monitor.AssertInvariants();
    }

    [TestCase("Ehrweb")]
    [TestCase("HrMax")]
    public async Task A_206_to_a_request_without_range_is_the_providers_exception(string provider)
    {
        await using var api = new RawTcpServer("api", RawTcpServer.Always(206, "application/pdf", "%PDF-1.4 first part", ("Content-Range", "bytes 0-18/5000")));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: 206 without Range").WithAllCredentials(api, token).Observe(api, token);
        var path = Path.Combine(_directory, "whole.pdf");
        CallOutcome call;
        if (provider == "Ehrweb")
        {
            using var ehrweb = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall);
            call = await monitor.CallAsync(async () => { using var file = await ehrweb.Client.GetHeadshotAsync(EhrwebFileId); await file.SaveToFileAsync(path); }, Overall);
        }
        else
        {
            using var hrMax = NewHrMax(api, new LoopbackRouting(), monitor, Overall);
            call = await monitor.CallAsync(async () => { using var file = await hrMax.Client.DownloadFileAsync("uuid-1"); await file.SaveToFileAsync(path); }, Overall);
        }

        Assert.Multiple(() =>
        {
            Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>(), call.Failure?.ToString());
            Assert.That((call.Failure as ProviderApiException)?.StatusCode, Is.EqualTo(206));
            Assert.That(call.Failure?.Message, Does.Contain("Partial Content"));
            Assert.That(File.Exists(path), Is.False, "nothing saved as if whole");
        });
        monitor.AssertInvariants();
    }
}
