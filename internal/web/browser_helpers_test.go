package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/inkludera/inkludera/internal/report/chromiumpdf"
	"github.com/inkludera/inkludera/internal/testtool"
)

// newBrowser starts a headless Chromium for one test and returns a chromedp
// context on a fresh tab, cancelled when the test ends. Without a Chromium
// the test is skipped on a developer's machine but fails under CI=true,
// where .ci/run installs Debian's chromium: a browser test that silently
// skips in CI would prove nothing.
func newBrowser(t *testing.T) context.Context {
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
	// A generous bound for the whole test: a 2-core CI machine under -race
	// starts Chromium slowly.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return ctx
}
