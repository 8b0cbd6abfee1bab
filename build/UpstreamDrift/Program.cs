using System;

namespace UpstreamDrift;

internal static class Program
{
    private static int Main(string[] args) => DriftCommand.Run(args, Console.Out, Console.Error);
}
