using Sweeps.Cli.Commands;
using Sweeps.Cli.Output;

RedirectedOutput.KeepLinesWholeWhenRedirected();
return await SweepsCommandLine.InvokeAsync(args);
