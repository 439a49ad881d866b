namespace FetchAgent.Engine.Discovery.Html;

/// <summary>
/// Process-wide: at most two full HTML parses (AngleSharp, ~12 bytes of memory per byte of HTML) at once, however
/// many documents, frames and loads finish together. The parse is CPU-bound, so more at once would not finish
/// sooner on this kind of machine (2 cores); it would only hold more memory. Waiting here is FetchAgent's own
/// time on the critical path, so it shows in the document's <c>discoveryMs</c>.
/// </summary>
internal static class HtmlParseGate
{
    public const int MaxConcurrentParses = 2;

    private static readonly SemaphoreSlim Gate = new(MaxConcurrentParses, MaxConcurrentParses);

    public static async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                Gate.Release();
        }
    }
}
