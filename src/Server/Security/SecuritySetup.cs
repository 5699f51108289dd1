using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace MhaRights.Server.Security;

/// <summary>Authentication (API keys and/or JWT bearer) and the access interceptor's dependencies.</summary>
public static class SecuritySetup
{
    private const string PolicyScheme = "MhaRights";

    public static IServiceCollection AddMhaRightsSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        if (options.Jwt.Enabled && (string.IsNullOrWhiteSpace(options.Jwt.Authority) || string.IsNullOrWhiteSpace(options.Jwt.Audience)))
        {
            throw new InvalidOperationException("Authentication:Jwt:Enabled needs Authentication:Jwt:Authority and Authentication:Jwt:Audience.");
        }

        services.AddSingleton(options);
        services.AddMemoryCache();
        services.AddScoped<ApiKeyStore>();
        services.AddSingleton<AccessInterceptor>();

        var builder = services.AddAuthentication(o => o.DefaultScheme = PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                options.Jwt.Enabled && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        if (options.Jwt.Enabled)
        {
            builder.AddJwtBearer(o =>
            {
                o.Authority = options.Jwt.Authority;
                o.Audience = options.Jwt.Audience;
                // Keep token claim names as issued, so the configured role claim is read as it is.
                o.MapInboundClaims = false;
                o.TokenValidationParameters.RoleClaimType = options.Jwt.RoleClaim;
                o.TokenValidationParameters.NameClaimType = "sub";
            });
        }

        return services;
    }
}
