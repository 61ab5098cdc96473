package web

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fastServer serves the demo through the fast path on a real TCP port.
func fastServer(t *testing.T) (addr string, fl *fastListener) {
	t.Helper()
	e := demoEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fl = e.h.(*Handler).Listen(ln).(*fastListener)
	srv := &http.Server{Handler: e.h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(fl)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), fl
}

// exchange writes raw requests on one connection and reads n responses.
func exchange(t *testing.T, addr, raw string, n int) []*http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	var out []*http.Response
	for range n {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("reading response %d: %v", len(out)+1, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body = io.NopCloser(strings.NewReader(string(body)))
		out = append(out, res)
	}
	return out
}

func get(path string, headers ...string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: example.com\r\n" + strings.Join(headers, "") + "\r\n"
}

func bodyOf(t *testing.T, res *http.Response) string {
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func fastLines(fl *fastListener) int { return int(fl.answered.Load()) }

// TestFastPathMatchesNetHTTP: a cached page answered by the fast path is
// the response net/http gives, header for header (but Date) and byte for
// byte; and every language and host has its own entry.
func TestFastPathMatchesNetHTTP(t *testing.T) {
	addr, fl := fastServer(t)
	page := portalDocumentURL(demoOrg, demoDoc)
	for _, lang := range []string{"", "Accept-Language: ar\r\n", "Cookie: sprak=so\r\n"} {
		exchange(t, addr, get(page, lang), 1) // renders through net/http
		// A Connection option the fast path does not know sends the
		// request to net/http, which answers from the cache too.
		first := exchange(t, addr, get(page, lang, "Connection: keep-alive, x-test\r\n"), 1)[0]
		before := fastLines(fl)
		second := exchange(t, addr, get(page, lang), 1)[0]
		if fastLines(fl) != before+1 {
			t.Fatalf("%q: the second request was not answered by the fast path", lang)
		}
		if first.StatusCode != 200 || second.StatusCode != 200 {
			t.Fatalf("status %d then %d", first.StatusCode, second.StatusCode)
		}
		first.Header.Del("Date")
		second.Header.Del("Date")
		for k := range first.Header {
			if strings.Join(first.Header[k], "|") != strings.Join(second.Header[k], "|") {
				t.Errorf("%q: header %s: net/http %q, fast path %q", lang, k, first.Header[k], second.Header[k])
			}
		}
		for k := range second.Header {
			if _, ok := first.Header[k]; !ok {
				t.Errorf("%q: the fast path adds header %s", lang, k)
			}
		}
		if a, b := bodyOf(t, first), bodyOf(t, second); a != b {
			t.Errorf("%q: bodies differ (%d and %d bytes)", lang, len(a), len(b))
		}
	}
	// Another language's request is not answered from Swedish's entry.
	res := exchange(t, addr, get(page, "Accept-Language: en\r\n"), 1)[0]
	if !strings.Contains(bodyOf(t, res), `<html lang="en"`) {
		t.Error("English reader got another language's page")
	}
}

// TestFastPathHandsOver: pipelined and keep-alive requests are answered
// in order; a request the fast path does not take (a miss, a POST, a
// session, a conditional GET, ?lang=) goes to net/http on the same
// connection, with the bytes already read.
func TestFastPathHandsOver(t *testing.T) {
	addr, fl := fastServer(t)
	page := portalDocumentURL(demoOrg, demoDoc)
	exchange(t, addr, get(page), 1) // cache it
	before := fastLines(fl)
	raw := get(page) + get(page) + get("/healthz") + get(page)
	rs := exchange(t, addr, raw, 4)
	for i, r := range rs {
		if r.StatusCode != 200 {
			t.Errorf("response %d: status %d", i+1, r.StatusCode)
		}
	}
	if got := fastLines(fl) - before; got != 2 {
		t.Errorf("%d requests by the fast path, want 2 (then net/http keeps the connection)", got)
	}
	if !strings.Contains(bodyOf(t, rs[2]), "ok") && rs[2].Header.Get("Content-Type") == "" {
		t.Error("the handed-over request got no health answer")
	}

	for _, tc := range []struct {
		name, raw string
		status    int
	}{
		{"session cookie", get(page, "Cookie: inkludera_session=x\r\n"), 200},
		{"conditional", get(page, "If-None-Match: \"nope\"\r\n"), 200},
		{"lang parameter", get(page + "?lang=en"), 200},
		{"unknown page", get("/portal/2380/dokument/finns-inte"), 404},
		{"POST", "POST /tillganglighet HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n", 422},
		{"HTTP/1.0", "GET " + page + " HTTP/1.0\r\nHost: example.com\r\n\r\n", 200},
		{"no Host", "GET " + page + " HTTP/1.1\r\n\r\n", 400},
		{"dot segments", get("/portal/../portal"), http.StatusTemporaryRedirect},
		{"head longer than the buffer", get(page, "X-Long: "+strings.Repeat("a", 5000)+"\r\n"), 200},
	} {
		before := fastLines(fl)
		res := exchange(t, addr, tc.raw, 1)[0]
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		if fastLines(fl) != before {
			t.Errorf("%s: answered by the fast path", tc.name)
		}
	}
}

// TestFastPathConnectionClose answers and closes when asked, and the
// listener's Close ends idle connections.
func TestFastPathConnectionClose(t *testing.T) {
	addr, _ := fastServer(t)
	page := portalDocumentURL(demoOrg, demoDoc)
	exchange(t, addr, get(page), 1)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, get(page, "Connection: close\r\n"))
	all, err := io.ReadAll(c) // ends only if the server closes
	if err != nil || !strings.Contains(string(all), "Connection: close") || !strings.HasPrefix(string(all), "HTTP/1.1 200 OK") {
		t.Errorf("response %.80q, %v", all, err)
	}
}
