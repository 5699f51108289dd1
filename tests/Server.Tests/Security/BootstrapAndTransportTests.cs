using System.Collections.Concurrent;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using MhaRights.Contracts.V1;
using MhaRights.Server.Hosting;
using MhaRights.Server.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace MhaRights.Server.Tests.Security;

/// <summary>First-run bootstrap key, TLS from a certificate file, and JWT bearer tokens.</summary>
public sealed class BootstrapAndTransportTests
{
    [Fact]
    public async Task FirstStart_NoKeys_BootstrapKeyFileOwnerOnlyAndLogNamesPathNotKey()
    {
        var data = Directory.CreateTempSubdirectory("mharights-boot-").FullName;
        var logs = new CapturingLoggerProvider();
        var builder = ServerApp.CreateBuilder([$"--Database:DataDirectory={data}", "--Server:Url=", "--Sweeper:Enabled=false"], b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.AddProvider(logs);
        });
        await using var app = ServerApp.Build(builder);

        await ServerApp.PrepareAsync(app);

        var path = Path.Combine(data, BootstrapAdminKey.FileName);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var key = (await File.ReadAllTextAsync(path)).Trim();
        Assert.StartsWith("mhr.", key, StringComparison.Ordinal);
        Assert.Contains(logs.Messages, m => m.Contains(path, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(key.Split('.')[2], StringComparison.Ordinal));

        // The key works, as an administrator.
        await app.StartAsync();
        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
        var keys = new ApiKeyService.ApiKeyServiceClient(channel);
        var listed = await keys.ListApiKeysAsync(new ListApiKeysRequest(), new Metadata { { "authorization", "ApiKey " + key } });
        Assert.Equal(Roles.Admin, Assert.Single(listed.ApiKeys).Role);

        // A second start does not create another.
        await ServerApp.PrepareAsync(app);
        Assert.Single((await keys.ListApiKeysAsync(new ListApiKeysRequest(), new Metadata { { "x-api-key", key } })).ApiKeys);
        await app.StopAsync();
    }

    [Fact]
    public async Task HttpsEndpoint_PemCertificateFile_ServesHealthOverTls()
    {
        var data = Directory.CreateTempSubdirectory("mharights-tls-").FullName;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(data, "server.crt");
        var keyPath = Path.Combine(data, "server.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());

        var builder = ServerApp.CreateBuilder(
        [
            "--Server:Url=", "--Server:HttpsUrl=https://127.0.0.1:0", $"--Server:CertificatePath={certPath}", $"--Server:CertificateKeyPath={keyPath}",
            $"--Database:DataDirectory={data}", "--Sweeper:Enabled=false", "--Logging:LogLevel:Default=Warning",
        ]);
        await using var app = ServerApp.Build(builder);
        await ServerApp.PrepareAsync(app);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.StartsWith("https://127.0.0.1:", address, StringComparison.Ordinal);
            var thumbprint = certificate.Thumbprint;
            using var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 c && c.Thumbprint == thumbprint;
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
            var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
            Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task BearerToken_ValidJwtWithRoleClaim_AuthorisedAsThatRole()
    {
        var data = Directory.CreateTempSubdirectory("mharights-jwt-").FullName;
        var signingKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        var builder = ServerApp.CreateBuilder(
        [
            $"--Database:DataDirectory={data}", "--Server:Url=", "--Sweeper:Enabled=false", "--Logging:LogLevel:Default=Warning",
            "--Authentication:Jwt:Enabled=true", "--Authentication:Jwt:Authority=https://issuer.invalid", "--Authentication:Jwt:Audience=mharights",
        ], b =>
        {
            b.WebHost.UseTestServer();
            // No network: trust a local key instead of the issuer's discovery document.
            b.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.Configuration = new OpenIdConnectConfiguration { Issuer = "https://issuer.invalid" };
                o.TokenValidationParameters.IssuerSigningKey = signingKey;
                o.TokenValidationParameters.ValidIssuer = "https://issuer.invalid";
            });
        });
        await using var app = ServerApp.Build(builder);
        await ServerApp.PrepareAsync(app);
        await app.StartAsync();
        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
        var patients = new PatientService.PatientServiceClient(channel);

        string Token(string role, DateTime expires) => new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
            issuer: "https://issuer.invalid", audience: "mharights",
            claims: [new Claim("sub", "cis2-user-1"), new Claim("roles", role), new Claim("name", "Nurse Bearer")],
            notBefore: expires.AddMinutes(-30), expires: expires,
            signingCredentials: new SigningCredentials(signingKey, SecurityAlgorithms.HmacSha256)));

        var created = await patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "JWT-1" } },
            new Metadata { { "authorization", "Bearer " + Token(Roles.Clinician, DateTime.UtcNow.AddMinutes(5)) } });
        Assert.Equal("JWT-1", created.LocalId);

        var denied = await Assert.ThrowsAsync<RpcException>(() => new ApiKeyService.ApiKeyServiceClient(channel).ListApiKeysAsync(new ListApiKeysRequest(),
            new Metadata { { "authorization", "Bearer " + Token(Roles.Clinician, DateTime.UtcNow.AddMinutes(5)) } }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var expired = await Assert.ThrowsAsync<RpcException>(() => patients.ListPatientsAsync(new ListPatientsRequest(),
            new Metadata { { "authorization", "Bearer " + Token(Roles.Clinician, DateTime.UtcNow.AddMinutes(-10)) } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, expired.StatusCode);
        await app.StopAsync();
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentBag<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(Messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentBag<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Add(formatter(state, exception));
        }
    }
}
