using Google.Protobuf.WellKnownTypes;
using MhaRights.Client;
using MhaRights.Contracts.V1;

namespace MhaRights.Bench.Load;

/// <summary>
/// Creates the load's API key (role mha-office, which may read and record everything the load does) with the
/// bootstrap admin key the server writes on first start, through the SDK like any integrator would.
/// </summary>
internal static class SetupKey
{
    public static async Task<int> RunAsync(Args args)
    {
        var bootstrap = (await File.ReadAllTextAsync(args.Require("bootstrap-key"))).Trim();
        using var admin = new MhaRightsClient(new Uri(args.Require("address")), MhaRightsCredential.FromApiKey(bootstrap));
        var created = await admin.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            ApiKey = new ApiKey
            {
                DisplayName = "Load benchmark (bench/run.sh)",
                Role = args.Get("role") ?? "mha-office",
                ExpireTime = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(1)),

                // The loads read and write patients at every hospital of the dataset.
                TrustWide = true,
            },
        });
        var path = args.Require("out");
        await File.WriteAllTextAsync(path, created.Secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Console.WriteLine($"Created {created.ApiKey.Name} ({created.ApiKey.Role}); secret in {path}");
        return 0;
    }
}
