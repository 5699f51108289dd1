using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi.Models;

namespace MhaRights.Server.Api;

/// <summary>
/// HTTP/JSON access to the same gRPC services (issue 17), for integration engines and dashboards that do not
/// speak gRPC. Routes come from the <c>google.api.http</c> annotations in protos/mharights/v1, so the handlers,
/// interceptors (access control, error mapping) and validation are exactly the gRPC ones.
/// </summary>
public static class HttpApiSetup
{
    /// <summary>Where the OpenAPI document is served (anonymous, like server reflection: the contract is public).</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    public static IGrpcServerBuilder AddHttpApi(this IGrpcServerBuilder grpc)
    {
        ArgumentNullException.ThrowIfNull(grpc);
        // Errors carry ErrorInfo/BadRequest/... in google.rpc.Status.details; JSON needs their descriptors to write them.
        grpc.AddJsonTranscoding(o => o.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor));
        grpc.Services.AddGrpcSwagger();
        grpc.Services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, OpenApiResourcePaths>());
        grpc.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "MhaRights v1 (HTTP/JSON)",
                Version = "v1",
                Description = "gRPC JSON transcoding of mharights.v1; authenticate with the header `authorization: ApiKey <key>`. Errors are google.rpc.Status JSON.",
            });
            // Message names repeat across nested types (e.g. several `Status` enums): qualify them.
            o.CustomSchemaIds(t => (t.FullName ?? t.Name).Replace('+', '.'));
            o.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "authorization",
                Description = "`ApiKey <key>` (or `Bearer <token>` when JWT is enabled).",
            });
            o.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "ApiKey" } }] = [],
            });
        });
        return grpc;
    }

    public static void MapHttpApiDocs(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");
    }
}
