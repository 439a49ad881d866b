using FetchAgent.Daemon;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FetchAgent.Access;

/// <summary>
/// Who may use the daemon, before any endpoint runs: a Host header naming this daemon (else 400), on <c>/api</c>
/// the API key when one is configured (else 401), and JSON on POST and DELETE (else 415), so a page in a browser
/// cannot drive loads with a form or a <c>no-cors</c> fetch, whose bodies can only be form data or text. No CORS
/// headers are ever sent: no other origin may read an answer.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, IOptions<DaemonOptions> options, IServer server)
{
    private readonly ApiKey? _apiKey = string.IsNullOrWhiteSpace(options.Value.ApiKey) ? null : new ApiKey(options.Value.ApiKey);
    private AllowedHostNames? _hosts;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // Known only once Kestrel bound its addresses (a port of 0 becomes a real one).
        _hosts ??= new AllowedHostNames(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [], options.Value.AllowedHosts);
        if (!_hosts.Allows(request.Host))
        {
            await TypedResults.Problem(
                $"The Host header '{request.Host}' names neither the address this daemon listens on, localhost, nor a name in FetchAgent:AllowedHosts.",
                statusCode: StatusCodes.Status400BadRequest, title: "Host not allowed").ExecuteAsync(context);
            return;
        }

        if (request.Path.StartsWithSegments("/api"))
        {
            if (_apiKey is not null && !_apiKey.IsPresentedBy(request))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"FetchAgent\"";
                await TypedResults.Problem(
                    "This daemon needs its API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.",
                    statusCode: StatusCodes.Status401Unauthorized, title: "API key required").ExecuteAsync(context);
                return;
            }

            if ((HttpMethods.IsPost(request.Method) || HttpMethods.IsDelete(request.Method)) && !IsJson(request.ContentType))
            {
                await TypedResults.Problem(
                    $"{request.Method} needs 'Content-Type: application/json', not '{request.ContentType ?? "(none)"}'.",
                    statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON required").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
