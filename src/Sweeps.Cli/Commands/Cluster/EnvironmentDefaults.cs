using System.CommandLine.Parsing;
using System.Globalization;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// A silo's settings from the environment, as a container's orchestrator passes them (the Helm
/// chart sets exactly these): each is an option's default, so the option on the command line wins.
/// A value that does not parse is an error naming the variable, not a silent fallback.
/// </summary>
internal static class EnvironmentDefaults
{
    public const string ClusterId = "ORLEANS_CLUSTER_ID";
    public const string ServiceId = "ORLEANS_SERVICE_ID";
    public const string Kubernetes = "SWEEPS_KUBERNETES";
    public const string SiloPort = "SWEEPS_SILO_PORT";
    public const string GatewayPort = "SWEEPS_GATEWAY_PORT";
    public const string HttpPort = "SWEEPS_HTTP_PORT";
    public const string Bind = "SWEEPS_BIND";
    public const string Advertise = "SWEEPS_ADVERTISE";
    public const string Workers = "SWEEPS_WORKERS";
    public const string DataDirectory = "SWEEPS_DATA_DIR";
    public const string LogFormat = "SWEEPS_LOG_FORMAT";

    public static string Text(string variable, string fallback) => Value(variable) ?? fallback;

    public static int Number(ArgumentResult result, string variable, int fallback) => OptionalNumber(result, variable) ?? fallback;

    /// <summary>A switch: true, false, 1, 0, yes or no (any case).</summary>
    public static bool Switch(ArgumentResult result, string variable)
    {
        switch (Value(variable)?.ToLowerInvariant())
        {
            case null or "false" or "0" or "no":
                return false;
            case "true" or "1" or "yes":
                return true;
            default:
                result.AddError($"{variable}: expected true or false, got '{Value(variable)}'");
                return false;
        }
    }

    public static int? OptionalNumber(ArgumentResult result, string variable)
    {
        if (Value(variable) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        result.AddError($"{variable}: expected a whole number, got '{text}'");
        return null;
    }

    private static string? Value(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
