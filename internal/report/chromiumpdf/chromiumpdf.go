// Package chromiumpdf prints a standalone HTML document, such as
// report.RenderHTML's follow-up report, to a tagged, accessible PDF through
// headless Chromium: the engine behind `--pdf-engine chromium`.
//
// Chromium lays out the report's own print stylesheet (an A4 @page with
// the organisation and page numbers in its margin boxes), keeps the
// document's structure as PDF tags for screen readers, and turns the
// headings into the PDF's outline. It is optional: without a Chromium the
// built-in PDF engine is used, and Print says so.
//
// Every Print starts its own browser and stops it before returning; the
// HTML is loaded from a file in a temporary folder, so no web server is
// involved and nothing is left behind.
package chromiumpdf

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultTimeout bounds a Print when Options.Timeout is 0: starting
// Chromium, loading the document and printing it.
const DefaultTimeout = 60 * time.Second

// ErrNoChromium is returned, wrapped, when no Chromium can be found.
var ErrNoChromium = errors.New("no Chromium found for --pdf-engine chromium: install chromium or use the built-in PDF engine")

// ExecNames are the executables looked for on PATH when Options.ExecPath
// is empty, Debian's first.
var ExecNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Options configure Print.
type Options struct {
	// ExecPath is the Chromium to run: a path or a name looked up on PATH.
	// Empty looks for ExecNames on PATH.
	ExecPath string
	// Timeout bounds the whole print, the browser's start included;
	// 0 means DefaultTimeout.
	Timeout time.Duration
}

// LookPath finds the Chromium that Print would run for execPath (see
// Options.ExecPath). It fails with an error wrapping ErrNoChromium, so a
// command can check before it starts a long report.
func LookPath(execPath string) (string, error) {
	if execPath != "" {
		p, err := exec.LookPath(execPath)
		if err != nil {
			return "", fmt.Errorf("%w (%v)", ErrNoChromium, err)
		}
		return p, nil
	}
	for _, name := range ExecNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// Print prints html, a complete standalone HTML document, to PDF and writes
// it to w: on the page size and margins of the document's @page rule (A4
// when it has none), with backgrounds, as a tagged PDF with an outline of
// the headings. Nothing is written when printing fails.
func Print(ctx context.Context, w io.Writer, html []byte, opts Options) error {
	path, err := LookPath(opts.ExecPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cmp.Or(opts.Timeout, DefaultTimeout))
	defer cancel()

	dir, err := os.MkdirTemp("", "inkludera-pdf-")
	if err != nil {
		return fmt.Errorf("chromiumpdf: %w", err)
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "rapport.html")
	if err := os.WriteFile(page, html, 0o600); err != nil {
		return fmt.Errorf("chromiumpdf: %w", err)
	}

	pdf, err := printFile(ctx, path, page)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("chromiumpdf: printing with %s did not finish in time: %w", path, err)
		}
		return fmt.Errorf("chromiumpdf: printing with %s: %w", path, err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return fmt.Errorf("chromiumpdf: %s returned something other than a PDF", path)
	}
	_, err = w.Write(pdf)
	return err
}

// printFile runs a headless Chromium at execPath for the length of ctx,
// opens the HTML file at page and prints it.
func printFile(ctx context.Context, execPath, page string) ([]byte, error) {
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		// Small /dev/shm in containers crashes Chromium; use the temp dir.
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	if os.Geteuid() == 0 {
		// Chromium refuses to start as root (CI, containers) with its sandbox.
		flags = append(flags, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, flags...)
	defer cancelAlloc()
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()

	u := url.URL{Scheme: "file", Path: filepath.ToSlash(page)}
	if err := chromedp.Do(tabCtx, chromedp.Navigate(u.String())); err != nil {
		return nil, fmt.Errorf("loading the document: %w", err)
	}
	// The load event can come before web fonts are ready, and text laid
	// out in a fallback font would print in it.
	if _, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("waiting for the document's fonts: %w", err)
	}
	pdf, err := chromedp.Run(tabCtx, chromedp.PrintToPDF(
		// The report's @page sets A4 and its margins; A4 is the fallback.
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFOutlineAndTagged(),
		// A long report with many charts is large as one base64 message.
		chromedp.PDFStream(),
	))
	if err != nil {
		return nil, fmt.Errorf("printing to PDF: %w", err)
	}
	return pdf, nil
}
