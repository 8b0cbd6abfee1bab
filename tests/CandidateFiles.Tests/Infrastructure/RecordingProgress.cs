using System;
using System.Collections.Generic;

namespace CandidateFiles.Tests.Infrastructure;

/// <summary>An <see cref="IProgress{T}"/> that records every report synchronously, in order.</summary>
public sealed class RecordingProgress : IProgress<long>
{
    private readonly List<long> _values = new();

    public IReadOnlyList<long> Values
    {
        get
        {
            lock (_values)
            {
                return _values.ToArray();
            }
        }
    }

    public void Report(long value)
    {
        lock (_values)
        {
            _values.Add(value);
        }
    }
}
