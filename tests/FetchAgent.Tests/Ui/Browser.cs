using Microsoft.Playwright;

namespace FetchAgent.Tests.Ui;

/// <summary>
/// One headless Debian chromium for the UI tests, driven by Playwright through its own node driver
/// (shipped inside the NuGet package and copied to the test output: nothing is downloaded).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // Never skip: a UI test that cannot find its browser fails and says how to get one.
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"The UI tests need Debian's chromium at {ChromiumPath}: apt-get install -y chromium (test.sh installs it).");
        // An expectation waits for what the page does next (a fetch, a render): Playwright's 5 s default is short for a
        // shared 2-core machine running the other suites beside this one. A passing expectation returns as soon as it
        // holds; only a failing one waits the whole 15 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh page in its own context, recording every console error and uncaught exception.</summary>
    public async Task<WatchedPage> OpenAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        return new WatchedPage(context, page);
    }
}

/// <summary>A page and the errors it printed; tests assert there were none.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                Record($"console: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => Record($"page error: {error}");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
                return [.. _errors];
        }
    }

    /// <summary>Fails the test with every console error and uncaught exception the page had, except those expected.</summary>
    public void AssertNoErrors(Func<string, bool>? expected = null) =>
        Assert.True(Errors.All(e => expected?.Invoke(e) == true), "the page logged errors:\n" + string.Join('\n', Errors));

    /// <summary>
    /// Runs an expectation and, when it fails, fails with the page's errors too: a render that threw
    /// shows as its exception, not only as the count that never came.
    /// </summary>
    public async Task ExpectAsync(Func<Task> expectation)
    {
        try
        {
            await expectation();
        }
        catch (PlaywrightException failure)
        {
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nthe page logged:\n{string.Join('\n', Errors)}");
        }
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png"), FullPage = true });
        // A full-page capture stretches the viewport and puts it back (the page sees a resize). Two animation frames
        // later the page is laid out at its own size again, so the test's next click is aimed at where things are.
        await Page.EvaluateAsync("() => new Promise((settled) => requestAnimationFrame(() => requestAnimationFrame(settled)))");
    }

    private void Record(string error)
    {
        lock (_errors)
            _errors.Add(error);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
