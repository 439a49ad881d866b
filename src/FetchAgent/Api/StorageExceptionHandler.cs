using FetchAgent.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace FetchAgent.Api;

/// <summary>
/// A read or write the database refused, anywhere in the API, is a problem document naming the cause (507 for a
/// full disk, 503 otherwise), never a bare 500: the request was fine, the storage is not.
/// </summary>
internal sealed partial class StorageExceptionHandler(IDatabase database, ILogger<StorageExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StorageFailure.From(exception) is not { } failure)
            return false;
        database.Health.Observed(failure);
        LogStorageFailed(httpContext.Request.Method, httpContext.Request.Path, failure.Cause);
        await Problems.StorageFailed(failure, $"The database refused this request: {failure.Cause}.").ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "{Method} {Path}: the database refused it ({Cause})")]
    private partial void LogStorageFailed(string method, string path, string cause);
}
