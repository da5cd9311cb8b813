using k8s;
using k8s.Exceptions;
using Orleans.Hosting.Kubernetes;

namespace Sweeps.Silo.Hosting;

/// <summary>
/// The pod a silo runs in, for Orleans' Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes): the
/// silo is named after its pod, labels its pod with the cluster and service ids, declares dead at its
/// start the silos whose pods are gone (a rolling update's old pods, a deleted pod's lingering process)
/// and watches the pods of its cluster. The pod is the one the downward-API variables name, as Orleans reads
/// them (POD_NAME, else the host name, which is the pod's; POD_NAMESPACE, else the service account's); the
/// API is found as kubectl finds it: <c>$KUBECONFIG</c>, <c>~/.kube/config</c>, else the pod's service account.
/// </summary>
public sealed record KubernetesPod(string Name, string Namespace, KubernetesClientConfiguration Api)
{
    /// <summary>The pod this process runs in, or null and why not.</summary>
    public static KubernetesPod? FromEnvironment(out string? problem)
    {
        if (FindApi(out problem) is not { } api)
        {
            return null;
        }

        var name = Variable(KubernetesHostingOptions.PodNameEnvironmentVariable) ?? Environment.MachineName;
        // Orleans reads the same variables (and, in a pod, the service account's namespace, which the in-cluster configuration holds).
        if ((Variable(KubernetesHostingOptions.PodNamespaceEnvironmentVariable) ?? (KubernetesClientConfiguration.IsInCluster() ? api.Namespace : null)) is not { } podNamespace)
        {
            problem = $"no namespace for pod {name}: set {KubernetesHostingOptions.PodNamespaceEnvironmentVariable} (the chart sets it from the downward API)";
            return null;
        }

        problem = null;
        return new KubernetesPod(name, podNamespace, api);
    }

    /// <summary>
    /// Adds Orleans' Kubernetes hosting for this pod. Called before the silo's own settings, so that its
    /// cluster and service ids are the silo's, not Orleans' own reading of the environment.
    /// </summary>
    internal void Host(ISiloBuilder silo) => silo.UseKubernetesHosting(options => options.Configure(hosting => hosting.GetClientConfiguration = () => Api));

    /// <summary>
    /// The API as kubectl finds it, or null and why not. Not the client's BuildDefaultConfig: outside a pod
    /// and without a kubeconfig that one quietly falls back to http://localhost:8080.
    /// </summary>
    private static KubernetesClientConfiguration? FindApi(out string? problem)
    {
        problem = null;
        var file = Variable("KUBECONFIG") ?? (File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation) ? KubernetesClientConfiguration.KubeConfigDefaultLocation : null);
        try
        {
            if (file is not null)
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(file);
            }

            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }

            problem = "no Kubernetes API to reach: not in a pod with a service account, and no $KUBECONFIG or ~/.kube/config";
        }
        catch (Exception e) when (e is KubeConfigException or IOException)
        {
            problem = $"the Kubernetes API {(file is null ? "of this pod's service account" : $"in {file}")} cannot be used: {e.Message}";
        }

        return null;
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
