using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary>
/// <c>sweeps silo --kubernetes</c> (what the Helm chart runs) with Orleans' Kubernetes hosting, against
/// <see cref="FakeKubernetesApi"/>: real silo processes on a real Redis, talking to an API server that
/// holds their pods. What it shows: a silo takes its pod's name, labels its pod with the cluster and
/// service ids, and a silo that starts declares dead a member whose pod is gone, which then stops.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class KubernetesHostingTests : IAsyncLifetime, IDisposable
{
    private const string Namespace = "sweeps-test";
    private readonly TestSilos _silos = new();
    private readonly ScratchDirectory _scratch = new();
    private RedisServer? _redis;
    private FakeKubernetesApi? _api;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _api = await FakeKubernetesApi.StartAsync(Namespace, "sweeps-silo-a", "sweeps-silo-b");
    }

    public async Task DisposeAsync()
    {
        _silos.Dispose();
        await _api!.DisposeAsync();
    }

    public void Dispose()
    {
        _redis?.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_silo_whose_pod_was_deleted_is_declared_dead_by_the_next_silo_to_start_and_stops()
    {
        var cluster = $"k8s-{Guid.NewGuid():N}";
        var b = await _silos.StartAsync(_scratch.Path, PodEnvironment("sweeps-silo-b", cluster));
        // Its pod now carries the ids Orleans selects a cluster's pods by.
        var labels = _api!.LabelsOf("sweeps-silo-b")!;
        Assert.Equal(cluster, labels["orleans/clusterId"]);
        Assert.Equal("sweeps", labels["orleans/serviceId"]);
        Assert.Equal("sweeps", labels["app.kubernetes.io/name"]); // the chart's labels stay

        // The pod is deleted while its process lingers (a node cut off, a stuck shutdown): the silo still
        // answers its peers, so only Kubernetes knows it should go.
        _api.Delete("sweeps-silo-b");
        var a = await _silos.StartAsync(_scratch.Path, PodEnvironment("sweeps-silo-a", cluster));
        using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await b.WaitForExitAsync(exited.Token);
        }

        Assert.Contains("I have been told I am dead", _silos.LogOf(b));
        var declared = _silos.LogOf(a).Split('\n').Where(line => line.Contains("does not correspond to any known pod", StringComparison.Ordinal)).ToList();
        Assert.Contains(declared, line => line.Contains("sweeps-silo-b", StringComparison.Ordinal)); // the member is the pod's name
        Assert.False(a.HasExited);
        // Every line of a pod's silo names it by its pod.
        Assert.All(_silos.LogOf(a).Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains("\"silo\":\"sweeps-silo-a\"", line.Replace(" ", "")));
        // It listed its cluster's pods by the labels it set.
        Assert.Contains(_api.Requests, request => Uri.UnescapeDataString(request).StartsWith($"GET /api/v1/namespaces/{Namespace}/pods?labelSelector=orleans/serviceId=sweeps,orleans/clusterId={cluster}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silo_told_it_runs_in_kubernetes_outside_a_pod_says_what_is_missing()
    {
        // No API to reach: no service account here, and no kubeconfig in an empty home.
        var home = new Dictionary<string, string> { ["HOME"] = _scratch.Path, ["KUBECONFIG"] = "" };
        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(_scratch.Path, home, "silo", "--kubernetes", "--redis", _redis!.Address);
        Assert.Equal(2, exitCode);
        Assert.Contains("--kubernetes (SWEEPS_KUBERNETES): no Kubernetes API to reach", stderr);

        var api = new Dictionary<string, string> { ["KUBECONFIG"] = _api!.WriteKubeconfig(_scratch.Path), ["POD_NAMESPACE"] = "" };
        (exitCode, _, stderr) = await SweepsProcess.RunAsync(_scratch.Path, api, "silo", "--kubernetes", "--redis", _redis.Address);
        Assert.Equal(2, exitCode);
        Assert.Contains("set POD_NAMESPACE", stderr);

        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--kubernetes: the pods of a Deployment share a cluster's storage", "silo", "--kubernetes");
        var (badSwitch, _, switchErrors) = await SweepsProcess.RunAsync(_scratch.Path, new Dictionary<string, string> { ["SWEEPS_KUBERNETES"] = "maybe" }, "silo");
        Assert.Equal(2, badSwitch);
        Assert.Contains("SWEEPS_KUBERNETES: expected true or false, got 'maybe'", switchErrors);
    }

    /// <summary>What the chart's Deployment gives a pod's silo (the downward API's pod name and namespace), with the API found through a kubeconfig.</summary>
    private Dictionary<string, string> PodEnvironment(string pod, string cluster) => new()
    {
        ["SWEEPS_KUBERNETES"] = "true",
        ["KUBECONFIG"] = _api!.WriteKubeconfig(_scratch.Path),
        ["POD_NAME"] = pod,
        ["POD_NAMESPACE"] = Namespace,
        ["SWEEPS_REDIS"] = _redis!.Address,
        ["ORLEANS_CLUSTER_ID"] = cluster,
        ["SWEEPS_LOG_FORMAT"] = "json",
    };
}
