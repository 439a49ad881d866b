namespace FetchAgent.Daemon;

/// <summary>Too many page loads are running or waiting: the API answers 503 with Retry-After.</summary>
public sealed class LoadQueueFullException(int retryAfterSeconds) : Exception("too many page loads are running or waiting")
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
