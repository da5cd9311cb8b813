using Sweeps.Cli.Commands;

return await SweepsCommandLine.InvokeAsync(args);
