using System.Reflection;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Hosting;

/// <summary>
/// The README's run command in-process: real Kestrel on 127.0.0.1, cleartext HTTP/2, default SQLite data
/// folder. Port 0 so parallel runs never collide; everything stays on loopback.
/// </summary>
public sealed class LoopbackServerTests
{
    [Fact]
    public async Task RunCommand_DefaultEmbeddedSettings_HealthServingAndReflectionListsEveryService()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mharights-run-").FullName;
        var builder = ServerApp.CreateBuilder(
        [
            "--Server:Url=http://127.0.0.1:0",
            $"--Database:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using var app = ServerApp.Build(builder);
        await app.Services.InitializeDatabaseAsync();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
            using var channel = GrpcChannel.ForAddress(address);

            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

            var reflection = new ServerReflection.ServerReflectionClient(channel);
            using var call = reflection.ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();
            // Every service declared in protos/mharights/v1, read from the compiled descriptors.
            var declared = typeof(MhaRights.Contracts.V1.PatientService).Assembly.GetTypes()
                .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
                .OfType<Google.Protobuf.Reflection.FileDescriptor>()
                .SelectMany(f => f.Services)
                .Select(s => s.FullName)
                .ToList();
            Assert.Equal(10, declared.Count); // ChangeService (issue 17) is the tenth.
            Assert.All(declared, name => Assert.Contains(name, services));

            Assert.True(File.Exists(Path.Combine(dataDirectory, "mharights.db")), "the embedded database is created on first start");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void Startup_CleartextOnNonLoopbackAddress_FailsWithClearMessage()
    {
        var builder = ServerApp.CreateBuilder(["--Server:Url=http://0.0.0.0:0", "--Logging:LogLevel:Default=Warning"]);
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            // Kestrel options are applied when the server is built and started.
            using var app = ServerApp.Build(builder);
            app.StartAsync().GetAwaiter().GetResult();
        });
        Assert.Contains("Refusing to serve cleartext HTTP/2 on non-loopback address 0.0.0.0", error.Message, StringComparison.Ordinal);
    }
}
