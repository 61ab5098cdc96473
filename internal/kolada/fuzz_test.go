package kolada

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/strategy"
)

// lastPage ends a next_url chain.
const lastPage = `{"values":[],"next_url":null}`

// firstPageTransport answers the first request with body and every later
// one with an empty last page, without a network: a fuzzed next_url is
// followed (or refused) as the client would, and the chain still ends.
type firstPageTransport struct {
	body     []byte
	requests int
}

func (rt *firstPageTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body := []byte(lastPage)
	if rt.requests == 0 {
		body = rt.body
	}
	rt.requests++
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(body)),
		Request:    req,
	}, nil
}

// FuzzMetadata feeds arbitrary bytes to the client as the answer of
// /v3/kpi, /v3/municipality or /v3/municipality_groups (which picks). The
// client may refuse a page, never panic; what it returns holds only text
// that is valid UTF-8 without replacement characters, organisation codes
// that map back to Kolada's id, and warnings that say what they are about.
func FuzzMetadata(f *testing.F) {
	for i, name := range []string{"kpi.json", "municipality.json", "municipality_groups.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(i))
	}
	f.Add([]byte(`{"values":[{"id":"N1","title":"MalmÃ¶","is_divided_by_gender":1,"publ_period":"sen","prel_publication_date":"2026-05-04T00:00:00","publication_date":"30/9","auspice":null}],"next_url":null}`), uint8(0))
	f.Add([]byte("{\"values\":[{\"id\":\"0023\",\"title\":\"G\xe4vle\",\"type\":\"L\"},{\"id\":\"00\",\"title\":null}],\"next_url\":\"/v3/municipality?page=2\"}"), uint8(1))
	f.Add([]byte(`{"values":[{"id":"G1","title":"Ã","members":[{"member_id":"0000","member_title":"Riket"},{"member_id":"V15E1"}]}],"next_url":"https://elsewhere.example/v3"}`), uint8(2))

	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		rt := &firstPageTransport{body: body}
		c := New("https://api.kolada.se/v3",
			WithHTTPClient(&http.Client{Transport: rt}),
			WithClock(func() time.Time { return testNow }),
			WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
		ctx := context.Background()
		var err error
		switch which % 3 {
		case 0:
			var kpis []KPI
			kpis, err = c.KPIs(ctx)
			for _, k := range kpis {
				// The id is Kolada's, passed on as it came; the texts are
				// for people and are cleaned.
				for _, s := range []string{k.Title, k.Description, k.OperatingArea, k.Perspective} {
					checkText(t, s)
				}
				for _, d := range []time.Time{k.PrelPublicationDate, k.PublicationDate} {
					if !d.IsZero() && (d.Location() != time.UTC || !d.Equal(d.Truncate(24*time.Hour))) {
						t.Errorf("KPI %q: date %v is not a date", k.ID, d)
					}
				}
				// Four texts, publ_period and two dates: one warning each at most.
				checkWarnings(t, k.Warnings, 7)
			}
		case 1:
			var ms []Municipality
			ms, err = c.Municipalities(ctx)
			for _, m := range ms {
				checkText(t, m.Title)
				checkCode(t, m.ID, m.Code)
				checkWarnings(t, m.Warnings, 2)
			}
		case 2:
			var gs []Group
			gs, err = c.MunicipalityGroups(ctx)
			for _, g := range gs {
				checkText(t, g.Title)
				unmapped := 0
				for _, m := range g.Members {
					checkText(t, m.Title)
					checkCode(t, m.ID, m.Code)
					if m.Code == "" {
						unmapped++
					}
				}
				if len(g.Warnings) < unmapped {
					t.Errorf("group %q: %d members without a code, %d warnings", g.ID, unmapped, len(g.Warnings))
				}
				checkWarnings(t, g.Warnings, 1+2*len(g.Members))
			}
		}
		if err != nil && (!strings.HasPrefix(err.Error(), "kolada: ") || !utf8.ValidString(err.Error())) {
			t.Errorf("error %q does not say it is Kolada's", err)
		}
		if rt.requests > maxPages {
			t.Errorf("%d requests for one answer", rt.requests)
		}
	})
}

// checkText fails on text a reader would see as broken.
func checkText(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		t.Errorf("text %q kept broken", s)
	}
}

// checkCode fails unless code is "" or an organisation code whose Kolada
// id is id.
func checkCode(t *testing.T, id, code string) {
	t.Helper()
	if code == "" {
		return
	}
	if !strategy.ValidOrgCode(code) || KoladaID(code) != id {
		t.Errorf("Kolada id %q mapped to code %q", id, code)
	}
}

func checkWarnings(t *testing.T, warnings []string, most int) {
	t.Helper()
	if len(warnings) > most {
		t.Errorf("%d warnings, at most %d expected: %q", len(warnings), most, warnings)
	}
	for _, w := range warnings {
		if !strings.HasPrefix(w, "kolada: ") || !utf8.ValidString(w) {
			t.Errorf("warning %q", w)
		}
	}
}
