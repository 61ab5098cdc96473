package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServePortalFlags: --site-owner and --contact-email (or their
// environment variables) reach the accessibility statement; an address
// that is none is refused before the server starts.
func TestServePortalFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "i.db")
	base, _, _ := serveOn(t, db, map[string]string{"INKLUDERA_SITE_OWNER": "Östersunds kommun"},
		"--no-demo", "--contact-email", "tillganglighet@ostersund.se")
	status, page := get(t, base+"/tillganglighet")
	if status != 200 {
		t.Fatalf("GET /tillganglighet: status %d", status)
	}
	for _, want := range []string{"Östersunds kommun står bakom den här webbplatsen.",
		`<a href="mailto:tillganglighet@ostersund.se" dir="ltr">tillganglighet@ostersund.se</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the statement lacks %q", want)
		}
	}

	for _, bad := range []string{"tillganglighet", "Tillgänglighet <t@ostersund.se>"} {
		args := []string{"serve", "--no-demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "i.db"), "--contact-email", bad}
		_, stderr, err := cli(t, args...)
		if err == nil {
			t.Fatalf("serve started with --contact-email %q", bad)
		}
		if exitCode(err) != 2 || !strings.Contains(err.Error()+stderr, "--contact-email") {
			t.Errorf("--contact-email %q: exit %d, %v; want 2 naming the flag", bad, exitCode(err), err)
		}
	}
}

// TestServeFrameAncestors: --frame-ancestors opens the widgets to the
// named sites only, and a source that could break the header is refused.
func TestServeFrameAncestors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "i.db")
	base, _, _ := serveOn(t, db, nil, "--frame-ancestors", "https://www.ostersund.se, https://*.jamtland.se")
	res, err := http.Get(base + "/embed/2380/dokument/ostersund-integrationsstrategi-2020")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); res.StatusCode != 200 || !strings.Contains(csp, "frame-ancestors https://www.ostersund.se https://*.jamtland.se") {
		t.Errorf("widget: status %d, CSP %q", res.StatusCode, csp)
	}
	for _, bad := range []string{"www.ostersund.se", "https://a.se; script-src *", "javascript:x"} {
		args := []string{"serve", "--no-demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "i.db"), "--frame-ancestors", bad}
		_, stderr, err := cli(t, args...)
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error()+stderr, "--frame-ancestors") {
			t.Errorf("--frame-ancestors %q: %v; want exit 2 naming the flag", bad, err)
		}
	}
}
