using MhaRights.AdminCli.Infrastructure;
using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests;

/// <summary>Every error class gives its documented exit code and exactly one line on stderr, and nothing on stdout.</summary>
public sealed class ErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CliHarness Cli => fixture.Cli;

    [Theory]
    [InlineData("rights", "sideways")]
    [InlineData("rights")]
    [InlineData("status", "start", "RIO-1", "--hospital", "RXM01")]
    [InlineData("rights", "due", "--page-size", "many")]
    [InlineData("status", "start", "RIO-1", "--provision", "s99", "--hospital", "RXM01")]
    [InlineData("attempt", "record", "RIO-1", "--by", "A", "--role", "B", "--outcome", "maybe")]
    [InlineData("notice", "sent", "RIO-1", "--method", "post", "--at", "2026-03-29 01:30")]
    [InlineData("rights", "due", "-o", "yaml")]
    public async Task Usage_BadCommandLine_ExitTwoWithOneLine(params string[] args)
    {
        var result = await Cli.RunAsync(args);

        AssertFailure(result, ExitCodes.Usage);
    }

    [Fact]
    public async Task NotFound_UnknownLocalId_ExitThree()
    {
        var result = await Cli.RunAsync("patient", "show", "NO-SUCH-PATIENT");

        AssertFailure(result, ExitCodes.NotFound);
        Assert.Contains("NO-SUCH-PATIENT", result.Stderr);
    }

    [Fact]
    public async Task NotFound_ServerSaysNotFound_ExitThree()
    {
        var result = await Cli.RunAsync("rights", "not-applicable", "patients/nobody/duties/nothing", "--reason", "x");

        AssertFailure(result, ExitCodes.NotFound);
        Assert.StartsWith("error: NOT_FOUND", result.Stderr);
    }

    [Fact]
    public async Task NotAuthenticated_UnknownKey_ExitFour()
    {
        var env = Cli.Environment(role: null);
        env["MHARIGHTS_API_KEY"] = "not-a-real-key";

        var result = await Cli.RunWithAsync(env, TerminalCapabilities.None, "rights", "due");

        AssertFailure(result, ExitCodes.NotAllowed);
        Assert.StartsWith("error: UNAUTHENTICATED", result.Stderr);
    }

    [Fact]
    public async Task NotAuthenticated_NoKeyAnywhere_ExitFourWithoutCallingTheServer()
    {
        var result = await Cli.RunAsAsync(null, "rights", "due");

        AssertFailure(result, ExitCodes.NotAllowed);
        Assert.Contains("no API key", result.Stderr);
    }

    [Fact]
    public async Task NotAllowed_OfficeKeyListsApiKeys_ExitFour()
    {
        var result = await Cli.RunAsAsync(Roles.MhaOffice, "keys", "list");

        AssertFailure(result, ExitCodes.NotAllowed);
        Assert.StartsWith("error: PERMISSION_DENIED", result.Stderr);
    }

    [Fact]
    public async Task Conflict_SecondEpisodeWhileOneActive_ExitFive()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);

        var result = await Cli.RunAsync("status", "start", patient.LocalId, "--provision", "s3", "--hospital", "RXM01");

        AssertFailure(result, ExitCodes.Conflict);
        Assert.StartsWith("error: FAILED_PRECONDITION", result.Stderr);
    }

    [Fact]
    public async Task Conflict_AlreadyExists_ExitFive()
    {
        var patient = await Cli.App.CreatePatientAsync();
        Assert.Equal(0, (await Cli.RunAsync("adjustments", "identify", patient.LocalId, "--source", "clinician")).ExitCode);

        var result = await Cli.RunAsync("adjustments", "identify", patient.LocalId, "--source", "clinician");

        AssertFailure(result, ExitCodes.Conflict);
        Assert.StartsWith("error: ALREADY_EXISTS", result.Stderr);
    }

    [Fact]
    public async Task Conflict_NoActiveEpisodeToChange_ExitFive()
    {
        var patient = await Cli.App.CreatePatientAsync();

        var result = await Cli.RunAsync("status", "renew", patient.LocalId);

        AssertFailure(result, ExitCodes.Conflict);
    }

    [Fact]
    public async Task InvalidArgument_ServerRejectsValue_ExitTwoNamingTheField()
    {
        var result = await Cli.RunAsAsync(Roles.Admin, "keys", "create", "--name", "x", "--role", "superuser");

        AssertFailure(result, ExitCodes.Usage);
        Assert.StartsWith("error: INVALID_ARGUMENT", result.Stderr);
        Assert.Contains("api_key.role", result.Stderr);
    }

    [Fact]
    public async Task Unavailable_NoServerListening_ExitSix()
    {
        var env = Cli.Environment();
        env["MHARIGHTS_ADDRESS"] = "http://127.0.0.1:9";

        var result = await CliHarness.RunWithoutServerAsync(env, "rights", "due");

        AssertFailure(result, ExitCodes.Unavailable);
        Assert.StartsWith("error: UNAVAILABLE", result.Stderr);
        Assert.Contains("127.0.0.1:9", result.Stderr);
    }

    [Fact]
    public async Task Deadline_TimeoutTooShortForTheCall_ExitSix()
    {
        var result = await Cli.RunAsync("rights", "due", "--timeout", "0.000001");

        AssertFailure(result, ExitCodes.Unavailable);
        Assert.StartsWith("error: DEADLINE_EXCEEDED", result.Stderr);
    }

    [Theory]
    [InlineData(Grpc.Core.StatusCode.OK, 0)]
    [InlineData(Grpc.Core.StatusCode.InvalidArgument, 2)]
    [InlineData(Grpc.Core.StatusCode.OutOfRange, 2)]
    [InlineData(Grpc.Core.StatusCode.NotFound, 3)]
    [InlineData(Grpc.Core.StatusCode.Unauthenticated, 4)]
    [InlineData(Grpc.Core.StatusCode.PermissionDenied, 4)]
    [InlineData(Grpc.Core.StatusCode.Aborted, 5)]
    [InlineData(Grpc.Core.StatusCode.FailedPrecondition, 5)]
    [InlineData(Grpc.Core.StatusCode.AlreadyExists, 5)]
    [InlineData(Grpc.Core.StatusCode.Unavailable, 6)]
    [InlineData(Grpc.Core.StatusCode.DeadlineExceeded, 6)]
    [InlineData(Grpc.Core.StatusCode.Internal, 1)]
    [InlineData(Grpc.Core.StatusCode.Unimplemented, 1)]
    public void FromStatus_EveryCode_MapsToTheDocumentedExitCode(Grpc.Core.StatusCode code, int expected) =>
        Assert.Equal(expected, ExitCodes.FromStatus(code));

    private static void AssertFailure(CliResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.StartsWith("error: ", lines[0]);
    }
}
