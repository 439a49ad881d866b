using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// Issue 10, item 2: the seam at the connection is real. A second kind of connection that lives only here (a toy
/// multiplexed protocol, "x-tagged": requests and responses carry a tag, so responses may come back in any order, as
/// HTTP/2's streams do) is offered in ALPN, made by its own factory, leased by the unchanged pool and carries real
/// exchanges over a real loopback socket, several at once on one connection.
/// </summary>
public sealed class SecondConnectionKindTests
{
    private static readonly SslApplicationProtocol Tagged = new("x-tagged");

    [Fact]
    public async Task The_pool_leases_a_second_kind_of_connection_and_runs_exchanges_on_it_several_at_once()
    {
        // The server answers only once three requests are in, newest first: one connection, three exchanges in flight.
        await using var server = new TaggedServer(answerAfter: 3, offers: [Tagged, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
        var clock = new PageClock(TimeProvider.System);
        var log = new TraceLog();
        var factory = new TaggedFactory();
        await using var pool = new ConnectionPool(Sites.Options(perHost: 1) with { Insecure = true }, clock, factory, logger: log);
        var runner = new TransactionRunner(pool);

        var paths = new[] { "/one", "/two", "/three" };
        var results = await Task.WhenAll(paths.Select(p =>
            runner.RunAsync(new ExchangeRequest(new Uri($"https://127.0.0.1:{server.Port}{p}"), "*/*", KeepContent: true), clock.Now(), CancellationToken.None)));
        await pool.CloseAllAsync();

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(["body of /one", "body of /two", "body of /three"], results.Select(r => Encoding.ASCII.GetString(r.Body!.Content.Span)));
        Assert.All(results, r => Assert.Equal(1, r.ConnectionId));
        Assert.Equal(1, server.Connections);
        // Answered newest first, so not in the order asked: each response found its request by its tag.
        Assert.Equal(server.ReceivedInOrder.Reverse(), server.AnsweredInOrder);
        Assert.Equal(paths.Order(), server.ReceivedInOrder.Order());
        // ALPN offered what the factory makes, the handshake chose it, and the factory made that kind.
        Assert.Equal([Tagged], server.Negotiated);
        Assert.Equal(Tagged, factory.Made.Single().Transport.ApplicationProtocol);
        var connection = Assert.Single(pool.Connections);
        Assert.Equal(3, connection.Requests);
        Assert.Equal(CloseReason.PageDone, connection.CloseReason);
        Assert.Equal(2, results.Count(r => r.ReusedConnection));
        // Two requests shared the busy connection, each granted beside the exchanges already on it.
        Assert.Equal(2, log.Lines.Count(l => l.Contains("#1 pipelined GET /", StringComparison.Ordinal)));
        Assert.Contains(log.Lines, l => l.EndsWith("#1 TLS done: TLSv1.3, ALPN x-tagged", StringComparison.Ordinal) && l.Contains(" ms ", StringComparison.Ordinal));
        Assert.Equal(3, factory.Made.Single().MostInFlight);
    }

    [Fact]
    public async Task The_HTTP_1_1_pool_offers_http_1_1_alone_in_ALPN_as_before()
    {
        // The server would rather speak x-tagged or h2; the HTTP/1.1 pool offers neither, so the handshake settles on http/1.1.
        await using var server = new TaggedServer(answerAfter: 1, offers: [Tagged, SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
        var clock = new PageClock(TimeProvider.System);
        var log = new TraceLog();
        await using var pool = new ConnectionPool(Sites.Options(perHost: 1) with { Insecure = true }, clock, logger: log);
        // The toy server does not speak HTTP: the exchange fails, the handshake is what is checked.
        await new TransactionRunner(pool).RunAsync(new ExchangeRequest(new Uri($"https://127.0.0.1:{server.Port}/"), "*/*", KeepContent: false), clock.Now(), CancellationToken.None);
        await pool.CloseAllAsync();

        Assert.Equal([SslApplicationProtocol.Http11], ConnectionFactory.Http1.ApplicationProtocols);
        Assert.Equal([SslApplicationProtocol.Http11], server.Negotiated);
        Assert.Contains(log.Lines, l => l.EndsWith("#1 TLS done: TLSv1.3, ALPN http/1.1", StringComparison.Ordinal));
    }

    /// <summary>Makes a <see cref="TaggedConnection"/> when the handshake chose x-tagged, offering nothing else.</summary>
    private sealed class TaggedFactory : ConnectionFactory
    {
        public ConcurrentQueue<TaggedConnection> Made { get; } = new();

        public override IReadOnlyList<SslApplicationProtocol> ApplicationProtocols => [Tagged];

        public override PooledConnection Create(int id, Origin origin, Transport transport, PageClock clock, PoolTrace? trace)
        {
            Assert.Equal(Tagged, transport.ApplicationProtocol);
            var connection = new TaggedConnection(id, origin, transport, clock) { Trace = trace };
            Made.Enqueue(connection);
            return connection;
        }
    }

    /// <summary>
    /// The toy protocol's connection: <c>TAG METHOD PATH\n</c> out, <c>TAG STATUS LENGTH\n</c> and the body back, in
    /// any order; up to three exchanges at once, whatever the strategy, none of HTTP/1.1's rules.
    /// </summary>
    private sealed class TaggedConnection : PooledConnection
    {
        private const int MaxStreams = 3;
        private readonly ConcurrentDictionary<int, TaskCompletionSource<(int Status, byte[] Body, long FirstByte, long LastByte)>> _pending = new();
        private readonly SemaphoreSlim _write = new(1, 1);
        private readonly Task _reading;
        private int _nextTag;

        public TaggedConnection(int id, Origin origin, Transport transport, PageClock clock)
            : base(id, origin, transport, clock) => _reading = ReadLoopAsync();

        public int MostInFlight { get; private set; }

        public override async Task<ExchangeResponse> ExchangeAsync(
            ExchangeRequest request, Lease lease, long maxBodyBytes, TransactionTimestamps stamps, CancellationToken cancellationToken)
        {
            var tag = Interlocked.Increment(ref _nextTag);
            var answer = new TaskCompletionSource<(int, byte[], long, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[tag] = answer;
            await _write.WaitAsync(cancellationToken);
            try
            {
                await Transport.Stream.WriteAsync(Encoding.ASCII.GetBytes($"{tag} {request.Method} {request.Url.PathAndQuery}\n"), cancellationToken);
                await Transport.Stream.FlushAsync(cancellationToken);
                stamps.SendEnd = Clock.Now();
            }
            finally
            {
                _write.Release();
            }

            var (status, body, firstByte, lastByte) = await answer.Task.WaitAsync(cancellationToken);
            stamps.FirstByte = firstByte;
            stamps.LastByte = lastByte;
            var head = new ResponseHead { Major = 1, Minor = 1, StatusCode = status, ReasonPhrase = "", Headers = [], HeaderBytes = 0, FirstByteTimestamp = firstByte };
            stamps.Head = head;
            return new ExchangeResponse(head, new ResponseBody { Framing = BodyFraming.ContentLength, WireBytes = body.Length, Content = body, LastByteTimestamp = lastByte });
        }

        private async Task ReadLoopAsync()
        {
            var reader = Transport.Stream;
            var line = new List<byte>();
            var one = new byte[1];
            try
            {
                while (true)
                {
                    line.Clear();
                    long? first = null;
                    while (await reader.ReadAsync(one) == 1 && one[0] != (byte)'\n')
                    {
                        first ??= Clock.Now();
                        line.Add(one[0]);
                    }

                    if (first is null)
                        return;
                    var parts = Encoding.ASCII.GetString([.. line]).Split(' ');
                    var body = new byte[int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)];
                    await reader.ReadExactlyAsync(body);
                    if (_pending.TryRemove(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), out var answer))
                        answer.TrySetResult((int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), body, first.Value, Clock.Now()));
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException)
            {
            }
            finally
            {
                foreach (var pending in _pending.Values)
                    pending.TrySetException(new IOException("connection closed"));
            }
        }

        public override LeaseTerms Grant()
        {
            MostInFlight = Math.Max(MostInFlight, ActiveExchanges);
            return new LeaseTerms(LastRequest: false, default);
        }

        public override void Ungrant(LeaseTerms terms)
        {
        }

        public override void Learn(ExchangeResponse? response, CloseReason? failure)
        {
        }

        public override bool TakesAnother(LeaseKind kind, LoadOptions options) => kind != LeaseKind.NewOnly && Reusable && ActiveExchanges < MaxStreams;

        public override IdleState CheckIdle() => IsClosed || _reading.IsCompleted ? IdleState.Closed : IdleState.Usable;

        public override CloseReason? ExpiredWhileIdle(long now) => null;

        public override void WatchWhileIdle()
        {
        }

        public override string? BrokenInvariant(LoadOptions options) => ActiveExchanges > MaxStreams ? $"has {ActiveExchanges} exchanges of {MaxStreams}" : null;

        protected override async Task CloseGracefullyAsync(CancellationToken deadline)
        {
            Transport.Socket.Shutdown(SocketShutdown.Send);
            await _reading.WaitAsync(deadline);
        }
    }

    /// <summary>The toy protocol's server: collects <paramref name="answerAfter"/> requests, then answers them newest first.</summary>
    private sealed class TaggedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serving;
        private readonly int _answerAfter;
        private readonly List<SslApplicationProtocol> _offers;
        private int _connections;

        /// <param name="offers">What the server's ALPN accepts, its preference first.</param>
        public TaggedServer(int answerAfter, List<SslApplicationProtocol> offers)
        {
            _answerAfter = answerAfter;
            _offers = offers;
            _listener.Start();
            _serving = ServeAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref _connections);
        public ConcurrentQueue<string> ReceivedInOrder { get; } = new();
        public ConcurrentQueue<string> AnsweredInOrder { get; } = new();
        /// <summary>What each TLS handshake settled on.</summary>
        public ConcurrentQueue<SslApplicationProtocol> Negotiated { get; } = new();

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync();
                    Interlocked.Increment(ref _connections);
                    _ = Task.Run(() => ServeConnectionAsync(socket));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task ServeConnectionAsync(Socket socket)
        {
            using var _ = socket;
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            try
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = TestCertificates.Localhost, ApplicationProtocols = _offers });
                Negotiated.Enqueue(ssl.NegotiatedApplicationProtocol);
                stream = ssl;

                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requests = new List<(string Tag, string Path)>();
                while (requests.Count < _answerAfter && await reader.ReadLineAsync() is { } line)
                {
                    var parts = line.Split(' ');
                    requests.Add((parts[0], parts[2]));
                    ReceivedInOrder.Enqueue(parts[2]);
                }

                foreach (var (tag, path) in Enumerable.Reverse(requests))
                {
                    var body = $"body of {path}";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{tag} 200 {body.Length}\n{body}"));
                    AnsweredInOrder.Enqueue(path);
                }

                await stream.FlushAsync();
                // Until the client closes its side.
                while (await reader.ReadLineAsync() is not null)
                {
                }
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
            }
            finally
            {
                await stream.DisposeAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving;
        }
    }
}
