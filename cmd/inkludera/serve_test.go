package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/pgtest"
)

func noEnv(string) string { return "" }

// syncBuffer is a bytes.Buffer safe for the server's log writes and the
// test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer boots run("serve") on port 0 with a fresh database and
// returns its base URL; the server stops, and must stop cleanly, when the
// test ends.
func startServer(t *testing.T, extra ...string) string {
	t.Helper()
	return startServerOn(t, filepath.Join(t.TempDir(), "i.db"), extra...)
}

// startServerOn is startServer on the database db.
func startServerOn(t *testing.T, db string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, outW := io.Pipe()
	var logs syncBuffer
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, noEnv, outW, &logs)
		outW.Close()
	}()
	lines := bufio.NewScanner(out)
	urlc := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if u, ok := strings.CutPrefix(lines.Text(), "Inkludera listening on "); ok {
				urlc <- u
			}
		}
	}()
	var base string
	select {
	case base = <-urlc:
	case err := <-done:
		t.Fatalf("serve stopped before listening: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not listen within 30 s\n%s", logs.String())
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not stop cleanly: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop within 15 s of the signal")
		}
		if !strings.Contains(logs.String(), `"msg":"stopped"`) {
			t.Errorf("no shutdown in the log:\n%s", logs.String())
		}
	})
	return base
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	status, body := get(t, url)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", url, status, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v\n%s", url, err, body)
	}
}

var ostersundGoals = []string{
	"Fler nya Östersundare",
	"Bättre tillvarata ny kompetens och skapa förutsättningar för ökat deltagande i arbetslivet",
	"Kvalitativ service, stöd och utbildning för alla",
	"Ökad social sammanhållning",
}

const ostersundDoc = "ostersund-integrationsstrategi-2020"

// TestServeDemoEndToEnd runs on both engines: an SQLite file and a
// PostgreSQL schema.
func TestServeDemoEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testServeDemoEndToEnd(t, filepath.Join(t.TempDir(), "i.db")) })
	t.Run("postgres", func(t *testing.T) { testServeDemoEndToEnd(t, pgtest.URL(t)) })
}

