using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Emulation;

/// <summary>
/// One page load's emulated access link: the download and upload bandwidth every connection of the load shares. Times
/// are <see cref="TimeProvider"/> timestamps.
/// <para>
/// The downlink takes turns (<see cref="DownAsync"/>): of the connections with a piece ready, the one whose last turn
/// is the longest ago sends one piece (one that never had a turn first, then in the order they asked), so each of n
/// connections sending at once gets a 1/n share (round robin, the fair queuing a bottleneck gives TCP flows), and a
/// connection with one small response is not held behind the whole of a big one. A turn is given one round trip (at
/// least <see cref="MinimumLeadMs"/>) before the link reaches it: a piece's bytes are ready one round trip after they
/// really arrived (<see cref="EmulatedStream"/> puts the whole RTT on the way in), so every connection that could be in
/// a turn has asked by then, and a timer or a pump that wakes late by less than that costs the link nothing.
/// </para>
/// </summary>
public sealed class EmulatedLink
{
    private readonly Lock _lock = new();
    private readonly EmulatedNetwork _conditions;
    private readonly TimeProvider _time;
    private readonly long _lead;
    private readonly List<Turn> _waiting = []; // in the order they asked
    private readonly Dictionary<object, long> _lastTurn = []; // each connection's last turn, by number
    private long _turns;
    private readonly ITimer _decide;
    private long _downFreeAt;
    private long _upFreeAt;

    public EmulatedLink(EmulatedNetwork conditions, TimeProvider time)
    {
        _conditions = conditions;
        _time = time;
        _lead = Ticks(Math.Max(conditions.RttMs, MinimumLeadMs));
        _decide = time.CreateTimer(_ => { lock (_lock) Decide(); }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// How far ahead a turn is given at least, whatever the RTT: time for a connection's pump to ask for its next piece
    /// (a thread-pool hop, slower on a loaded machine) before the link would sit idle waiting for it.
    /// </summary>
    public const int MinimumLeadMs = 20;

    public EmulatedNetwork Conditions => _conditions;
    public TimeProvider Time => _time;

    /// <summary>The most a connection sends on the downlink in one turn: 2 ms of it, and at least a segment.</summary>
    public int PieceBytes => _conditions.DownKbps <= 0 ? int.MaxValue : Math.Max(EmulatedNetwork.SegmentBytes, _conditions.DownKbps / 8 * 2);

    private sealed class Turn(object connection, long bytes, long readyAt)
    {
        public object Connection { get; } = connection;
        public long Bytes { get; } = bytes;
        public long ReadyAt { get; } = readyAt;
        public TaskCompletionSource<long> Crossed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> (at most <see cref="PieceBytes"/>), ready at <paramref name="readyAt"/>, on the
    /// downlink in the connection's turn; the answer is when the last of them has crossed. A connection asks for one
    /// piece at a time; <paramref name="connection"/> tells connections apart.
    /// </summary>
    public ValueTask<long> DownAsync(object connection, long bytes, long readyAt, CancellationToken cancellationToken)
    {
        if (_conditions.DownKbps <= 0)
            return ValueTask.FromResult(readyAt);
        var turn = new Turn(connection, bytes, readyAt);
        lock (_lock)
        {
            _waiting.Add(turn);
            Decide();
        }

        if (!turn.Crossed.Task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_lock)
                    _waiting.Remove(turn);
                turn.Crossed.TrySetCanceled(cancellationToken);
            });
            _ = turn.Crossed.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new ValueTask<long>(turn.Crossed.Task);
    }

    /// <summary>
    /// Gives the link its next turns: the lead (a round trip, at least <see cref="MinimumLeadMs"/>) before the link is free for a piece ready by then, the
    /// ready piece of the connection whose last turn is the longest ago goes. Called under the lock, when a piece is
    /// asked for and when the timer set for the next decision fires.
    /// </summary>
    private void Decide()
    {
        while (_waiting.Count > 0)
        {
            var earliest = long.MaxValue;
            foreach (var waiting in _waiting)
                earliest = Math.Min(earliest, waiting.ReadyAt);
            var linkAt = Math.Max(_downFreeAt, earliest);
            var now = _time.GetTimestamp();
            if (linkAt - _lead > now)
            {
                _decide.Change(TimeSpan.FromSeconds((linkAt - _lead - now) / (double)_time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                return;
            }

            Turn? turn = null;
            var turnLast = long.MaxValue;
            foreach (var waiting in _waiting)
            {
                var last = _lastTurn.GetValueOrDefault(waiting.Connection, -1);
                if (waiting.ReadyAt <= linkAt && last < turnLast)
                    (turn, turnLast) = (waiting, last);
            }

            _waiting.Remove(turn!);
            _lastTurn[turn!.Connection] = _turns++;
            // kbit/s: bytes × 8 / kbps is ms.
            _downFreeAt = linkAt + Ticks(turn.Bytes * 8.0 / _conditions.DownKbps);
            turn.Crossed.TrySetResult(_downFreeAt);
        }
    }

    /// <summary>When <paramref name="bytes"/> ready at <paramref name="readyAt"/> have crossed the uplink (in the order written).</summary>
    public long Up(long bytes, long readyAt)
    {
        if (_conditions.UpKbps <= 0)
            return readyAt;
        lock (_lock)
        {
            // Time the uplink sat idle is gone, not credit for later bytes.
            var start = Math.Max(Math.Max(readyAt, _upFreeAt), _time.GetTimestamp());
            _upFreeAt = start + Ticks(bytes * 8.0 / _conditions.UpKbps);
            return _upFreeAt;
        }
    }

    /// <summary>A duration in ms as <see cref="TimeProvider"/> ticks.</summary>
    public long Ticks(double ms) => (long)Math.Round(ms * _time.TimestampFrequency / 1000.0);
}
