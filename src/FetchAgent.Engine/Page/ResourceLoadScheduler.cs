using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// Blink's <c>ResourceLoadScheduler</c> for the page's own frame: its "tight mode". A page load starts tight; while it
/// is, a sub-resource request below High priority (ranks 2–4 of <see cref="RequestPriority.QueueRank"/>: late scripts
/// and sheets, boosted images and other fetches at Medium; other images, async and deferred scripts at Low; sheets that
/// do not block at VeryLow) starts only while fewer than <see cref="TightLimit"/> of the frame's requests are in flight
/// (any priority, any host; the document not), or, at Medium (rank 2), while fewer than <see cref="TightMediumLimit"/>
/// Medium ones are. High and VeryHigh requests
/// always start, and count. Tight mode ends when the parser would insert <c>&lt;body&gt;</c>
/// (<c>Document::WillInsertBody</c> loosens the policy): the scanner has read up to the body, and every parser-blocking
/// script before it and every script-blocking stylesheet before a script has ended; or the document has ended and
/// those have; or the document failed. Held requests go highest rank first, then first come, when a request ends or
/// tight mode ends. A frame has a scheduler of its own in Chromium; FetchAgent holds nothing of a frame's.
/// </summary>
/// <remarks>
/// A request's ticket is entered when its first hop is about to go to the pool (its hold is <c>blocked</c> time,
/// DevTools' "Queueing") and ended when its last hop has ended: redirect hops go on in the slot the request had, as
/// in Chromium. A response from the HTTP cache never enters: it is neither held nor counted.
/// </remarks>
internal sealed class ResourceLoadScheduler
{
    /// <summary>Chromium's <c>kTightLimitForRendererSideResourceScheduler</c>.</summary>
    public const int TightLimit = 2;

    /// <summary>Chromium's <c>kTightMediumLimitForRendererSideResourceScheduler</c>: Medium requests may go past the tight limit up to this many.</summary>
    public const int TightMediumLimit = 2;

    private const int MediumRank = 2;

    private readonly Lock _lock = new();
    private readonly List<Ticket> _held = [];
    private readonly HashSet<int> _ended = [];
    private readonly HashSet<int> _bodyWaitsFor = [];
    private bool _tight;
    private bool _bodyReached;
    private int _inFlight;
    private int _mediumInFlight;
    private long _sequence;

    /// <param name="tight">False: tight mode is off from the start (<see cref="LoadOptions.NoTightMode"/>, the serial strategy).</param>
    public ResourceLoadScheduler(bool tight) => _tight = tight;

    /// <summary>A ticket for one request of the page's frame: entered before it goes to the pool, ended when it has ended.</summary>
    public Ticket For(ObjectRecord record) => new(this, record.Id, RequestPriority.QueueRank(record));

    /// <summary>
    /// The parser cannot insert the body before these requests (parser-blocking scripts before it, stylesheets before
    /// a script before it) have ended; ids of requests that have ended already count for nothing.
    /// </summary>
    public void BodyWaitsFor(IEnumerable<int> requestIds)
    {
        lock (_lock)
        {
            foreach (var id in requestIds)
            {
                if (!_ended.Contains(id))
                    _bodyWaitsFor.Add(id);
            }
        }
    }

    /// <summary>The document's bytes up to the body (or its end: the implied body) have been read.</summary>
    public void BodyReached()
    {
        List<Ticket> granted;
        lock (_lock)
        {
            _bodyReached = true;
            granted = LoosenIfBodyInserted();
        }

        Grant(granted);
    }

    /// <summary>The document failed (or is not HTML): nothing will insert a body, tight mode ends now.</summary>
    public void Loosen()
    {
        List<Ticket> granted;
        lock (_lock)
        {
            _tight = false;
            granted = ReleaseHeld();
        }

        Grant(granted);
    }

    /// <summary>
    /// Lets the granted requests go on, one after the other in the order given, each on this thread up to its first
    /// wait (its place in the pool's queue): continued on the thread pool they would reach the pool in any order, the
    /// last granted often first, and with one free connection the order is the one the pool sees.
    /// </summary>
    private static void Grant(List<Ticket> granted)
    {
        foreach (var ticket in granted)
            ticket.Granted.TrySetResult();
    }

    private bool MayStart(int rank) =>
        !_tight || rank < MediumRank || _inFlight < TightLimit || (rank == MediumRank && _mediumInFlight < TightMediumLimit);

    private void Start(Ticket ticket)
    {
        ticket.State = TicketState.InFlight;
        _inFlight++;
        if (ticket.Rank == MediumRank)
            _mediumInFlight++;
    }

    private List<Ticket> LoosenIfBodyInserted()
    {
        if (_tight && _bodyReached && _bodyWaitsFor.Count == 0)
            _tight = false;
        return ReleaseHeld();
    }

    /// <summary>Starts what may start now, highest rank first, then first come; the caller grants them outside the lock.</summary>
    private List<Ticket> ReleaseHeld()
    {
        var granted = new List<Ticket>();
        if (_held.Count == 0)
            return granted;
        _held.Sort(static (a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : a.Sequence.CompareTo(b.Sequence));
        for (var i = 0; i < _held.Count;)
        {
            var ticket = _held[i];
            if (!MayStart(ticket.Rank))
            {
                i++;
                continue;
            }

            _held.RemoveAt(i);
            Start(ticket);
            granted.Add(ticket);
        }

        return granted;
    }

    internal enum TicketState
    {
        New,
        Held,
        InFlight,
        Ended,
    }

    /// <summary>One request's place in the scheduler.</summary>
    internal sealed class Ticket(ResourceLoadScheduler scheduler, int requestId, int rank)
    {
        public int Rank { get; } = rank;

        internal long Sequence { get; set; }

        internal TicketState State { get; set; } = TicketState.New;

        /// <summary>Completed outside the scheduler's lock, its continuation run there (see <see cref="Grant"/>): not asynchronous.</summary>
        internal TaskCompletionSource Granted { get; } = new();

        /// <summary>Waits until the request may go out; at once when it may, and on every later call (a redirect's next hop).</summary>
        public async ValueTask EnterAsync(CancellationToken cancellationToken)
        {
            lock (scheduler._lock)
            {
                if (State != TicketState.New)
                    return;
                if (scheduler.MayStart(Rank))
                {
                    scheduler.Start(this);
                    return;
                }

                State = TicketState.Held;
                Sequence = scheduler._sequence++;
                scheduler._held.Add(this);
            }

            try
            {
                // Not WaitAsync: its continuation may not run on the granting thread, and the order of the grants is the point.
                await using (cancellationToken.Register(static state => ((Ticket)state!).Granted.TrySetCanceled(), this))
                    await Granted.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (scheduler._lock)
                {
                    if (State == TicketState.Held)
                    {
                        scheduler._held.Remove(this);
                        State = TicketState.Ended;
                    }
                }

                throw;
            }
        }

        /// <summary>The request has ended (its last hop, success or failure, or it never went out): its slot frees.</summary>
        public void End()
        {
            List<Ticket> granted;
            lock (scheduler._lock)
            {
                if (State == TicketState.InFlight)
                {
                    scheduler._inFlight--;
                    if (Rank == MediumRank)
                        scheduler._mediumInFlight--;
                }
                else if (State == TicketState.Held)
                {
                    scheduler._held.Remove(this);
                }

                State = TicketState.Ended;
                scheduler._ended.Add(requestId);
                scheduler._bodyWaitsFor.Remove(requestId);
                granted = scheduler.LoosenIfBodyInserted();
            }

            Grant(granted);
        }
    }
}
