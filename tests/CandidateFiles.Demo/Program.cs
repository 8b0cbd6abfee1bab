using System;
using System.Threading;
using CandidateFiles.Demo;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// A progress bar only when a person watches a terminal; plain lines when the output goes to a file or a pipe.
var progress = Console.IsOutputRedirected ? null : new SpectreTransferProgress();
return await DemoRunner.RunAsync(Console.Out, progress, workDirectory: null, cancel.Token);
