using System.CommandLine;

namespace Sweeps.Cli.Commands;

/// <summary><c>sweeps init [FILE]</c>: writes a commented sample spec to start from.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Where to write the spec", DefaultValueFactory = _ => "sweep.yaml" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var command = new Command("init", "Write a commented sample sweep spec") { file, force };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (Directory.Exists(path))
            {
                Console.Error.WriteLine($"{path}: is a directory; give the path of the spec to write, e.g. {Path.Combine(path, "sweep.yaml")}");
                return ExitCodes.BadInput;
            }

            if (File.Exists(path) && !parse.GetValue(force))
            {
                Console.Error.WriteLine($"{path}: already exists; use --force to overwrite");
                return ExitCodes.BadInput;
            }

            File.WriteAllText(path, SampleSpec.Text);
            Console.WriteLine($"wrote {path}; try: sweeps validate {path} && sweeps run {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
