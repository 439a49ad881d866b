using FetchAgent.Engine.Model;
using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Connections;

/// <summary>How one object's HTTP transaction went: timestamps, the response, and where it ran.</summary>
public sealed class TransactionResult
{
    public required TransactionTimestamps Timestamps { get; init; }
    public int? ConnectionId { get; init; }

    /// <summary>The connection the final attempt used, for the serial gate to wait on its close.</summary>
    internal PooledConnection? Connection { get; init; }
    public bool ReusedConnection { get; init; }
    public int Retries { get; init; }
    public ResponseHead? Head { get; init; }
    public ResponseBody? Body { get; init; }

    /// <summary>Body bytes read when the transaction failed part-way (truncation, size limit, timeout).</summary>
    public long PartialBodyBytes { get; init; }
    public string? Error { get; init; }
    public ErrorKind? ErrorKind { get; init; }

    /// <summary>The kernel's view of the connection right after the last byte (before it went back to the pool).</summary>
    public TcpInfoRecord? TcpInfo { get; init; }
}
