using System;
using System.IO;

namespace CandidateFiles.Tests.Infrastructure;

public static class RepoRoot
{
    /// <summary>The repository root (the folder holding Generated.sln).</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Generated.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Generated.sln not found above " + AppContext.BaseDirectory);
    }
}
