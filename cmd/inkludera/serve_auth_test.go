package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/auth/oidctest"
	"github.com/inkludera/inkludera/internal/mail/mailtest"
)

// serveOn runs serve on db with the environment env (nil: none) until stop
// is called or the test ends; it returns the base URL and what serve wrote
// to standard error.
func serveOn(t *testing.T, db string, env map[string]string, extra ...string) (base string, stderr *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &syncBuffer{}
	out, outW := io.Pipe()
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...), getenv, outW, stderr)
		outW.Close()
	}()
	lines := bufio.NewReader(out)
	line, err := lines.ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve did not start: %v\n%s", <-done, stderr.String())
	}
	go io.Copy(io.Discard, lines)
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not stop cleanly: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop within 15 s")
		}
	}
	t.Cleanup(stop)
	return strings.TrimSpace(strings.TrimPrefix(line, "Inkludera listening on ")), stderr, stop
}

// postSignIn signs in through the sign-in form and returns the answer.
func postSignIn(t *testing.T, base, email, password string) *http.Response {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/logga-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestServeFirstAdmin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "i.db")
	base, stderr, stop := serveOn(t, db, nil, "--no-demo", "--cookie-insecure", "--admin-email", "ada@kommun.se")
	m := regexp.MustCompile(`Lösenord / password: +(\S+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no password printed:\n%s", stderr.String())
	}
	password := m[1]
	for _, want := range []string{"Första administratören har skapats.", "The first administrator has been created.",
		"E-post / e-mail:      ada@kommun.se", "inkludera user passwd --email ada@kommun.se"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the first-run message lacks %q", want)
		}
	}
	if n := strings.Count(stderr.String(), password); n != 1 {
		t.Errorf("the password is printed %d times, want once", n)
	}

	// The printed password signs in; with --cookie-insecure the session
	// cookie works over plain http.
	res := postSignIn(t, base, "ada@kommun.se", password)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with the printed password: status %d", res.StatusCode)
	}
	cookie := res.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "inkludera_session=") || strings.Contains(cookie, "Secure") {
		t.Errorf("Set-Cookie %q: want a session cookie without Secure", cookie)
	}
	req, _ := http.NewRequest("GET", base+"/admin/anvandare", nil)
	req.Header.Set("Cookie", strings.Split(cookie, ";")[0])
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Errorf("the users page as the first admin: %v, %v", res.Status, err)
	} else {
		res.Body.Close()
	}
	stop()

	// A second start on the same database prints nothing and creates no
	// one; the cookie is Secure by default.
	base, stderr, _ = serveOn(t, db, nil, "--no-demo", "--admin-email", "ada@kommun.se")
	if strings.Contains(stderr.String(), "administratören") || strings.Contains(stderr.String(), password) {
		t.Errorf("the second start printed the first-run message:\n%s", stderr.String())
	}
	res = postSignIn(t, base, "ada@kommun.se", password)
	if c := res.Header.Get("Set-Cookie"); res.StatusCode != http.StatusSeeOther || !strings.Contains(c, "; Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("sign-in on the second start: status %d, Set-Cookie %q; want a Secure, HttpOnly cookie", res.StatusCode, c)
	}
	out := mustCLI(t, "user", "list", "--db", db)
	if strings.Count(out, "\n") != 2 {
		t.Errorf("users after two starts:\n%s", out)
	}
}

func TestServeFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		says string
	}{
		{"the admin token is gone", []string{"--admin-token", "x"}, "flag provided but not defined: -admin-token"},
		{"OIDC client without an issuer", []string{"--oidc-client-id", "x"}, "--oidc-client-id needs --oidc-issuer"},
		{"OIDC without a redirect URL", []string{"--oidc-issuer", "https://idp.example", "--oidc-client-id", "x", "--oidc-roles", "g=admin"},
			"--oidc-issuer needs --oidc-redirect-url or --base-url"},
		{"OIDC roles that do not parse", []string{"--oidc-issuer", "https://idp.example", "--oidc-roles", "g=chef"}, "--oidc-roles: "},
		{"SMTP without the site's address", []string{"--smtp-addr", "localhost:25", "--smtp-from", "noreply@kommun.se"}, "--smtp-addr needs --base-url"},
		{"SMTP sender without a server", []string{"--smtp-from", "noreply@kommun.se"}, "--smtp-from needs --smtp-addr"},
		{"SMTP with an unknown TLS mode", []string{"--smtp-addr", "localhost:25", "--smtp-from", "noreply@kommun.se", "--base-url", "https://inkludera.kommun.se", "--smtp-tls", "kanske"}, "--smtp-addr: mail: TLS mode"},
		{"a base URL without a scheme", []string{"--base-url", "inkludera.kommun.se"}, "--base-url \"inkludera.kommun.se\" is not an address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve", "--no-demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "i.db")}, tt.args...)
			_, stderr, err := cli(t, args...)
			if err == nil {
				t.Fatal("serve started")
			}
			if exitCode(err) != 2 || !strings.Contains(err.Error()+stderr, tt.says) {
				t.Errorf("exit %d, %v; want 2 saying %q", exitCode(err), err, tt.says)
			}
		})
	}
}

func TestServeOIDC(t *testing.T) {
	p := oidctest.Start(t)
	env := map[string]string{"INKLUDERA_OIDC_CLIENT_SECRET": p.ClientSecret}
	base, stderr, _ := serveOn(t, filepath.Join(t.TempDir(), "i.db"), env, "--no-demo",
		"--oidc-issuer", p.Issuer, "--oidc-client-id", p.ClientID, "--oidc-roles", "inkludera-admins=admin",
		"--base-url", "https://inkludera.example")
	status, page := get(t, base+"/logga-in")
	if status != 200 || !strings.Contains(page, `href="/logga-in/oidc"`) {
		t.Fatalf("the sign-in page does not offer the provider (status %d):\n%s", status, page)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/logga-in/oidc")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc.String(), p.Issuer+"/authorize") ||
		loc.Query().Get("redirect_uri") != "https://inkludera.example/logga-in/oidc/svar" || loc.Query().Get("client_id") != p.ClientID {
		t.Errorf("start: status %d, Location %s", res.StatusCode, loc)
	}
	if !strings.Contains(stderr.String(), `"msg":"OpenID Connect sign-in"`) {
		t.Error("the log does not say OpenID Connect is on")
	}
	if strings.Contains(stderr.String(), p.ClientSecret) {
		t.Error("the client secret is in the log")
	}
}

func TestUserToken(t *testing.T) {
	db := userDB(t)
	mustCLI(t, "user", "add", "--db", db, "--email", "sam@stromsund.se", "--name", "Sam", "--role", "samordnare", "--org", "2313", "--generate-password")
	out := mustCLI(t, "user", "token", "--db", db, "--email", "SAM@stromsund.se", "--name", "rapportverktyget")
	m := regexp.MustCompile(`Token \(shown only now\): (ink_[a-z2-7]{52})\n`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, `"rapportverktyget" for sam@stromsund.se (samordnare)`) {
		t.Fatalf("output:\n%s", out)
	}
	base, _, _ := serveOn(t, db, nil, "--no-demo")
	for _, tc := range []struct {
		token  string
		status int
	}{{m[1], 200}, {"ink_" + strings.Repeat("b", 52), 401}} {
		req, _ := http.NewRequest("GET", base+"/api/v1/audit?org=2313", nil)
		req.Header.Set("Authorization", "Bearer "+tc.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("audit API with token %.8s…: status %d, want %d", tc.token, res.StatusCode, tc.status)
		}
	}

	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--email", "sam@stromsund.se"}, "--name is required"},
		{[]string{"--name", "x"}, "--email is required"},
		{[]string{"--email", "ingen@stromsund.se", "--name", "x"}, "no user with e-mail ingen@stromsund.se"},
	} {
		if _, _, err := cli(t, append([]string{"user", "token", "--db", db}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("user token %v: %v, want %q", tc.args, err, tc.says)
		}
	}
}

// TestServeWithSMTP starts serve with an SMTP server and frequent reminder
// rounds: it runs them and stops cleanly (serveOn fails the test if not).
func TestServeWithSMTP(t *testing.T) {
	smtp := mailtest.Start(t)
	_, stderr, stop := serveOn(t, filepath.Join(t.TempDir(), "i.db"), nil, "--no-demo",
		"--smtp-addr", smtp.Addr(), "--smtp-from", "Inkludera <noreply@kommun.se>", "--smtp-tls", "none",
		"--base-url", "https://inkludera.kommun.se/", "--remind-every", "20ms")
	time.Sleep(100 * time.Millisecond) // a few rounds
	stop()
	if !strings.Contains(stderr.String(), `"msg":"e-mail reminders"`) || !strings.Contains(stderr.String(), `"every":"20ms"`) {
		t.Errorf("the log does not say reminders are on:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), `"level":"ERROR"`) {
		t.Errorf("errors in the log:\n%s", stderr.String())
	}
}