func testServeDemoEndToEnd(t *testing.T, db string) {
	base := startServerOn(t, db)

	if status, body := get(t, base+"/healthz"); status != http.StatusOK {
		t.Fatalf("/healthz = %d %s", status, body)
	}

	_, start := get(t, base+"/")
	for _, want := range []string{"Östersund", "Strömsund", "/dokument/" + ostersundDoc} {
		if !strings.Contains(start, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	var orgs []struct{ Code, Name, Kind string }
	getJSON(t, base+"/api/v1/organisations", &orgs)
	codes := map[string]bool{}
	for _, o := range orgs {
		codes[o.Code] = true
	}
	if !codes["2380"] || !codes["2313"] {
		t.Errorf("organisations = %+v, want 2380 and 2313", orgs)
	}

	// The demo's strategy library is loaded, indexed and searchable.
	if status, lib := get(t, base+"/bibliotek?q=arbetsmarknad"); status != http.StatusOK || !strings.Contains(lib, "<mark>") {
		t.Errorf("library search = %d, with no highlighted hit:\n%.3000s", status, lib)
	}

	status, page := get(t, base+"/dokument/"+ostersundDoc)
	if status != http.StatusOK {
		t.Fatalf("document page = %d", status)
	}
	for _, want := range append(ostersundGoals, "10 %") {
		if !strings.Contains(page, want) {
			t.Errorf("document page lacks %q", want)
		}
	}

	// The scorecard: every target card carries a status label and a
	// sentence (issue: target status engine, acceptance).
	cards := strings.Count(page, `<li class="target"`)
	labels := regexp.MustCompile(`<span class="status-label">[^<]+</span>`).FindAllString(page, -1)
	sentences := regexp.MustCompile(`<p class="status-explanation">[^<]{20,}</p>`).FindAllString(page, -1)
	if cards != 11 || len(sentences) != cards {
		t.Errorf("%d target cards, %d sentences; want 11 of each", cards, len(sentences))
	}
	if len(labels) < cards {
		t.Errorf("%d status labels for %d targets", len(labels), cards)
	}
	if !strings.Contains(page, "Måluppfyllelse") || !strings.Contains(page, "Demovärden") {
		t.Error("document page lacks the scorecard section or the demo label")
	}

	// The API returns the same tree.
	var doc struct {
		Areas []struct {
			Goals []struct {
				Level   string
				Title   string
				Targets []struct {
					Kind, Comparator, Unit, Indicator string
					Value                             *float64
					TargetYear                        int `json:"target_year"`
				}
			}
		}
	}
	getJSON(t, base+"/api/v1/documents/"+ostersundDoc, &doc)
	var titles []string
	found10 := false
	for _, a := range doc.Areas {
		for _, g := range a.Goals {
			if g.Level == "langsiktigt" {
				titles = append(titles, g.Title)
			}
			for _, tg := range g.Targets {
				if tg.Kind == "threshold" && tg.Value != nil && *tg.Value == 10 && tg.Unit == "%" && tg.TargetYear == 2020 && tg.Indicator != "" {
					found10 = true
				}
			}
		}
	}
	if strings.Join(titles, "|") != strings.Join(ostersundGoals, "|") {
		t.Errorf("API long-term goals = %q", titles)
	}
	if !found10 {
		t.Error("API tree lacks the 10 % by 2020 target")
	}

	// Strömsund's population 2004–2013 as printed in the programme.
	var obs []struct {
		Year   int
		Gender string
		Value  *float64
	}
	getJSON(t, base+"/api/v1/indicators/folkmangd/observations?org=2313", &obs)
	want := map[string][]float64{
		"K": {6388, 6320, 6268, 6218, 6126, 5975, 5926, 5910, 5888, 5810},
		"M": {6724, 6611, 6514, 6461, 6406, 6311, 6259, 6261, 6250, 6174},
		"T": {13112, 12931, 12782, 12679, 12532, 12286, 12185, 12171, 12138, 11984},
	}
	got := map[string][]float64{}
	for _, o := range obs {
		if o.Value == nil {
			t.Errorf("%d %s is missing", o.Year, o.Gender)
			continue
		}
		if i := o.Year - 2004; i != len(got[o.Gender]) {
			t.Errorf("%s years out of order at %d", o.Gender, o.Year)
		}
		got[o.Gender] = append(got[o.Gender], *o.Value)
	}
	for g, vals := range want {
		if fmtFloats(got[g]) != fmtFloats(vals) {
			t.Errorf("population %s = %v, want %v", g, got[g], vals)
		}
	}

	if status, _ := get(t, base+"/api/v1/documents/finns-inte"); status != http.StatusNotFound {
		t.Errorf("unknown document = %d, want 404", status)
	}
}

func fmtFloats(v []float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestServeWithoutDemoStartsEmpty(t *testing.T) {
	base := startServer(t, "--no-demo")
	var orgs []any
	getJSON(t, base+"/api/v1/organisations", &orgs)
	if len(orgs) != 0 {
		t.Errorf("--no-demo database has %d organisations", len(orgs))
	}
}

func TestServeLogsRequests(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	out, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--no-demo", "--db", filepath.Join(t.TempDir(), "i.db")}, noEnv, outW, &logs)
		outW.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err, logs.String())
	}
	go io.Copy(io.Discard, out)
	base := strings.TrimSpace(strings.TrimPrefix(line, "Inkludera listening on "))
	if status, _ := get(t, base+"/finns-inte"); status != http.StatusNotFound {
		t.Errorf("status %d", status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, l := range strings.Split(logs.String(), "\n") {
		var entry struct {
			Msg, Method, Path string
			Status            int
		}
		if json.Unmarshal([]byte(l), &entry) == nil && entry.Msg == "request" && entry.Path == "/finns-inte" {
			found = entry.Method == "GET" && entry.Status == 404
		}
	}
	if !found {
		t.Errorf("no access log line for GET /finns-inte 404 in:\n%s", logs.String())
	}
}

func TestServeFailsCleanlyWhenTheAddressIsTaken(t *testing.T) {
	base := startServer(t, "--no-demo")
	addr := strings.TrimPrefix(base, "http://")
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"serve", "--addr", addr, "--no-demo", "--db", filepath.Join(t.TempDir(), "j.db")}, noEnv, io.Discard, io.Discard)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "address already in use") {
			t.Errorf("err = %v, want address already in use", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve hung after failing to listen")
	}
}
