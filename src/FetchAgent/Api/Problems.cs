using FetchAgent.Daemon;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FetchAgent.Api;

/// <summary>RFC 9457 problem details for the errors the API names itself.</summary>
internal static class Problems
{
    public static ProblemDetails Details(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    public static NotFound<ProblemDetails> NotFound(string what, long id) =>
        TypedResults.NotFound(Details(StatusCodes.Status404NotFound, $"{what} not found", $"There is no {what} {id}."));

    public static ProblemHttpResult Busy(HttpContext context, LoadQueueFullException full)
    {
        context.Response.Headers.RetryAfter = full.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(full.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "busy");
    }
}
