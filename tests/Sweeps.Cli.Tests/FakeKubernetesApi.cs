using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sweeps.Cli.Tests;

/// <summary>
/// The part of a Kubernetes API server that Orleans' Kubernetes hosting talks to, on loopback: one
/// namespace's pods, read, label-patched, listed and watched by label selector
/// (<c>/api/v1/namespaces/NS/pods[/NAME]</c>, as the API defines them). No cluster runs on these
/// machines; this lets a test run real silos against the calls a pod's silo makes, and delete a pod
/// under them. A silo finds it through the kubeconfig file <see cref="WriteKubeconfig"/> writes.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Dictionary<string, string>> _pods = new();
    private readonly ConcurrentDictionary<Channel<string>, string> _watches = new(); // each open watch and its label selector
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeKubernetesApi(WebApplication app, string podNamespace) => (_app, Namespace) = (app, podNamespace);

    public string Namespace { get; }

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    /// <summary>Every request so far, as "METHOD /path?query".</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>A pod's labels as the API holds them now (null when there is no such pod).</summary>
    public IReadOnlyDictionary<string, string>? LabelsOf(string pod)
    {
        if (!_pods.TryGetValue(pod, out var labels))
        {
            return null;
        }

        lock (labels)
        {
            return new Dictionary<string, string>(labels);
        }
    }

    public static async Task<FakeKubernetesApi> StartAsync(string podNamespace, params string[] pods)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var api = new FakeKubernetesApi(app, podNamespace);
        foreach (var pod in pods)
        {
            api._pods[pod] = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "sweeps" };
        }

        app.Use(async (context, next) =>
        {
            api._requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await next(context);
        });
        var pods_ = $"/api/v1/namespaces/{podNamespace}/pods";
        app.MapGet(pods_ + "/{name}", (string name) => api.Pod(name) is { } pod ? TypedResults.Text(pod.ToJsonString(), "application/json") : NotFound(name));
        app.MapMethods(pods_ + "/{name}", ["PATCH"], async (string name, HttpRequest request) =>
        {
            if (!api._pods.TryGetValue(name, out var labels))
            {
                return NotFound(name);
            }

            var patch = await JsonNode.ParseAsync(request.Body);
            lock (labels)
            {
                foreach (var (key, value) in patch?["metadata"]?["labels"]?.AsObject() ?? [])
                {
                    labels[key] = value!.GetValue<string>();
                }
            }

            return TypedResults.Text(api.Pod(name)!.ToJsonString(), "application/json");
        });
        app.MapGet(pods_, async (HttpContext context) =>
        {
            var selector = context.Request.Query["labelSelector"].ToString();
            if (context.Request.Query["watch"] != "true")
            {
                var list = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "PodList",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = "1" },
                    ["items"] = new JsonArray([.. api._pods.Keys.Where(p => api.Matches(p, selector)).Select(p => (JsonNode)api.Pod(p)!)]),
                };
                await context.Response.WriteAsJsonAsync(list);
                return;
            }

            // A watch: the pods there are now, then every deletion, one JSON event a line until the caller hangs up.
            var events = Channel.CreateUnbounded<string>();
            foreach (var pod in api._pods.Keys.Where(p => api.Matches(p, selector)))
            {
                events.Writer.TryWrite(Event("ADDED", api.Pod(pod)!));
            }

            api._watches[events] = selector;
            try
            {
                context.Response.ContentType = "application/json";
                await foreach (var line in events.Reader.ReadAllAsync(context.RequestAborted))
                {
                    await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // the silo stopped watching
            }
            finally
            {
                api._watches.TryRemove(events, out _);
            }
        });
        await app.StartAsync();
        return api;
    }

    /// <summary>Deletes a pod, as a user or a rolling update would: it leaves every list, and every watch that saw it hears of it.</summary>
    public void Delete(string pod)
    {
        var gone = Pod(pod) ?? throw new InvalidOperationException($"no pod {pod}");
        var selectors = _watches.ToArray();
        _pods.TryRemove(pod, out _);
        foreach (var (watch, selector) in selectors)
        {
            if (Matches(gone, selector))
            {
                watch.Writer.TryWrite(Event("DELETED", gone));
            }
        }
    }

    /// <summary>A kubeconfig (as kubectl reads one) that points at this server, for <c>$KUBECONFIG</c>.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: {Address.GetLeftPart(UriPartial.Authority)}
            users:
              - name: fake
                user:
                  token: fake-token
            contexts:
              - name: fake
                context:
                  cluster: fake
                  user: fake
                  namespace: {Namespace}
            current-context: fake
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var watch in _watches.Keys)
        {
            watch.Writer.TryComplete();
        }

        await _app.DisposeAsync();
    }

    private JsonObject? Pod(string name)
    {
        if (!_pods.TryGetValue(name, out var labels))
        {
            return null;
        }

        lock (labels)
        {
            return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = Namespace,
                    ["uid"] = $"uid-{name}",
                    ["resourceVersion"] = "1",
                    ["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
                },
                ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.1" },
            };
        }
    }

    private bool Matches(string pod, string selector) => Pod(pod) is { } found && Matches(found, selector);

    /// <summary>Whether a pod has every <c>key=value</c> of a label selector (the only form Orleans uses).</summary>
    private static bool Matches(JsonObject pod, string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(term => term.Split('=', 2)).All(term =>
            pod["metadata"]!["labels"]![term[0]]?.GetValue<string>() == term[1]);

    private static string Event(string type, JsonObject pod) => new JsonObject { ["type"] = type, ["object"] = pod.DeepClone() }.ToJsonString();

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult NotFound(string name) => TypedResults.Text(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Status",
        ["status"] = "Failure",
        ["reason"] = "NotFound",
        ["code"] = 404,
        ["message"] = $"pods \"{name}\" not found",
    }.ToJsonString(), "application/json", statusCode: 404);
}
