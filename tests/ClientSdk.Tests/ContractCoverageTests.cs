using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>
/// Every RPC of every service in protos/mharights/v1 has an SDK method, wired to that RPC, sending the credential,
/// and every write carries a request_id. Read from the compiled contract, so a new RPC fails here until the SDK has it.
/// </summary>
public sealed class ContractCoverageTests
{
    public static TheoryData<string> Rpcs()
    {
        var data = new TheoryData<string>();
        foreach (var method in ContractMethods())
        {
            data.Add(method.FullName);
        }

        return data;
    }

    [Fact]
    public void Contract_AllServices_Found()
    {
        var services = ContractMethods().Select(m => m.Service.Name).Distinct().Order().ToList();

        Assert.Equal(
            ["AdjustmentService", "ApiKeyService", "AuditService", "ChangeService", "ImportService", "LegalStatusService", "PatientService", "ReportService", "RightsService", "WorkflowService"],
            services);
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public void Rpc_InContract_HasOneSdkMethodTakingItsRequestAndCancellationToken(string rpc)
    {
        var method = ContractMethods().Single(m => m.FullName == rpc);

        var sdk = SdkMethod(method);

        Assert.True(sdk.IsVirtual, $"{sdk.DeclaringType!.Name}.{sdk.Name} must be virtual for mocking");
        if (method.IsServerStreaming)
        {
            // Streams hand out their items (heartbeats are the SDK's business), resumed automatically.
            Assert.Equal(typeof(IAsyncEnumerable<>), sdk.ReturnType.GetGenericTypeDefinition());
        }
        else if (IsList(method))
        {
            Assert.Equal(typeof(AsyncPageable<>), sdk.ReturnType.GetGenericTypeDefinition());
        }
        else
        {
            Assert.Equal(typeof(Task<>).MakeGenericType(method.OutputType.ClrType), sdk.ReturnType);
        }
    }

    [Fact]
    public async Task EveryRpc_CalledThroughSdk_ReachesItsMethodWithCredentialAndWritesCarryRequestId()
    {
        await using var server = await InProcessServer.StartAsync();
        var secret = await server.CreateApiKeyAsync(InProcessServer.MhaOffice);
        var client = server.CreateClient(MhaRightsCredential.FromApiKey(secret), o => o.Retry.MaxRetries = 0);
        var problems = new List<string>();

        foreach (var method in ContractMethods())
        {
            var before = server.Probe.Calls.Count;
            var sdk = SdkMethod(method);
            var target = ResourceClient(client, sdk.DeclaringType!);
            var request = (IMessage)Activator.CreateInstance(method.InputType.ClrType)!;
            // A stream has no end: give it long enough to reach the server, then stop it.
            using var stop = new CancellationTokenSource(method.IsServerStreaming ? TimeSpan.FromSeconds(2) : Timeout.InfiniteTimeSpan);
            try
            {
                var result = sdk.Invoke(target, [request, stop.Token]);
                if (result is Task task)
                {
                    await task;
                }
                else
                {
                    await foreach (var unused in (IAsyncEnumerable<object>)result!)
                    {
                        break;
                    }
                }
            }
            catch (MhaRightsException)
            {
                // An empty request is usually refused (INVALID_ARGUMENT, PERMISSION_DENIED...): only the wiring matters here.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The stream ran until stopped.
            }

            var calls = server.Probe.Calls.Skip(before).ToList();
            var expected = $"/{method.Service.FullName}/{method.Name}";
            if (calls.Count != 1 || calls[0].Method != expected)
            {
                problems.Add($"{method.FullName}: server received [{string.Join(", ", calls.Select(c => c.Method))}]");
                continue;
            }

            if (calls[0].Authorization != $"ApiKey {secret}")
            {
                problems.Add($"{method.FullName}: no credential");
            }

            if (method.InputType.FindFieldByName("request_id") is not null && string.IsNullOrEmpty(calls[0].RequestId))
            {
                problems.Add($"{method.FullName}: write sent without request_id");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void ResourceClients_PublicSurface_MockableAndCancellable()
    {
        foreach (var property in typeof(MhaRightsClient).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.True(property.GetMethod!.IsVirtual, $"MhaRightsClient.{property.Name} must be virtual");
            var type = property.PropertyType;
            Assert.NotNull(type.GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes));
            Assert.Empty(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                Assert.True(method.IsVirtual, $"{type.Name}.{method.Name} must be virtual");
                Assert.EndsWith("Async", method.Name, StringComparison.Ordinal);
                var last = method.GetParameters()[^1];
                Assert.True(last.ParameterType == typeof(CancellationToken) && last.HasDefaultValue, $"{type.Name}.{method.Name} must end with an optional CancellationToken");
            }
        }
    }

    internal static IEnumerable<MethodDescriptor> ContractMethods() =>
        typeof(PatientService).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .Where(f => f.Package == "mharights.v1")
            .SelectMany(f => f.Services)
            .SelectMany(s => s.Methods)
            .OrderBy(m => m.FullName, StringComparer.Ordinal);

    private static bool IsList(MethodDescriptor method) =>
        method.InputType.FindFieldByName("page_token") is not null && method.OutputType.FindFieldByName("next_page_token") is not null;

    private static MethodInfo SdkMethod(MethodDescriptor method)
    {
        var candidates = typeof(MhaRightsClient).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => p.PropertyType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.Name == method.Name + "Async")
            .Where(m => m.GetParameters().Select(p => p.ParameterType).SequenceEqual([method.InputType.ClrType, typeof(CancellationToken)]))
            .ToList();
        Assert.True(candidates.Count == 1, $"{method.FullName}: expected one SDK method {method.Name}Async({method.InputType.ClrType.Name}, CancellationToken), found {candidates.Count}");
        return candidates[0];
    }

    private static object ResourceClient(MhaRightsClient client, Type type) =>
        typeof(MhaRightsClient).GetProperties(BindingFlags.Public | BindingFlags.Instance).Single(p => p.PropertyType == type).GetValue(client)!;
}
