using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;

namespace CandidateFiles.Snippets;

/// <summary>Registering the clients with Microsoft.Extensions.DependencyInjection (docs/dependency-injection.md).</summary>
public static class DependencyInjectionSnippets
{
    public static HostApplicationBuilder Register(string[] args, MyHrMaxTokens myHrMaxTokens)
    {
        #region Snippet:DependencyInjection_Register
        var builder = Host.CreateApplicationBuilder(args);
        var config = builder.Configuration;
        builder.Services.AddEhrwebResumeClient(config.GetSection("CandidateFiles:Ehrweb"));
        builder.Services.AddHrFlowClient(config.GetSection("CandidateFiles:HrFlow"));
        // Token sources cannot come from configuration: set them with a delegate that sees the container.
        builder.Services.AddHeadHunterClient(config.GetSection("CandidateFiles:HeadHunter"),
            (options, sp) => options.AccessTokenCallback = sp.GetRequiredService<MyUserTokens>().GetAsync);
        builder.Services.AddHrMaxClient(options =>
            options.AccessTokenCallback = (context, ct) => myHrMaxTokens.GetAsync(context.PreviousTokenRejected, ct));
        #endregion
        return builder;
    }

    public static IEhrwebResumeClient NamedInstances(IServiceCollection services, IConfiguration configuration, string tenantName)
    {
        #region Snippet:DependencyInjection_NamedInstances
        // Two 104 companies side by side: one named instance each (own GuiNum, credentials and token cache).
        services.AddEhrwebResumeClient("companyA", configuration.GetSection("CandidateFiles:Ehrweb:companyA"));
        services.AddEhrwebResumeClient("companyB", configuration.GetSection("CandidateFiles:Ehrweb:companyB"));

        // When the name is only known at run time (one instance per tenant):
        using var serviceProvider = services.BuildServiceProvider();
        var client = serviceProvider.GetRequiredKeyedService<IEhrwebResumeClient>(tenantName);
        #endregion
        return client;
    }

    public static void HrMax(IServiceCollection services, IConfiguration configuration)
    {
        #region Snippet:HrMax_Register
        services.AddHrMaxClient(configuration.GetSection("CandidateFiles:HrMax"),
            (options, sp) => options.AccessTokenCallback = (context, ct) =>
                sp.GetRequiredService<MyHrMaxTokens>().GetAsync(context.PreviousTokenRejected, ct));
        #endregion
    }

    public static void HrFlow(IServiceCollection services, IConfiguration configuration)
    {
        #region Snippet:HrFlow_Register
        services.AddHrFlowClient(configuration.GetSection("CandidateFiles:HrFlow")); // ApiKey from user secrets or a vault
        #endregion
    }

    public static void HeadHunter(IServiceCollection services, IConfiguration configuration)
    {
        #region Snippet:HeadHunter_Register
        services.AddHeadHunterClient(configuration.GetSection("CandidateFiles:HeadHunter"),
            (options, sp) => options.AccessTokenCallback = sp.GetRequiredService<MyUserTokens>().GetAsync);
        #endregion
    }
}

#region Snippet:DependencyInjection_Inject
public sealed class CandidateImport(IEhrwebResumeClient resumes, IHrFlowClient hrFlow)
{
    public async Task<int> CountAttachmentsAsync(string sourceKey, string profileKey, CancellationToken ct)
    {
        var list = await hrFlow.ListProfileAttachmentsAsync(sourceKey, key: profileKey, cancellationToken: ct);
        return list.Data.Count;
    }

    public Task<FileResponse> HeadshotAsync(string fileId, CancellationToken ct) => resumes.GetHeadshotAsync(fileId, ct);
}
#endregion

#region Snippet:DependencyInjection_KeyedInjection
public sealed class Payroll([FromKeyedServices("companyA")] IEhrwebResumeClient companyA,
                            [FromKeyedServices("companyB")] IEhrwebResumeClient companyB)
{
    public Task<FileResponse> HeadshotAsync(bool ofCompanyA, string fileId, CancellationToken ct) =>
        (ofCompanyA ? companyA : companyB).GetHeadshotAsync(fileId, ct);
}
#endregion
