using Microsoft.Playwright;

namespace FetchAgent.Bench.SideBySide;

/// <summary>
/// Debian's headless Chromium, driven through Playwright as the UI tests drive it. Each load gets a new browser context
/// (its own cache and sockets, so it starts cold like the other clients); its connection budget is its own (6 per
/// host, which no switch changes). The time is the page's Navigation Timing: navigation start to the load event's
/// start (<c>loadEventStart</c> of <c>performance.getEntriesByType('navigation')[0]</c>), so Playwright's own messaging is
/// outside it. Requests are the ones Chromium made until the load event, less the browser's own <c>/favicon.ico</c>.
/// A request off loopback is aborted, so no traffic leaves the machine.
/// </summary>
public sealed class ChromiumPageClient : IPageClient
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ChromiumPageClient(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<ChromiumPageClient> StartAsync()
    {
        if (!File.Exists(Executable))
            throw new BenchFailure($"Chromium is not installed at {Executable}: apt-get install chromium (./test.sh installs it)");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new ChromiumPageClient(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public string Name => "Chromium";

    public string UserAgent => "FetchAgent.Bench-Chromium";

    public string Description =>
        $"chromium {_browser.Version} headless via Playwright, a new context per load (cold cache and sockets), 6 per host (its own); time = navigation start to loadEventStart (Navigation Timing)";

    public async Task<ClientLoad> LoadAsync(Uri page, IReadOnlyList<Uri> subResources, CancellationToken cancellationToken)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            UserAgent = UserAgent,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        try
        {
            await context.RouteAsync("**/*", route =>
                Uri.TryCreate(route.Request.Url, UriKind.Absolute, out var u) && (u.Scheme is not ("http" or "https") || u.Host.StartsWith("127.", StringComparison.Ordinal))
                    ? route.ContinueAsync()
                    : route.AbortAsync());
            var tab = await context.NewPageAsync();
            var requested = new List<Uri>();
            var notOk = 0;
            tab.Request += (_, request) =>
            {
                if (Uri.TryCreate(request.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.AbsolutePath != "/favicon.ico")
                {
                    lock (requested)
                        requested.Add(u);
                }
            };
            tab.Response += (_, response) =>
            {
                if (response.Status != 200 && new Uri(response.Url).AbsolutePath != "/favicon.ico")
                    Interlocked.Increment(ref notOk);
            };
            // Playwright's own deadline, and the caller's (whichever comes first) for the whole navigation.
            await tab.GotoAsync(page.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 120_000 }).WaitAsync(cancellationToken);
            var ms = await tab.EvaluateAsync<double>("() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventStart - n.startTime; }");
            lock (requested)
                return new ClientLoad(ms, [.. requested], Volatile.Read(ref notOk), null);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or OperationCanceledException)
        {
            throw new BenchFailure($"Chromium {page}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
