using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace CandidateFiles.HeadHunter;

/// <summary>The hh.ru artifacts client: the operations of specs/headhunter.yaml, and the cached upload conditions.</summary>
public partial interface IHeadHunterClient
{
    /// <summary>
    /// The upload conditions of <paramref name="type"/> (largest file, media types, description length,
    /// how many more may be uploaded), from <c>GET /artifacts/{type}/conditions</c>, fetched once and kept
    /// for <see cref="HeadHunterClientOptions.ConditionsCacheDuration"/>. When hh.ru cannot be asked, the
    /// values it documents are returned (<see cref="HeadHunterUploadConditions.IsDocumentedDefault"/>) and
    /// a warning is logged. <see cref="GetPhotoConditionsAsync"/> and <see cref="GetPortfolioConditionsAsync"/>
    /// ask hh.ru every time.
    /// </summary>
    /// <param name="type">Photo or portfolio.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The conditions.</returns>
    Task<HeadHunterUploadConditions> GetUploadConditionsAsync(ArtifactType type, CancellationToken cancellationToken = default);
}

/// <content>The upload conditions, kept per artifact type, that uploads and edits are checked against.</content>
public partial class HeadHunterClient
{
    // A failed fetch is not retried on every upload (each attempt can take the whole retry budget),
    // but not held for the full lifetime either: hh.ru is asked again after this at the latest.
    private static readonly TimeSpan FallbackLifetime = TimeSpan.FromMinutes(1);

    private readonly ConditionsSlot _photoConditions = new();
    private readonly ConditionsSlot _portfolioConditions = new();

    // Created on first use: the client has no logger of its own otherwise (the pipeline's handlers log requests).
    private ILogger? _logger;

    /// <inheritdoc />
    public async Task<HeadHunterUploadConditions> GetUploadConditionsAsync(ArtifactType type, CancellationToken cancellationToken = default)
    {
        var slot = SlotOf(type);
        var time = Settings.TimeProvider ?? TimeProvider.System;
        if (slot.TryGetFresh(time.GetUtcNow()) is { } fresh)
        {
            return fresh;
        }

        // One fetch per type at a time: callers arriving meanwhile wait for it and take its answer.
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.TryGetFresh(time.GetUtcNow()) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            HeadHunterUploadConditions conditions;
            TimeSpan lifetime;
            try
            {
                var answer = type == ArtifactType.Photo
                    ? await GetPhotoConditionsAsync(cancellationToken).ConfigureAwait(false)
                    : await GetPortfolioConditionsAsync(cancellationToken).ConfigureAwait(false);
                conditions = FromAnswer(type, answer, time.GetUtcNow());
                lifetime = Settings.ConditionsCacheDuration;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                conditions = DocumentedDefaults(type, time.GetUtcNow());
                lifetime = Settings.ConditionsCacheDuration < FallbackLifetime ? Settings.ConditionsCacheDuration : FallbackLifetime;
                ConditionsLog.FellBackToDocumentedDefaults(_logger ??= Settings.CreateLogger(), TypeName(type), Describe(failure), lifetime.TotalSeconds);
            }

            slot.Set(conditions, time.GetUtcNow() + lifetime);
            return conditions;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private ConditionsSlot SlotOf(ArtifactType type) => type == ArtifactType.Photo ? _photoConditions : _portfolioConditions;

    private static string TypeName(ArtifactType type) => type == ArtifactType.Photo ? "photo" : "portfolio";

    // Only the kind of failure and the status: an exception message could quote a response body.
    private static string Describe(Exception failure) => failure is ProviderApiException api
        ? $"{failure.GetType().Name}, status {api.StatusCode}"
        : failure.GetType().Name;

    private HeadHunterUploadConditions FromAnswer(ArtifactType type, ArtifactConditions answer, DateTimeOffset now)
    {
        // A field hh.ru leaves out (or answers with nonsense) falls back to the documented value for it alone.
        var file = answer?.Fields?.File;
        var description = answer?.Fields?.Description;
        var counters = answer?.Counters;
        return new HeadHunterUploadConditions(
            type,
            file is { MaxSize: > 0 } ? file.MaxSize : Settings.MaxImageBytes,
            file?.MimeType is { Count: > 0 } types ? types : Settings.AcceptedImageTypes,
            Math.Max(0, description?.MinLength ?? 0),
            description is { MaxLength: > 0 } ? description.MaxLength : HeadHunterClientOptions.MaxDescriptionLength,
            description?.Required ?? false,
            counters is { Max: > 0 } ? counters.Max : HeadHunterClientOptions.DocumentedMaxArtifacts,
            Math.Max(0, counters?.Uploaded ?? 0),
            isDocumentedDefault: false,
            now);
    }

    private HeadHunterUploadConditions DocumentedDefaults(ArtifactType type, DateTimeOffset now) => new(
        type,
        Settings.MaxImageBytes,
        Settings.AcceptedImageTypes,
        0,
        HeadHunterClientOptions.MaxDescriptionLength,
        descriptionRequired: false,
        HeadHunterClientOptions.DocumentedMaxArtifacts,
        uploaded: 0,
        isDocumentedDefault: true,
        now);

    /// <summary>An upload of <paramref name="type"/> went through: the kept count goes up by one.</summary>
    private void CountUpload(ArtifactType type) => SlotOf(type).Update(c => c.WithOneMoreUploaded());

    /// <summary>An artifact was deleted (of a type the call does not say): the kept counts are dropped.</summary>
    private void ForgetConditions()
    {
        _photoConditions.Clear();
        _portfolioConditions.Clear();
    }

    private sealed class ConditionsSlot
    {
        private readonly Lock _lock = new();
        private HeadHunterUploadConditions? _value;
        private DateTimeOffset _expires;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public HeadHunterUploadConditions? TryGetFresh(DateTimeOffset now)
        {
            lock (_lock)
            {
                return _value is not null && now < _expires ? _value : null;
            }
        }

        public void Set(HeadHunterUploadConditions value, DateTimeOffset expires)
        {
            lock (_lock)
            {
                _value = value;
                _expires = expires;
            }
        }

        public void Update(Func<HeadHunterUploadConditions, HeadHunterUploadConditions> change)
        {
            lock (_lock)
            {
                if (_value is not null)
                {
                    _value = change(_value);
                }
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _value = null;
            }
        }
    }
}

internal static partial class ConditionsLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "hh.ru {ArtifactType} upload conditions could not be fetched ({Failure}); checking uploads against the documented defaults for the next {Seconds} s")]
    public static partial void FellBackToDocumentedDefaults(ILogger logger, string artifactType, string failure, double seconds);
}
