using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace JiraExport.Worker.Exports.Chromium;

/// <summary>How the printed PDF pages are laid out.</summary>
/// <param name="Title">Shown in the running header of every page (plain text).</param>
/// <param name="ShowHeader">Whether to print the running header with <paramref name="Title"/>.</param>
/// <param name="Landscape">Landscape instead of portrait A4.</param>
/// <param name="FooterText">Printed left in the footer of every page (the tenant's branding), beside the page numbers.</param>
/// <param name="PageNumbers">Whether Chromium prints "n / N" in the footer; off for a part of a report, whose numbers are stamped over the whole.</param>
public sealed record PdfPageSetup(string Title, bool ShowHeader = true, bool Landscape = false, string? FooterText = null, bool PageNumbers = true);

/// <summary>
/// Prints self-contained HTML to PDF with one shared headless Chromium and a bounded pool of reusable pages.
/// Pages run without JavaScript and cannot fetch anything except data: URLs, so report content cannot
/// reach the network or the file system. Register as a singleton.
/// </summary>
public sealed partial class ChromiumPdfRenderer(IOptions<ChromiumOptions> options, ILogger<ChromiumPdfRenderer> logger)
    : IAsyncDisposable
{
    // Always passed. The first group keeps Chromium from phoning home from a server; the second trims the
    // process tree (no spare renderer, GPU and network service folded into the browser process), which cut
    // the summed peak RSS by about 250 MB in measurements without slowing renders.
    private static readonly string[] BaseArgs =
    [
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-features=SpareRendererForSitePerProcess",
        "--enable-features=NetworkServiceInProcess2",
        "--in-process-gpu",
    ];

    // Without the sandbox there is nothing for the zygote to prepare, and skipping it saves two processes.
    private static readonly string[] NoSandboxArgs = ["--no-sandbox", "--no-zygote"];

    // A renderer process keeps the memory of a large layout (about 300 MB for 1,000 rows) after printing and
    // grows further when reused; closing the page ends that process and returns the memory. Opening a
    // replacement costs about 0.15 s, which only matters for small documents, so those keep their page.
    private const int LargePdfBytes = 128 * 1024;

    // Pool hygiene for long-lived pages that only ever print small documents.
    private const int MaxRendersPerPage = 50;

    private static readonly TimeSpan PageCloseTimeout = TimeSpan.FromSeconds(5);

    // The running header and footer are CSS page-margin boxes in the document itself. Chromium's header and footer
    // templates are separate documents laid out once per page, which cost about 2.5 s more on a 700-page report. The
    // boxes carry their own font: they inherit from the page, not from the body.
    private const string MarginBoxStyle = "font-family:'DejaVu Sans',sans-serif;font-size:7pt;color:#64748b;";

    /// <summary>The footer's text colour (<see cref="MarginBoxStyle"/>) as RGB.</summary>
    public const int FooterColor = 0x64748b;

    /// <summary>The bottom page margin, where the footer's margin boxes sit, in millimetres.</summary>
    public const double FooterHeightMm = 14;

    /// <summary>The left and right page margins in millimetres.</summary>
    public const double SideMarginMm = 10;

    /// <summary>The footer's type size in points.</summary>
    public const double FooterFontSize = 7;

    // A title longer than this would wrap in the header; it is cut with an ellipsis.
    private const int MaxHeaderLength = 140;

    private readonly ChromiumOptions _options = options.Value;

    // Not disposed on purpose: a render finishing during shutdown still releases it, and without
    // AvailableWaitHandle it holds no unmanaged resources.
    private readonly SemaphoreSlim _pagePermits = new(options.Value.PagePoolSize, options.Value.PagePoolSize);
    private readonly ConcurrentQueue<PooledPage> _idlePages = new();
    private readonly Lock _browserLock = new();
    private Task<IBrowser>? _browserTask;
    private volatile bool _disposed;

    /// <summary>Renders <paramref name="html"/> to an A4 PDF with page numbers in the footer.</summary>
    /// <exception cref="ReportRenderTimeoutException">The render took longer than <see cref="ChromiumOptions.RenderTimeout"/>.</exception>
    public async Task<byte[]> RenderPdfAsync(string html, PdfPageSetup setup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(setup);
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Waiting for a free page is queueing, not rendering, so only the caller's token bounds it.
        await _pagePermits.WaitAsync(cancellationToken).ConfigureAwait(false);
        PooledPage? lease = null;
        var reusable = false;
        try
        {
            lease = await RentPageAsync(cancellationToken).ConfigureAwait(false);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RenderTimeout);
            var started = Stopwatch.GetTimestamp();
            try
            {
                // WaitAsync because not every CDP call observes the token; an abandoned call dies with the page.
                var pdf = await PrintAsync(lease.Page, html, setup, timeout.Token)
                    .WaitAsync(timeout.Token)
                    .ConfigureAwait(false);
                reusable = ++lease.RenderCount < MaxRendersPerPage && pdf.Length < LargePdfBytes;
                LogRendered(logger, pdf.Length, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return pdf;
            }
            catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ReportRenderTimeoutException(_options.RenderTimeout, ex);
            }
        }
        finally
        {
            if (lease is not null)
            {
                if (reusable && !lease.Broken && !_disposed)
                {
                    _idlePages.Enqueue(lease);
                }
                else
                {
                    // A failed, timed-out or cancelled page may still be busy or half-loaded, and a page that
                    // printed a large document holds on to its memory; either way the next render starts fresh.
                    await DiscardAsync(lease).ConfigureAwait(false);
                }
            }

            _pagePermits.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<IBrowser>? browserTask;
        lock (_browserLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            browserTask = _browserTask;
            _browserTask = null;
        }

        // Closing the browser closes its pages too.
        _idlePages.Clear();
        if (browserTask is null)
        {
            return;
        }

        try
        {
            var browser = await browserTask.ConfigureAwait(false);
            await CloseBrowserAsync(browser).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The launch itself failed, so there is no process to stop.
            LogShutdownFailed(logger, ex);
        }
    }

    private static async Task<byte[]> PrintAsync(IPage page, string html, PdfPageSetup setup, CancellationToken cancellationToken)
    {
        // Our own token enforces RenderTimeout; Puppeteer's per-call timers are switched off so they cannot
        // fire first with a less helpful message.
        await page.SetContentAsync(WithPageFrame(html, setup), new SetContentOptions
        {
            WaitUntil = [WaitUntilNavigation.Load],
            Timeout = 0,
            CancellationToken = cancellationToken,
        }).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        return await page.PdfDataAsync(new PdfOptions
        {
            Format = PaperFormat.A4,
            Landscape = setup.Landscape,
            PrintBackground = true,
            DisplayHeaderFooter = false,
            MarginOptions = new MarginOptions
            {
                Top = setup.ShowHeader ? "15mm" : "10mm",
                Bottom = FormattableString.Invariant($"{FooterHeightMm}mm"),
                Left = FormattableString.Invariant($"{SideMarginMm}mm"),
                Right = FormattableString.Invariant($"{SideMarginMm}mm"),
            },
            // Tagging a long table makes the PDF about five times larger and the print markedly slower.
            Tagged = false,
            Outline = false,
            Timeout = 0,
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the running header (the title), the footer text and the page numbers as page-margin boxes, in a style sheet
    /// placed last in the head so the template's own <c>@page</c> rules in its body still win.
    /// </summary>
    private static string WithPageFrame(string html, PdfPageSetup setup)
    {
        var boxes = new StringBuilder("<style>@page{");
        if (setup.ShowHeader && setup.Title.Length > 0)
        {
            var title = setup.Title.Length > MaxHeaderLength ? setup.Title[..MaxHeaderLength].TrimEnd() + "…" : setup.Title;
            boxes.Append("@top-left{content:").Append(CssString(title)).Append(';').Append(MarginBoxStyle).Append('}');
        }

        if (setup.FooterText is { Length: > 0 } footer)
        {
            boxes.Append("@bottom-left{content:").Append(CssString(footer)).Append(';').Append(MarginBoxStyle).Append('}');
        }

        if (setup.PageNumbers)
        {
            boxes.Append("@bottom-right{content:counter(page) \" / \" counter(pages);").Append(MarginBoxStyle).Append('}');
        }

        boxes.Append("}</style>");
        // Before the body when the template has no head: ahead of a doctype it would switch the page to quirks mode.
        var at = html.IndexOf("</head>", StringComparison.OrdinalIgnoreCase) is >= 0 and var headEnd ? headEnd : html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? boxes + html : html.Insert(at, boxes.ToString());
    }

    /// <summary>A CSS string literal of plain text: quotes, backslashes, line breaks and <c>&lt;</c> (which could close the style element) escaped.</summary>
    private static string CssString(string text)
    {
        var css = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' or '\\' or '<' or '>' or '&' or (< ' ') => css.Append('\\').Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append(' '),
                _ => css.Append(c),
            };
        }

        return css.Append('"').ToString();
    }

    private async Task<PooledPage> RentPageAsync(CancellationToken cancellationToken)
    {
        var browser = await GetBrowserAsync(cancellationToken).ConfigureAwait(false);
        while (_idlePages.TryDequeue(out var idle))
        {
            if (ReferenceEquals(idle.Browser, browser) && !idle.Broken && !idle.Page.IsClosed)
            {
                return idle;
            }

            // Belongs to a browser that has since been replaced, or its renderer crashed.
            await DiscardAsync(idle).ConfigureAwait(false);
        }

        return await OpenPageAsync(browser, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PooledPage> OpenPageAsync(IBrowser browser, CancellationToken cancellationToken)
    {
        // Page creation takes milliseconds and cannot be cancelled half-way without leaking the page,
        // so the token is only checked before starting.
        cancellationToken.ThrowIfCancellationRequested();
        var page = await browser.NewPageAsync().ConfigureAwait(false);
        var pooled = new PooledPage(browser, page);
        try
        {
            page.Error += (_, _) => pooled.MarkBroken();
            await page.SetJavaScriptEnabledAsync(false).ConfigureAwait(false);

            // The interceptor is added before interception is switched on so no request waits unanswered.
            page.AddRequestInterceptor(AllowOnlyDataUrlsAsync);
            await page.SetRequestInterceptionAsync(true).ConfigureAwait(false);
            return pooled;
        }
        catch
        {
            await DiscardAsync(pooled).ConfigureAwait(false);
            throw;
        }
    }

    private async Task AllowOnlyDataUrlsAsync(IRequest request)
    {
        try
        {
            if (request.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                await request.ContinueAsync().ConfigureAwait(false);
            }
            else
            {
                LogRequestBlocked(logger, request.Url);
                await request.AbortAsync(RequestAbortErrorCode.BlockedByClient).ConfigureAwait(false);
            }
        }
        catch (PuppeteerException ex)
        {
            // The page was closed or the request already handled; nothing is left to decide.
            LogInterceptionFailed(logger, ex);
        }
    }

    private Task<IBrowser> GetBrowserAsync(CancellationToken cancellationToken)
    {
        lock (_browserLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _browserTask;
            if (current is null
                || current.IsFaulted
                || current.IsCanceled
                || (current.IsCompletedSuccessfully && !IsUsable(current.Result)))
            {
                // One shared launch task: concurrent callers wait on the same launch, and a caller giving up
                // does not abandon a half-started process.
                current = LaunchAsync(current);
                _browserTask = current;
            }

            return current.WaitAsync(cancellationToken);
        }
    }

    private static bool IsUsable(IBrowser browser) => browser.IsConnected && !browser.IsClosed;

    private async Task<IBrowser> LaunchAsync(Task<IBrowser>? previous)
    {
        // Leave the caller's lock before doing anything slow.
        await Task.Yield();

        if (previous is { IsCompletedSuccessfully: true })
        {
            var old = previous.Result;
            LogRelaunching(logger, old.Process?.Id);
            await CloseBrowserAsync(old).ConfigureAwait(false);
        }
        else
        {
            LogLaunching(logger, _options.ExecutablePath, _options.PagePoolSize);
        }

        var started = Stopwatch.GetTimestamp();
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = _options.ExecutablePath,
            HeadlessMode = HeadlessMode.Shell,

            // A pipe instead of a DevTools port: nothing else on the host can connect to the browser.
            Pipe = true,
            Args = [.. BaseArgs, .. _options.NoSandbox ? NoSandboxArgs : [], .. _options.ExtraArgs],

            // CDP calls of a long render must outlive the render timeout, which is enforced separately.
            ProtocolTimeout = (int)(_options.RenderTimeout + TimeSpan.FromSeconds(30)).TotalMilliseconds,
        }).ConfigureAwait(false);

        try
        {
            // The start-up tab would keep a renderer process alive for nothing; the pool opens its own pages.
            foreach (var initialPage in await browser.PagesAsync().ConfigureAwait(false))
            {
                await initialPage.CloseAsync().ConfigureAwait(false);
            }
        }
        catch
        {
            await CloseBrowserAsync(browser).ConfigureAwait(false);
            throw;
        }

        LogLaunched(logger, browser.Process?.Id, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return browser;
    }

    private async Task CloseBrowserAsync(IBrowser browser)
    {
        try
        {
            // Dispose closes gracefully and kills the process if it does not exit.
            await browser.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogShutdownFailed(logger, ex);
        }
    }

    private async Task DiscardAsync(PooledPage pooled)
    {
        try
        {
            if (!pooled.Page.IsClosed && IsUsable(pooled.Browser))
            {
                await pooled.Page.CloseAsync().WaitAsync(PageCloseTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Best effort; a page that cannot close goes away with its browser.
            LogPageCloseFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Launching Chromium from {ExecutablePath} with a pool of {PagePoolSize} pages")]
    private static partial void LogLaunching(ILogger logger, string executablePath, int pagePoolSize);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Chromium (pid {ProcessId}) crashed or disconnected; relaunching")]
    private static partial void LogRelaunching(ILogger logger, int? processId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Chromium started (pid {ProcessId}) in {ElapsedMs} ms")]
    private static partial void LogLaunched(ILogger logger, int? processId, long elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Rendered a {ByteCount}-byte PDF in {ElapsedMs} ms")]
    private static partial void LogRendered(ILogger logger, int byteCount, long elapsedMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Blocked a request from report HTML to {Url}")]
    private static partial void LogRequestBlocked(ILogger logger, string url);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Could not resolve an intercepted request")]
    private static partial void LogInterceptionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Could not close a discarded Chromium page")]
    private static partial void LogPageCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Chromium did not shut down cleanly")]
    private static partial void LogShutdownFailed(ILogger logger, Exception exception);

    private sealed class PooledPage(IBrowser browser, IPage page)
    {
        private volatile bool _broken;

        public IBrowser Browser { get; } = browser;

        public IPage Page { get; } = page;

        public bool Broken => _broken;

        /// <summary>Renders completed on this page; only touched by the render holding the page.</summary>
        public int RenderCount { get; set; }

        public void MarkBroken() => _broken = true;
    }
}
