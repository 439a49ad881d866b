using FetchAgent.Engine.Model;


namespace FetchAgent.Daemon;

public sealed partial class PageLoadService
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "page load {Id} finished: {Url} {Status}, {Objects} objects, perceived {PerceivedMs:0} ms, actual {ActualMs:0} ms")]
    private partial void LogFinished(long id, string url, PageLoadStatus status, int objects, double perceivedMs, double actualMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "page load {Id} failed inside FetchAgent")]
    private partial void LogLoadCrashed(Exception exception, long id);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "page load {Id} could not be stored as failed")]
    private partial void LogStoreFailed(Exception exception, long id);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "page load {Id} was measured but not stored ({Cause}); kept in memory as failed until restart")]
    private partial void LogNotStored(long id, string cause);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "waiting up to {GraceSeconds} s for {Count} running page loads")]
    private partial void LogWaitingForLoads(int count, int graceSeconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "page load {Id} was deleted on another agent while it ran here: stopped, nothing stored")]
    private partial void LogDeletedWhileRunning(long id);
}
