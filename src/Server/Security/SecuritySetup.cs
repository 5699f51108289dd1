using System.Security.Claims;
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

        if (options.ApiKeys.CacheLifetime < TimeSpan.Zero || options.ApiKeys.CacheLifetime > TimeSpan.FromMinutes(5) || options.ApiKeys.CacheMaxEntries < 1)
        {
            throw new InvalidOperationException("Authentication:ApiKeys:CacheLifetime must be between 0 and 00:05:00 and Authentication:ApiKeys:CacheMaxEntries at least 1.");
        }

        services.AddSingleton(options);
        services.AddSingleton<ApiKeyCache>();
        services.AddMemoryCache();
        services.AddScoped<ApiKeyStore>();
        services.AddSingleton<AccessInterceptor>();
        services.AddSingleton<ScopeInterceptor>();
        services.AddScoped<PatientScope>();
        services.AddScoped<Pseudonyms>();

        // The policy scheme that chooses between API key and bearer token exists only when tokens are accepted:
        // with API keys alone, each request would otherwise build and run a second handler just to forward.
        var builder = services.AddAuthentication(o => o.DefaultScheme = options.Jwt.Enabled ? PolicyScheme : ApiKeyAuthenticationHandler.SchemeName)
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
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is ClaimsIdentity identity)
                        {
                            // Only this mapping may set the service's scope claims, never the token itself.
                            foreach (var forged in identity.Claims.Where(c => c.Type.StartsWith("mharights:", StringComparison.Ordinal)).ToList())
                            {
                                identity.RemoveClaim(forged);
                            }

                            identity.AddClaims(ScopeClaimsFromToken(context.Principal, options.Jwt).ToClaims());
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        }

        return services;
    }

    /// <summary>
    /// A token's scope from the configured claims. A token that names no site and is not trust-wide reaches no
    /// patient. Tokens never act for another named user (the token already names its user), so
    /// x-mharights-display-name is refused with them.
    /// </summary>
    public static CallerScope ScopeClaimsFromToken(ClaimsPrincipal principal, SecurityOptions.JwtSettings jwt)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(jwt);
        var sites = principal.FindAll(jwt.SitesClaim)
            .SelectMany(c => CallerScope.Split(c.Value.Trim('[', ']').Replace("\"", string.Empty, StringComparison.Ordinal)))
            .Where(CallerScope.IsSiteCode)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new CallerScope(
            CallerScope.IsTrue(principal, jwt.TrustWideClaim), sites, MayActForNamedUser: false, CallerScope.IsTrue(principal, jwt.IdentifiableAccessClaim));
    }
}
