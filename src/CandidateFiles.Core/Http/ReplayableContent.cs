using System.Linq;
using System.Net.Http;

namespace CandidateFiles;

/// <summary>Tells whether a request body can be sent a second time without copying it into memory.</summary>
internal static class ReplayableContent
{
    /// <summary>
    /// True for no body and for buffered bodies (byte array, string, form, and multipart made only
    /// of those). A <see cref="StreamContent"/> may wrap a non-seekable stream, and buffering it to
    /// find out would copy a possibly huge file into memory, so it counts as not replayable.
    /// </summary>
    internal static bool CanReplay(HttpContent? content) => content switch
    {
        null => true,
        ByteArrayContent => true,
        MultipartContent multipart => multipart.All(CanReplay),
        _ => false,
    };
}
