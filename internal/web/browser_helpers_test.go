package web

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumNames are the executables tried, Debian's first.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// newBrowser starts a headless Chromium for one test and returns a chromedp
// context on a fresh tab, cancelled when the test ends. Without a Chromium
// the test is skipped on a developer's machine but fails under CI=true,
// where .ci/run installs Debian's chromium: a browser test that silently
// skips in CI would prove nothing.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but no Chromium is installed (tried chromium, chromium-browser, google-chrome); .ci/run installs Debian's chromium")
		}
		t.Skip("no Chromium installed; install Debian's chromium to run the browser tests")
	}
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
