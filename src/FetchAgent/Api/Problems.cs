using FetchAgent.Daemon;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary>RFC 9457 problem details for the errors the API names itself.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string what, long id) =>
        TypedResults.Problem($"There is no {what} {id}.", statusCode: StatusCodes.Status404NotFound, title: $"{what} not found");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    public static ProblemHttpResult Busy(HttpContext context, LoadQueueFullException full)
    {
        context.Response.Headers.RetryAfter = full.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(full.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "busy");
    }
}
