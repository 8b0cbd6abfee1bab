using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Tests.Infrastructure;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// A Node script from Contract/node started by a test fixture: it runs until its standard input closes
/// (the scripts watch it, so a killed test host leaves nothing behind), and everything it prints is kept
/// as its log. Dispose closes standard input, then kills the process tree if it has not exited.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Regex _readyLine;

    private NodeProcess(Process process, Regex readyLine)
    {
        _process = process;
        _readyLine = readyLine;
    }

    /// <summary>Every line printed so far (stdout and stderr, colour codes removed), in order of arrival.</summary>
    public IReadOnlyList<string> Log => _log.ToArray();

    /// <summary>The whole log as one text, for failure messages.</summary>
    public string LogText => string.Join(Environment.NewLine, _log);

    /// <summary>
    /// Starts <c>node Contract/node/<paramref name="script"/> <paramref name="arguments"/></c> from the repository
    /// root and waits for a line matching <paramref name="readyLine"/> (its first group is returned).
    /// </summary>
    public static async Task<(NodeProcess Process, string Ready)> StartAsync(string script, IEnumerable<string> arguments, Regex readyLine)
    {
        await NodeTooling.EnsureInstalledAsync();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(RepoRoot.Path, "tests", "CandidateFiles.Tests", "Contract", "node", script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Plain text logs: Prism colours its output when it thinks a terminal is attached.
        info.Environment["NO_COLOR"] = "1";
        info.Environment["FORCE_COLOR"] = "0";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(process, readyLine);
        process.OutputDataReceived += (_, e) => node.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => node.Receive(e.Data);
        process.Exited += (_, _) =>
        {
            if (node._ready.Task.IsCompleted)
            {
                return;
            }

            // Exited can come before the last output lines; this waits for the output to end.
            process.WaitForExit();
            node._ready.TrySetException(new InvalidOperationException($"node {script} exited with code {SafeExitCode(process)} before it was ready:{Environment.NewLine}{node.LogText}"));
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("The contract tests need Node.js: 'node' was not found on PATH. Install Node.js 20 or newer, then run 'npm ci' in the repository root.", exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await node._ready.Task.WaitAsync(StartTimeout);
            return (node, ready);
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException($"node {script} did not get ready within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{node.LogText}");
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for the log, or <paramref name="timeout"/> passes.</summary>
    public async Task<IReadOnlyList<string>> WaitForLogAsync(Func<IReadOnlyList<string>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var log = Log;
            if (done(log) || DateTime.UtcNow > deadline)
            {
                return log;
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        line = AnsiEscape().Replace(line, string.Empty);
        _log.Enqueue(line);
        if (_readyLine.Match(line) is { Success: true } match)
        {
            _ready.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}

/// <summary>
/// The Node packages the contract tests run (Prism, multer) come from the repository's package.json. CI runs
/// <c>npm ci</c> before the tests; on a fresh clone a plain <c>dotnet test</c> runs it once here.
/// </summary>
public static class NodeTooling
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _installed;

    private static string[] RequiredFiles =>
    [
        Path.Combine(RepoRoot.Path, "node_modules", "@stoplight", "prism-cli", "package.json"),
        Path.Combine(RepoRoot.Path, "node_modules", "multer", "package.json"),
    ];

    public static async Task EnsureInstalledAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_installed || RequiredFiles.All(File.Exists))
            {
                _installed = true;
                return;
            }

            // One install for concurrent test runs of this checkout: a lock file in the temp folder, named after
            // the checkout, held while npm runs.
            var checkout = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(RepoRoot.Path)))[..16];
            var lockPath = Path.Combine(Path.GetTempPath(), "candidatefiles-npm-ci-" + checkout + ".lock");
            using (await AcquireAsync(lockPath))
            {
                if (!RequiredFiles.All(File.Exists))
                {
                    await RunNpmCiAsync();
                }
            }

            var missing = RequiredFiles.Where(file => !File.Exists(file)).ToArray();
            if (missing.Length > 0)
            {
                throw new InvalidOperationException("'npm ci' ran but did not install " + string.Join(", ", missing) + ": check package.json and package-lock.json.");
            }

            _installed = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<FileStream> AcquireAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task RunNpmCiAsync()
    {
        var info = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("ci");
        info.ArgumentList.Add("--no-audit");
        info.ArgumentList.Add("--no-fund");
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("npm did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("The contract tests need the Node packages in package.json (Prism, multer) and npm was not found to install them: install Node.js/npm, then run 'npm ci' in " + RepoRoot.Path + ".", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci' in {RepoRoot.Path} failed with exit code {process.ExitCode}; run it yourself to see why:{Environment.NewLine}{await output}{await errors}");
            }
        }
    }
}
