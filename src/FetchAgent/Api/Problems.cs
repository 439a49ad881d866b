using FetchAgent.Daemon;
using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary>RFC 9457 problem details for the errors the API names itself.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string what, long id) =>
        TypedResults.Problem($"There is no {what} {id}.", statusCode: StatusCodes.Status404NotFound, title: $"{what} not found");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    /// <summary>507 when the disk is full (SQLITE_FULL), else 503: the daemon works, its storage does not.</summary>
    public static ProblemHttpResult StorageFailed(StorageFailure failure, string detail, long? pageLoadId = null)
    {
        var extensions = new Dictionary<string, object?> { ["cause"] = failure.Cause };
        if (pageLoadId is { } id)
            extensions["pageLoadId"] = id;
        return TypedResults.Problem(
            detail,
            statusCode: failure.DiskFull ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status503ServiceUnavailable,
            title: failure.DiskFull ? "the database's disk is full" : "the database cannot be used",
            instance: pageLoadId is { } i ? $"/api/page-loads/{i}" : null,
            extensions: extensions);
    }

    public static ProblemHttpResult Busy(HttpContext context, LoadQueueFullException full)
    {
        context.Response.Headers.RetryAfter = full.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(full.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "busy");
    }
}
