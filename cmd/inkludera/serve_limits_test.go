package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeAPIRateLimitFlags: --api-rate and --api-burst (or their
// environment variables) limit the API per client, --api-rate 0 turns the
// limit off, and pages are never limited.
func TestServeAPIRateLimitFlags(t *testing.T) {
	base, _, _ := serveOn(t, filepath.Join(t.TempDir(), "i.db"), map[string]string{"INKLUDERA_API_RATE": "0.5"}, "--no-demo", "--api-burst", "2")
	var statuses []int
	var last *http.Response
	for range 3 {
		res, err := http.Get(base + "/api/v1/organisations")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		statuses = append(statuses, res.StatusCode)
		last = res
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want 200 200 429", statuses)
	}
	if last.Header.Get("Retry-After") != "2" || last.Header.Get("RateLimit-Limit") != "2" {
		t.Errorf("429: Retry-After %q, RateLimit-Limit %q; want 2 and 2", last.Header.Get("Retry-After"), last.Header.Get("RateLimit-Limit"))
	}
	for range 5 {
		if status, _ := get(t, base+"/healthz"); status != 200 {
			t.Fatalf("health check: status %d", status)
		}
	}

	off, _, _ := serveOn(t, filepath.Join(t.TempDir(), "i.db"), nil, "--no-demo", "--api-rate", "0")
	for i := range 100 {
		res, err := http.Get(off + "/api/v1/organisations")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("RateLimit-Limit") != "" {
			t.Fatalf("--api-rate 0, request %d: status %d, RateLimit-Limit %q", i+1, res.StatusCode, res.Header.Get("RateLimit-Limit"))
		}
	}
}

// TestServeTrustedProxies: behind a proxy named by --trusted-proxies the
// forwarded client and scheme count; HSTS goes only with forwarded HTTPS;
// headers beyond the server's limit are refused.
func TestServeTrustedProxies(t *testing.T) {
	base, _, _ := serveOn(t, filepath.Join(t.TempDir(), "i.db"), nil, "--no-demo",
		"--trusted-proxies", "10.0.0.0/8, 127.0.0.1", "--api-rate", "0.001", "--api-burst", "1")
	send := func(path string, header ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest("GET", base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for _, client := range []string{"198.51.100.1", "198.51.100.2"} {
		if res := send("/api/v1/organisations", "X-Forwarded-For", client); res.StatusCode != 200 {
			t.Errorf("client %s behind the proxy: status %d, want 200 (a bucket of its own)", client, res.StatusCode)
		}
	}
	if res := send("/api/v1/organisations", "X-Forwarded-For", "198.51.100.1"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("client 198.51.100.1 again: status %d, want 429", res.StatusCode)
	}
	if res := send("/healthz", "X-Forwarded-Proto", "https"); res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS on a request the trusted proxy says came over HTTPS")
	}
	if res := send("/healthz"); res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain http")
	}
	if res := send("/healthz", "X-Large", strings.Repeat("a", 40<<10)); res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("40 KiB of headers: status %d, want 431", res.StatusCode)
	}

	for _, bad := range [][]string{{"--trusted-proxies", "proxy.example"}, {"--trusted-proxies", "10.0.0.0/33"},
		{"--api-rate", "-1"}, {"--api-burst", "0"}, {"--api-write-burst", "0"}} {
		args := append([]string{"serve", "--no-demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "i.db")}, bad...)
		_, stderr, err := cli(t, args...)
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error()+stderr, bad[0]) {
			t.Errorf("%v: %v; want exit 2 naming the flag", bad, err)
		}
	}
}
