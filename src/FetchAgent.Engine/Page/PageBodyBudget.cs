namespace FetchAgent.Engine.Page;

/// <summary>
/// The page's budget for kept bodies (<see cref="PageMemoryLimits.PageBudgetBytes"/>), summed over the page: a body
/// reserves what it may keep when its head arrives (its Content-Length up to the parse cap, else the cap) and gives
/// back what it did not use once it is read.
/// </summary>
internal sealed class PageBodyBudget(long bytes)
{
    private readonly Lock _lock = new();
    private long _remaining = bytes;

    /// <summary>True, and the bytes reserved, when they fit in what is left; false (nothing reserved) otherwise.</summary>
    public bool TryReserve(long wanted)
    {
        lock (_lock)
        {
            if (wanted > _remaining)
                return false;
            _remaining -= wanted;
            return true;
        }
    }

    public void Return(long unused)
    {
        if (unused <= 0)
            return;
        lock (_lock)
            _remaining += unused;
    }
}
