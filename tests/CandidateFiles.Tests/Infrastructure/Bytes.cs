using System.IO;
using System.Threading.Tasks;

namespace CandidateFiles.Tests.Infrastructure;

public static class Bytes
{
    /// <summary>A deterministic, non-repeating-looking byte pattern of <paramref name="length"/> bytes.</summary>
    public static byte[] Pattern(int length, int seed = 7)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
