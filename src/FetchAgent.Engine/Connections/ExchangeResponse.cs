using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// A response read whole, as any connection hands it back. A protocol's own record adds what the response says of
/// the connection (HTTP/1.1's <see cref="Http1Response"/>), for that protocol's <see cref="PooledConnection.Learn"/>.
/// </summary>
internal record ExchangeResponse(ResponseHead Head, ResponseBody Body);
