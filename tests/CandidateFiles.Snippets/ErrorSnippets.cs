using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using Microsoft.Extensions.Logging;

namespace CandidateFiles.Snippets;

/// <summary>Errors, the tolerant reader and per-call time limits (README.md, docs/errors.md, docs/reliability.md).</summary>
public static class ErrorSnippets
{
    public static async Task CatchAsync(Func<CancellationToken, Task> importCandidateFilesAsync, CancellationToken ct)
    {
        #region Snippet:Errors_Catch
        try
        {
            await importCandidateFilesAsync(ct);
        }
        catch (EhrwebApiException e) when (e.Kind == EhrwebErrorKind.FileExpiredOrUnavailable) { /* 895 */ }
        catch (HrMaxApiException e) when (e.Kind == HrMaxErrorKind.UploadRejected) { /* 450 */ }
        catch (HrFlowApiException e) when (e.Kind == HrFlowErrorKind.Unauthorized) { /* 401 */ }
        catch (HeadHunterApiException e) when (e.Kind == HeadHunterErrorKind.TokenExpired) { /* 403 oauth token_expired */ }
        catch (HeadHunterApiException e) when (e.Kind == HeadHunterErrorKind.CaptchaRequired) { /* e.CaptchaUrl, add a backurl */ }
        catch (ProviderTimeoutException e) { Console.WriteLine($"{e.Provider}: {e.Kind} after {e.Elapsed}"); }
        catch (ProviderApiException e) { Console.WriteLine($"{e.Provider} {e.StatusCode}: {e.Message}"); }
        #endregion
    }

    public static void ExtensibleEnum(Artifact artifact, ILogger logger)
    {
        #region Snippet:Tolerance_ExtensibleEnum
        var state = artifact.State.Id;
        if (state == ArtifactStateId.Ok) Console.WriteLine("ready");
        else if (!state.IsKnown) logger.LogWarning("hh.ru sent a new state {State}", state); // "moderation"
        #endregion
    }

    public static async Task ResponseCaptureAsync(IHeadHunterClient hh, Stream stream, CancellationToken ct)
    {
        #region Snippet:Tolerance_ResponseCapture
        using var capture = ProviderResponseCapture.Start();
        var artifact = await hh.UploadArtifactAsync(ArtifactType.Photo, stream, "me.jpg", cancellationToken: ct);
        Console.WriteLine(capture.StatusCode); // 200 if hh.ru answered 200 instead of the documented 201
        #endregion
    }

    public static async Task CallTimeoutsAsync(IHrMaxClient client, CancellationToken ct)
    {
        #region Snippet:Reliability_CallTimeouts
        using (CallTimeouts.Override(overall: TimeSpan.FromMinutes(30)))
        {
            // Only the calls awaited inside the scope get the longer limit.
            await client.AttachFileAsync("wf010", "scanned-archive.zip", cancellationToken: ct);
        }
        #endregion
    }
}
