using System;

namespace UpstreamDrift;

/// <summary>A page (or spec) that cannot be read or understood; the message says why. Exit code 2.</summary>
public sealed class PageFormatException : Exception
{
    public PageFormatException()
    {
    }

    public PageFormatException(string message)
        : base(message)
    {
    }

    public PageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
