using System.Diagnostics;
using Sweeps.Tests;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Cli.Tests;

/// <summary>
/// The Helm chart (helm/sweeps) and its objects rendered with default values, one set per storage
/// kind, kept in deploy/k8s: the kept objects are the chart's (a template and its rendered objects
/// cannot drift apart), they validate against the Kubernetes API's schemas, and the silo they run is
/// configured only through variables a silo reads, probed on the endpoints it serves.
/// After a change to the chart: SWEEPS_WRITE_RENDERED=1 dotnet test --filter KubernetesManifestTests, and commit deploy/k8s.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Chart = Path.Combine(RepositoryPaths.Root, "helm", "sweeps");
    private static readonly string Rendered = Path.Combine(RepositoryPaths.Root, "deploy", "k8s");

    public static TheoryData<string> Storages => ["redis", "azure"];

    private static string Render(string storage) =>
        new HelmSubset(Chart, "sweeps", new Dictionary<string, string> { [".Values.storage.kind"] = storage }).Render();

    [Theory]
    [MemberData(nameof(Storages))]
    public void The_objects_kept_in_deploy_k8s_are_the_chart_rendered_with_its_defaults(string storage)
    {
        var path = Path.Combine(Rendered, $"{storage}.yaml");
        var rendered = Render(storage);
        if (Environment.GetEnvironmentVariable("SWEEPS_WRITE_RENDERED") == "1")
        {
            File.WriteAllText(path, $"# helm template sweeps helm/sweeps --set storage.kind={storage} (rendered by KubernetesManifestTests; do not edit)\n" + rendered);
        }

        Assert.True(File.Exists(path), $"{path} is missing: SWEEPS_WRITE_RENDERED=1 dotnet test --filter KubernetesManifestTests");
        var kept = File.ReadAllText(path);
        Assert.Equal(rendered, kept[(kept.IndexOf('\n') + 1)..]);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void The_silo_deployment_sets_only_variables_a_silo_reads_and_probes_its_health_endpoints(string storage)
    {
        var documents = new YamlStream();
        documents.Load(new StringReader(Render(storage)));
        var objects = documents.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        Assert.Equal(["Deployment", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"], objects.Select(o => ((YamlScalarNode)o["kind"]).Value).Order());
        var deployment = objects.Single(o => ((YamlScalarNode)o["kind"]).Value == "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)deployment["spec"]["template"]["spec"]["containers"])[0];
        var names = ((YamlSequenceNode)container["env"]).Select(e => ((YamlScalarNode)e["name"]).Value!).ToList();
        Assert.All(names, name => Assert.True(DeployFilesTests.SiloVariables.Contains(name), $"{name} is no variable a silo reads"));
        Assert.Contains(storage == "redis" ? "SWEEPS_REDIS" : "SWEEPS_AZURE_CONNECTION_STRING", names);
        Assert.Contains("SWEEPS_TOKEN", names); // the image listens on all addresses: without a token it refuses to start
        Assert.Equal("/healthz", ((YamlScalarNode)container["livenessProbe"]["httpGet"]["path"]).Value);
        Assert.Equal("/readyz", ((YamlScalarNode)container["readinessProbe"]["httpGet"]["path"]).Value);

        // Orleans' Kubernetes hosting: the pods run as the account the Role binds, which may do what the silo does to pods.
        Assert.Contains("SWEEPS_KUBERNETES", names);
        var account = ((YamlScalarNode)deployment["spec"]["template"]["spec"]["serviceAccountName"]).Value;
        var binding = objects.Single(o => ((YamlScalarNode)o["kind"]).Value == "RoleBinding");
        Assert.Equal(account, ((YamlScalarNode)((YamlSequenceNode)binding["subjects"])[0]["name"]).Value);
        var role = objects.Single(o => ((YamlScalarNode)o["kind"]).Value == "Role");
        Assert.Equal(((YamlScalarNode)binding["roleRef"]["name"]).Value, ((YamlScalarNode)role["metadata"]["name"]).Value);
        var verbs = ((YamlSequenceNode)((YamlSequenceNode)role["rules"])[0]["verbs"]).Select(v => ((YamlScalarNode)v).Value).Order();
        Assert.Equal(["get", "list", "patch", "watch"], verbs);
        // The pod labels Orleans selects a cluster's pods by carry the ids the silo is given.
        var labels = (YamlMappingNode)deployment["spec"]["template"]["metadata"]["labels"];
        var variables = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().Where(e => e.Children.ContainsKey("value"))
            .ToDictionary(e => ((YamlScalarNode)e["name"]).Value!, e => ((YamlScalarNode)e["value"]).Value);
        Assert.Equal(variables["ORLEANS_CLUSTER_ID"], ((YamlScalarNode)labels["orleans/clusterId"]).Value);
        Assert.Equal(variables["ORLEANS_SERVICE_ID"], ((YamlScalarNode)labels["orleans/serviceId"]).Value);
    }

    [Fact]
    public void Without_kubernetes_hosting_the_chart_grants_no_access_to_pods()
    {
        var rendered = new HelmSubset(Chart, "sweeps", new Dictionary<string, string> { [".Values.kubernetesHosting"] = "false" }).Render();
        Assert.DoesNotContain("kind: Role", rendered);
        Assert.DoesNotContain("serviceAccountName", rendered);
        Assert.DoesNotContain("SWEEPS_KUBERNETES", rendered);
    }

    [Fact]
    [Trait(TestCategories.Trait, TestCategories.EndToEnd)]
    public async Task The_kept_objects_validate_against_the_kubernetes_api_schemas()
    {
        var tools = Environment.GetEnvironmentVariable("SWEEPS_NODE_TOOLS") ?? Path.Combine(RepositoryPaths.Root, ".ci", "node");
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "kubernetes-models")),
            $"no kubernetes-models in {tools}: .ci/run installs it (npm install --prefix .ci/node kubernetes-models@4.5.1 yaml@2.9.1)");
        // The autoscaler is off by default, so not in the kept objects: validated from a render with it on.
        using var scratch = new ScratchDirectory();
        var autoscaled = scratch.Write("autoscaled.yaml",
            new HelmSubset(Chart, "sweeps", new Dictionary<string, string> { [".Values.autoscaling.enabled"] = "true" }).Render());
        var info = new ProcessStartInfo("node", [Path.Combine(Rendered, "validate.mjs"), Path.Combine(Rendered, "redis.yaml"), Path.Combine(Rendered, "azure.yaml"), autoscaled])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SWEEPS_NODE_TOOLS"] = tools },
        };
        using var node = Process.Start(info)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();

        Assert.True(node.ExitCode == 0, output + errors);
        Assert.Equal(6 + 6 + 7, output.Split('\n').Count(line => line.StartsWith("valid ", StringComparison.Ordinal)));
        Assert.Contains("HorizontalPodAutoscaler/sweeps-silo", output);
    }
}
