namespace FetchAgent.Daemon;

/// <summary>
/// Which page loads are on the clock right now, and for each the most others that ran beside it at
/// any moment: the document's <c>concurrentLoads</c>. Loads sharing the machine's cores inflate each
/// other's phases, so a reader must be able to see that a load had neighbours.
/// </summary>
/// <remarks>
/// The count of others only grows when a load starts, so raising every running load's maximum at each
/// start, and starting the new one at the same count, is enough; an end only removes.
/// </remarks>
internal sealed class LoadOverlap
{
    private readonly object _sync = new();
    private readonly Dictionary<long, int> _maxOthers = [];

    /// <summary>The load's clock starts now: it and every running load now have the others counted here.</summary>
    public void Started(long id)
    {
        lock (_sync)
        {
            var others = _maxOthers.Count;
            foreach (var running in _maxOthers.Keys.ToList())
                _maxOthers[running] = Math.Max(_maxOthers[running], others);
            _maxOthers[id] = others;
        }
    }

    /// <summary>The most others so far (0 for a load not running); for a running document's snapshot.</summary>
    public int MaxOthers(long id)
    {
        lock (_sync)
            return _maxOthers.GetValueOrDefault(id);
    }

    /// <summary>The load is off the clock; returns the most others that ran beside it.</summary>
    public int Ended(long id)
    {
        lock (_sync)
            return _maxOthers.Remove(id, out var max) ? max : 0;
    }
}
