using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CandidateFiles.Snippets;

/// <summary>Traces and metrics with OpenTelemetry (docs/diagnostics.md).</summary>
public static class DiagnosticsSnippets
{
    public static void OpenTelemetry(HostApplicationBuilder builder)
    {
        #region Snippet:Diagnostics_OpenTelemetry
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource("CandidateFiles.*"))
            .WithMetrics(m => m.AddMeter("CandidateFiles.*"));
        #endregion
    }
}
