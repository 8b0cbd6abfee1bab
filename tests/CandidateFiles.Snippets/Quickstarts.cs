using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;

namespace CandidateFiles.Snippets;

/// <summary>The root README's quickstart per provider; each package README's "Authenticate the client".</summary>
public static class Quickstarts
{
    public static async Task EhrwebAsync(string fileId, CancellationToken ct)
    {
        #region Snippet:Quickstart_Ehrweb
        #region Snippet:Ehrweb_Authenticate
        using var client = new EhrwebResumeClient(new EhrwebResumeClientOptions
        {
            GuiNum = "12345678",    // your company's tax id (統一編號), sent as 104-Additional-Info: guiNum=...
            ClientId = "...",       // OAuth client credentials issued by 104
            ClientSecret = "...",
        });
        #endregion
        using var headshot = await client.GetHeadshotAsync(fileId, ct);
        await headshot.SaveToFileAsync("headshot.png", cancellationToken: ct);
        using var attachment = await client.GetAttachmentAsync(AttachmentType.Attachment, fileId, ct);
        await attachment.SaveToDirectoryAsync("downloads", fallbackFileName: "attachment.bin", cancellationToken: ct);
        #endregion
    }

    public static async Task HrMaxAsync(MyHrMaxTokens hrMaxTokens, CancellationToken ct)
    {
        #region Snippet:Quickstart_HrMax
        #region Snippet:HrMax_Authenticate
        using var client = new HrMaxClient(new HrMaxClientOptions
        {
            // The JWT from HR Max's sign-in; asked again before its exp, or after a 401 (PreviousTokenRejected).
            AccessTokenCallback = (context, ct) => hrMaxTokens.GetAsync(forceRefresh: context.PreviousTokenRejected, ct),
        });
        #endregion
        AttachedFile file = await client.AttachFileAsync("wf010", "leave-note.pdf", cancellationToken: ct);
        using var download = await client.DownloadFileAsync(file.FileUUID, ct);
        await download.SaveToFileAsync("copy.pdf", cancellationToken: ct);
        await client.DetachFileAsync(file.FileUUID, ct);
        #endregion
    }

    public static async Task HrFlowAsync(CancellationToken ct)
    {
        #region Snippet:Quickstart_HrFlow
        #region Snippet:HrFlow_Authenticate
        using var client = new HrFlowClient(new HrFlowClientOptions
        {
            ApiKey = "askr_...",                  // sent as X-API-KEY, only to api.hrflow.ai
            UserEmail = "recruiter@example.com",  // optional, sent as X-USER-EMAIL
        });
        #endregion
        // The profile: exactly one of key, reference or email.
        ProfileAttachmentList list = await client.ListProfileAttachmentsAsync("source-key", key: "profile-key", cancellationToken: ct);
        foreach (var attachment in list.Data)
            Console.WriteLine($"{attachment.Type}: {attachment.FileName}{attachment.Extension} {attachment.PublicUrl}");
        #endregion
    }

    public static async Task HeadHunterAsync(MyUserTokens userTokens, CancellationToken ct)
    {
        #region Snippet:Quickstart_HeadHunter
        #region Snippet:HeadHunter_Authenticate
        using var client = new HeadHunterClient(new HeadHunterClientOptions
        {
            UserAgent = "MyApp/1.0 (me@example.com)",  // required by hh.ru on every request (HH-User-Agent)
            AccessTokenCallback = userTokens.GetAsync,  // the user's OAuth token
            Host = "hh.ru",                             // or rabota.by, hh1.az, hh.uz, hh.kz, headhunter.ge, headhunter.kg
            Locale = "EN",                              // language of hh.ru's texts (default RU)
        });
        #endregion
        Artifact photo = await client.UploadArtifactFromFileAsync(ArtifactType.Photo, "me.jpg", cancellationToken: ct);
        ArtifactList page = await client.ListPhotosAsync(page: 0, perPage: 20, ct);
        await client.UpdateArtifactDescriptionAsync(photo.Id, "Portrait, 2026", ct);
        await client.DeleteArtifactAsync(photo.Id, ct);
        #endregion
    }
}
