namespace FetchAgent.Cli;

/// <summary>Bad arguments: the CLI prints the one-line reason and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
