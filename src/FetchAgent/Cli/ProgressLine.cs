using FetchAgent.Engine.Model;


namespace FetchAgent.Cli;

/// <summary>A one-line progress report on stderr while a load runs (only when stderr is a terminal).</summary>
internal sealed class ProgressLine(TextWriter stderr)
{
    private readonly bool _live = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
    private readonly object _sync = new();
    private int _done;
    private int _failed;

    public void ObjectFinished(ObjectRecord record)
    {
        lock (_sync)
        {
            _done++;
            if (record.Error is not null)
                _failed++;
            if (_live)
                stderr.Write($"\rloading… {_done} objects, {_failed} failed, last at {record.EndMs:0} ms ");
        }
    }

    public void Done()
    {
        if (_live)
            stderr.Write("\r\u001b[K");
    }
}
