package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/pgtest"
)

// runAsMain makes the test binary behave as inkludera itself, so that a
// test can start real, separate serve processes.
const runAsMain = "INKLUDERA_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// server is a serve process started by startProcess.
type server struct {
	base   string
	stderr *syncBuffer
	cmd    *exec.Cmd
	done   chan error
}

// startProcess runs `inkludera serve` in a process of its own on db.
func startProcess(t *testing.T, db string, extra ...string) *server {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)...)
	cmd.Env = append(os.Environ(), runAsMain+"=1")
	s := &server{stderr: &syncBuffer{}, cmd: cmd, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() { s.stop(t) })
	lines := bufio.NewReader(out)
	line, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("serve did not start: %v\n%s", err, s.stderr.String())
	}
	go io.Copy(io.Discard, lines)
	s.base = strings.TrimSpace(strings.TrimPrefix(line, "Inkludera listening on "))
	return s
}

// stop ends the process as a service manager would, with SIGTERM.
func (s *server) stop(t *testing.T) {
	if s.cmd.ProcessState != nil || s.done == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve %s did not stop cleanly: %v\n%s", s.base, err, s.stderr.String())
		}
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		t.Errorf("serve %s did not stop within 20 s", s.base)
	}
	s.done = nil
}

const scheduleLog = "scheduled fetches run on this server"

// TestTwoServersOnePostgres runs two serve processes on one PostgreSQL
// database and checks what several servers must share: a session made on
// one works on the other; the scheduled fetch runs on one of them only,
// and moves to the other when that one stops; and a change made through
// one server shows at once on the other's cached public pages, although
// its cache polls the database only once an hour — the news comes by
// LISTEN/NOTIFY.
func TestTwoServersOnePostgres(t *testing.T) {
	db := pgtest.URL(t)
	flags := []string{"--cookie-insecure", "--admin-email", "ada@kommun.se", "--cache-poll", "1h",
		"--refresh-interval", "24h", "--kolada-url", "http://127.0.0.1:9/v3", "--scb-url", "http://127.0.0.1:9/api/v2"}
	a := startProcess(t, db, flags...) // loads the demo and creates the admin
	m := regexp.MustCompile(`Lösenord / password: +(\S+)`).FindStringSubmatch(a.stderr.String())
	if m == nil {
		t.Fatalf("no password printed:\n%s", a.stderr.String())
	}
	b := startProcess(t, db, flags...)

	t.Run("sessions are shared", func(t *testing.T) {
		res := postSignIn(t, a.base, "ada@kommun.se", m[1])
		cookie := strings.Split(res.Header.Get("Set-Cookie"), ";")[0]
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(cookie, "inkludera_session=") {
			t.Fatalf("sign-in on A: %d, cookie %q", res.StatusCode, cookie)
		}
		for _, s := range []*server{a, b} {
			if status, _ := getWith(t, s.base+"/admin/anvandare", cookie); status != http.StatusOK {
				t.Errorf("the users page on %s with A's session: %d", s.base, status)
			}
		}
		if status, _ := getWith(t, b.base+"/admin/anvandare", ""); status == http.StatusOK {
			t.Error("the users page without a session: 200")
		}
	})

	t.Run("a change through one server shows on the other at once", func(t *testing.T) {
		res := postSignIn(t, a.base, "ada@kommun.se", m[1])
		cookie := strings.Split(res.Header.Get("Set-Cookie"), ";")[0]
		page := b.base + "/portal/2380/indikatorer/utrikes-fodda-andel"
		for range 2 { // the second is answered from B's cache
			if status, body := getWith(t, page, ""); status != 200 || !strings.Contains(body, "Utrikes födda, andel") {
				t.Fatalf("B's indicator page: %d", status)
			}
		}
		_, body := getWith(t, a.base+"/api/v1/indicators/utrikes-fodda-andel", cookie)
		var ind map[string]any
		if err := json.Unmarshal([]byte(body), &ind); err != nil {
			t.Fatalf("the indicator from A: %v\n%s", err, body)
		}
		ind["title"] = "Utrikes födda i Östersund, andel (%)"
		put, _ := json.Marshal(ind)
		req, _ := http.NewRequest("PUT", a.base+"/api/v1/indicators/utrikes-fodda-andel", strings.NewReader(string(put)))
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("PUT through A: %d", res.StatusCode)
		}
		deadline := time.Now().Add(3 * time.Second)
		for {
			_, body := getWith(t, page, "")
			if strings.Contains(body, "Utrikes födda i Östersund, andel") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("B still shows the old title 3 s after the change through A")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("the schedule runs on one server and moves when it stops", func(t *testing.T) {
		holder, other := a, b
		waitFor(t, 5*time.Second, func() bool {
			return strings.Contains(a.stderr.String(), scheduleLog) || strings.Contains(b.stderr.String(), scheduleLog)
		})
		if strings.Contains(b.stderr.String(), scheduleLog) {
			holder, other = b, a
		}
		if strings.Contains(other.stderr.String(), scheduleLog) {
			t.Fatalf("both servers run the schedule:\nA: %s\nB: %s", a.stderr.String(), b.stderr.String())
		}
		time.Sleep(time.Second) // the other has asked by now, and been refused
		if strings.Contains(other.stderr.String(), scheduleLog) {
			t.Fatal("the second server took the schedule while the first runs it")
		}
		holder.stop(t)
		waitFor(t, 20*time.Second, func() bool { return strings.Contains(other.stderr.String(), scheduleLog) })
	})
}

// getWith GETs url with a cookie ("" for none).
func getWith(t *testing.T, url, cookie string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
