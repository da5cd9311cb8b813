namespace Sweeps.Contracts;

/// <summary>
/// A silo refused to start a sweep because too many were submitted to it lately (its
/// <c>--submit-limit</c>); nothing was started, and submitting again later is safe.
/// </summary>
[GenerateSerializer, Alias("sweeps.submit-refused")]
public sealed class SubmitRefusedException : Exception
{
    public SubmitRefusedException(string message) : base(message)
    {
    }

    public SubmitRefusedException()
    {
    }

    public SubmitRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
