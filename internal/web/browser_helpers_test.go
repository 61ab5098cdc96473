package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/report/chromiumpdf"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
	"github.com/inkludera/inkludera/internal/testtool"
)

// newBrowser starts a headless Chromium for one test and returns a chromedp
// context on a fresh tab, cancelled when the test ends. Without a Chromium
// the test is skipped on a developer's machine but fails under CI=true,
// where .ci/run installs Debian's chromium: a browser test that silently
// skips in CI would prove nothing.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	// A generous bound for the whole test: a 2-core CI machine under -race
	// starts Chromium slowly.
	return newBrowserFor(t, 2*time.Minute)
}

// newBrowserFor is newBrowser for a test that may take up to timeout in
// all, such as the accessibility tests that load every public page.
func newBrowserFor(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	// chromiumpdf knows where Chromium is installed; testtool fails the
	// test under CI=true when it is not.
	path := testtool.Find(t, "Chromium (chromium, chromium-browser or google-chrome)", func() (string, error) { return chromiumpdf.LookPath("") })
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		// CI runs as root, where Chromium refuses to start with its sandbox.
		chromedp.NoSandbox,
		// The test servers are HTTPS (Secure cookies) with their own certificate.
		chromedp.IgnoreCertErrors,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return ctx
}

// openDemoStore is a real store (of the test's engine) with the demo content imported, as
// `inkludera serve` loads it into an empty database: what a visitor of a
// fresh site sees. edit, when given, changes the bundles before the import.
func openDemoStore(t *testing.T, edit func([]strategy.Bundle) []strategy.Bundle) *store.Store {
	t.Helper()
	ctx := context.Background()
	st := openTestDB(t, "demo.db")
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		bundles = edit(bundles)
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatalf("importing the demo: %v", err)
	}
	return st
}

// demoDocument is the demo's document of the organisation, from the bundles.
func demoDocument(t *testing.T, bundles []strategy.Bundle, org string) *strategy.Document {
	t.Helper()
	for _, b := range bundles {
		if b.Organisation != nil && b.Organisation.Code == org && b.Document != nil {
			return b.Document
		}
	}
	t.Fatalf("the demo has no document of %s", org)
	return nil
}
