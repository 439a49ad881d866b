using Microsoft.Extensions.Logging;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.Daemon;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FetchAgent.Tests.Api;

/// <summary>The real daemon: Kestrel on a free loopback port, a fresh SQLite file in a temp folder.</summary>
public sealed class Daemon : IAsyncDisposable
{
    private Daemon(WebApplication app, string database, HttpClient client)
    {
        App = app;
        DatabasePath = database;
        Client = client;
    }

    public WebApplication App { get; }
    public string DatabasePath { get; }
    public HttpClient Client { get; }

    public static string NewDatabasePath() => Path.Combine(Directory.CreateTempSubdirectory("fetchagent-api-").FullName, "nested", "fetchagent.db");

    /// <param name="urls">Where Kestrel listens; a wildcard address is reached through 127.0.0.1.</param>
    /// <param name="logging">Extra logging set-up, e.g. a provider that captures what the daemon logs.</param>
    public static async Task<Daemon> StartAsync(
        string? database = null, Action<DaemonOptions>? configure = null, string urls = "http://127.0.0.1:0", Action<ILoggingBuilder>? logging = null)
    {
        database ??= NewDatabasePath();
        var app = await DaemonHost.BuildAsync(urls, database, configure, logging);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var reachable = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        var client = new HttpClient { BaseAddress = reachable, Timeout = TimeSpan.FromSeconds(60) };
        return new Daemon(app, database, client) { Address = address };
    }

    /// <summary>The address Kestrel reports it bound.</summary>
    public string Address { get; private init; } = "";

    /// <summary>No body, but declared JSON: the daemon takes POST and DELETE only with <c>Content-Type: application/json</c>.</summary>
    public static HttpContent EmptyJson()
    {
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    public Task<HttpResponseMessage> DeleteAsync(string path) =>
        Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Content = EmptyJson() });

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Json));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
