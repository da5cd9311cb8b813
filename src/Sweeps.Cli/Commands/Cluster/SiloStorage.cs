namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// Where a silo's cluster keeps membership, grain state and reminders: alone on SQLite, on Redis, or
/// on Azure Storage. Each setting may come from the environment (as a container's orchestrator sets
/// it); an option on the command line wins. The connection string is a secret: no message shows it.
/// </summary>
internal sealed record SiloStorage(string Kind, string? Redis, string? AzureConnectionString)
{
    public const string KindVariable = "SWEEPS_STORAGE";
    public const string RedisVariable = "SWEEPS_REDIS";
    public const string AzureVariable = "SWEEPS_AZURE_CONNECTION_STRING";

    public static readonly string[] Kinds = ["sqlite", "redis", "azure"];

    /// <summary>What a connection string that names no account is told, by the silo and the client commands alike.</summary>
    public const string NotAConnectionString = "not an Azure Storage connection string (expected AccountName=…;AccountKey=…, endpoints or UseDevelopmentStorage=true)";

    /// <summary>The storage the options and environment name, or null after writing why to stderr.</summary>
    public static SiloStorage? Read(string? kindOption, string? redisOption, string? azureOption)
    {
        var redis = redisOption ?? Variable(RedisVariable);
        var azure = azureOption ?? Variable(AzureVariable);
        var kind = kindOption ?? Variable(KindVariable)?.ToLowerInvariant() ?? (redis is not null ? "redis" : azure is not null ? "azure" : "sqlite");
        switch (kind)
        {
            case "sqlite" when redisOption is not null || azureOption is not null:
                Console.Error.WriteLine("--storage sqlite: a lone silo takes neither --redis nor --azure-connection-string");
                return null;
            case "sqlite":
                return new SiloStorage(kind, null, null);
            case "redis" when redis is null:
                Console.Error.WriteLine($"--storage redis needs --redis HOST:PORT (or {RedisVariable})");
                return null;
            case "redis" when !ClusterOptions.IsRedisAddress(redis):
                Console.Error.WriteLine($"--redis: expected HOST:PORT (or a StackExchange.Redis configuration string), got '{redis}'");
                return null;
            case "redis":
                return new SiloStorage(kind, redis, null);
            case "azure" when azure is null:
                Console.Error.WriteLine($"--storage azure needs --azure-connection-string CONN (or {AzureVariable})");
                return null;
            case "azure" when AccountOf(azure) is null:
                Console.Error.WriteLine($"--azure-connection-string ({(azureOption is null ? AzureVariable : "the option")}): {NotAConnectionString}");
                return null;
            case "azure":
                return new SiloStorage(kind, null, azure);
            default:
                Console.Error.WriteLine($"{KindVariable}: expected one of {string.Join(", ", Kinds)}, got '{kind}'");
                return null;
        }
    }

    /// <summary>Whether the silo is one of a cluster (on Redis or Azure Storage) rather than alone on SQLite.</summary>
    public bool InCluster => Kind != "sqlite";

    /// <summary>For the ready line: the SQLite directory, the Redis, or the storage account (never its key).</summary>
    public string Describe(string dataDirectory) => Kind switch
    {
        "redis" => $"redis {Redis}",
        "azure" => $"azure storage {AccountOf(AzureConnectionString!)}",
        _ => $"storage {dataDirectory}",
    };

    /// <summary>The account a connection string names (its blob endpoint), or null when it is not one.</summary>
    internal static string? AccountOf(string connectionString)
    {
        try
        {
            return new Azure.Storage.Blobs.BlobServiceClient(connectionString).Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
