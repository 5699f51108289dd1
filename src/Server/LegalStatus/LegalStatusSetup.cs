namespace MhaRights.Server.LegalStatus;

public static class LegalStatusSetup
{
    public static IServiceCollection AddLegalStatus(this IServiceCollection services) =>
        services.AddScoped<LegalStatusLifecycle>();
}
