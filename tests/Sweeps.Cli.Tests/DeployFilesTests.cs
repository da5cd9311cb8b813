using System.Reflection;
using System.Text.RegularExpressions;
using Sweeps.Cli.Commands.Cluster;
using Sweeps.Silo.Http;
using Sweeps.Tests;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Cli.Tests;

/// <summary>
/// The files in deploy/ against the code they configure: every variable the image and the compose
/// file set is one a silo reads, every variable a silo reads is documented in deploy/README.md, and
/// the ports the compose file publishes are the image's. (No Docker engine runs here: this is what
/// can drift without one.)
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(RepositoryPaths.Root, "deploy");

    /// <summary>Every variable a silo reads: the constants of <see cref="EnvironmentDefaults"/> and <see cref="SiloStorage"/>, and the token's.</summary>
    internal static readonly HashSet<string> SiloVariables =
    [
        .. new[] { typeof(EnvironmentDefaults), typeof(SiloStorage) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(value => value.All(c => c is (>= 'A' and <= 'Z') or '_')), // the variables' names, not the messages
        BearerToken.Variable,
        "OTEL_EXPORTER_OTLP_ENDPOINT", // read by the silo's telemetry (SiloHost), as OpenTelemetry names it
        // Read by Orleans' Kubernetes hosting (and KubernetesPod) when SWEEPS_KUBERNETES is on: the downward API's pod.
        Orleans.Hosting.Kubernetes.KubernetesHostingOptions.PodNameEnvironmentVariable,
        Orleans.Hosting.Kubernetes.KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
    ];

    [Fact]
    public void The_image_sets_only_variables_a_silo_reads_and_starts_a_silo()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
        var env = EnvBlock().Match(dockerfile);
        Assert.True(env.Success, "the Dockerfile has no ENV instruction");
        var names = EnvName().Matches(env.Value).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("SWEEPS_BIND", names);
        Assert.All(names, name => Assert.Contains(name, SiloVariables));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/sweeps.dll\", \"silo\"]", dockerfile);
        Assert.Contains("USER $APP_UID", dockerfile);
    }

    [Fact]
    public void The_compose_file_sets_only_variables_a_silo_reads_and_publishes_the_image_ports()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Deploy, "compose.yaml")))
        {
            yaml.Load(reader);
        }

        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var silos = services.Children.Where(s => ((YamlScalarNode)s.Key).Value!.StartsWith("silo", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, silos.Count);
        var exposed = Regex.Match(File.ReadAllText(Path.Combine(Deploy, "Dockerfile")), @"EXPOSE ([\d ]+)").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (key, value) in silos)
        {
            var silo = (YamlMappingNode)value;
            var environment = (YamlMappingNode)silo["environment"];
            var names = environment.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(n => n != "<<").ToList();
            // The merged block (the anchor) is a mapping too: its names count.
            names.AddRange(environment.Children.Values.OfType<YamlMappingNode>().SelectMany(m => m.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)));
            Assert.All(names, name => Assert.Contains(name, SiloVariables));
            Assert.Contains("ORLEANS_CLUSTER_ID", names);
            // Each silo advertises the host name it has (resolved to its address at start).
            Assert.Equal(((YamlScalarNode)silo["hostname"]).Value, ((YamlScalarNode)environment["SWEEPS_ADVERTISE"]).Value);
            if (silo.Children.TryGetValue("ports", out var ports))
            {
                Assert.All(((YamlSequenceNode)ports).Select(p => ((YamlScalarNode)p).Value!.Split(':')[^1]), port => Assert.Contains(port, exposed));
            }
        }
    }

    [Fact]
    public void Every_variable_a_silo_reads_is_documented_in_deploy_readme()
    {
        var readme = File.ReadAllText(Path.Combine(Deploy, "README.md"));
        Assert.All(SiloVariables, name => Assert.Contains($"`{name}`", readme));
    }

    [GeneratedRegex(@"^ENV (?:.*\\\n)*.*$", RegexOptions.Multiline)]
    private static partial Regex EnvBlock();

    [GeneratedRegex(@"(SWEEPS_\w+|ORLEANS_\w+|DOTNET_\w+)=")]
    private static partial Regex EnvName();
}
