using MhaRights.AdminCli;
using MhaRights.AdminCli.Infrastructure;

// The MHA office's command line. All behaviour is in CliApplication so that tests run exactly this, in-process,
// with their own streams, environment and terminal.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C cancels the running call cleanly (exit 130); a second one ends the process at once.
    if (!interrupt.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupt.Cancel();
    }
};

var environment = CliEnvironment.FromProcess();
return await CliApplication.RunAsync(
    args,
    Console.Out,
    Console.Error,
    environment.Variables,
    httpHandler: null,
    terminal: TerminalCapabilities.Detect(),
    clock: TimeProvider.System,
    cancellationToken: interrupt.Token);
