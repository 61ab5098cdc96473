package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// decode unmarshals body into a new T, failing the test on error.
func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	return v
}

func TestAPI(t *testing.T) { onEngines(t, testAPI) }

func testAPI(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name   string
		path   string
		status int
		check  func(t *testing.T, body string)
	}{
		{"organisations", "/api/v1/organisations", 200, func(t *testing.T, body string) {
			orgs := decode[[]strategy.Organisation](t, body)
			byCode := map[string]strategy.Organisation{}
			for _, o := range orgs {
				byCode[o.Code] = o
			}
			want := strategy.Organisation{Code: "2313", Name: "Strömsunds kommun", Kind: strategy.OrgKommun, County: "23"}
			if len(orgs) != 3 || byCode["2313"] != want {
				t.Errorf("got %+v", orgs)
			}
			if strings.Contains(body, `"county":""`) {
				t.Error("empty county is not omitted")
			}
		}},
		{"documents of an organisation", "/api/v1/organisations/2313/documents", 200, func(t *testing.T, body string) {
			docs := decode[[]map[string]any](t, body)
			if len(docs) != 1 {
				t.Fatalf("got %d documents", len(docs))
			}
			d := docs[0]
			for k, want := range map[string]any{
				"key": "stromsund-program", "org": "2313", "kind": "program", "status": "antagen",
				"title": "Program för inflyttning och integration 2014–2015", "adopted_on": "2014-04-16",
				"adopted_by": "kf", "identifier": "0:34", "case_number": "KS 2013/123",
				"valid_to": "2015-12-31", "url": "/api/v1/documents/stromsund-program",
			} {
				if d[k] != want {
					t.Errorf("%s = %v, want %v", k, d[k], want)
				}
			}
			if _, ok := d["areas"]; ok {
				t.Error("a summary carries no tree")
			}
		}},
		{"a draft is not public", "/api/v1/organisations/2380/documents", 200, func(t *testing.T, body string) {
			if strings.TrimSpace(body) != "[]" {
				t.Errorf("body = %s, want []", body)
			}
		}},
		{"organisation without documents", "/api/v1/organisations/23/documents", 200, func(t *testing.T, body string) {
			if strings.TrimSpace(body) != "[]" {
				t.Errorf("body = %s, want []", body)
			}
		}},
		{"unknown organisation", "/api/v1/organisations/2599/documents", 404, nil},
		{"malformed organisation code", "/api/v1/organisations/abc/documents", 400, nil},
		{"document with its tree", "/api/v1/documents/stromsund-program", 200, func(t *testing.T, body string) {
			d := decode[strategy.Document](t, body)
			if d.Key != "stromsund-program" || len(d.Areas) != 2 || len(d.Terms) != 1 || len(d.ActionPlans) != 1 {
				t.Fatalf("got %+v", d)
			}
			g := d.Areas[0].Goals[0]
			if g.Title != "Fler invånare i Strömsunds kommun" || len(g.Goals) != 1 || len(g.Goals[0].Goals) != 1 {
				t.Errorf("goal tree: %+v", g)
			}
			tg := g.Targets[0]
			if tg.Kind != strategy.TargetThreshold || tg.Comparator != strategy.AtLeast || tg.Value == nil ||
				*tg.Value != 10 || tg.Unit != "%" || tg.TargetYear != 2020 || tg.Indicator != "utrikes-fodda-andel" {
				t.Errorf("target: %+v", tg)
			}
			if rel := d.Areas[1].Goals[0].Targets[0]; rel.ReferenceIndicator != "arbetslosa-inrikes" {
				t.Errorf("relative target: %+v", rel)
			}
		}},
		{"unknown document", "/api/v1/documents/okand", 404, nil},
		{"indicators", "/api/v1/indicators", 200, func(t *testing.T, body string) {
			inds := decode[[]strategy.Indicator](t, body)
			if len(inds) != 7 {
				t.Errorf("got %d indicators", len(inds))
			}
		}},
		{"indicator", "/api/v1/indicators/folkmangd", 200, func(t *testing.T, body string) {
			ind := decode[strategy.Indicator](t, body)
			if ind.Title != "Folkmängd" || ind.Unit != "antal" || ind.Source != "kolada:N01951" || !ind.ByGender() {
				t.Errorf("got %+v", ind)
			}
		}},
		{"unknown indicator", "/api/v1/indicators/okand", 404, nil},
		{"observations", "/api/v1/indicators/folkmangd/observations?org=2313", 200, func(t *testing.T, body string) {
			obs := decode[[]map[string]any](t, body)
			if len(obs) != 10 {
				t.Fatalf("got %d observations, want 10", len(obs))
			}
			first := obs[0]
			if first["year"] != 2004.0 || first["gender"] != "T" || first["value"] != 13112.0 ||
				first["preliminary"] != false || !strings.HasPrefix(first["source"].(string), "Program för") {
				t.Errorf("first = %v", first)
			}
			missing := obs[6]
			v, present := missing["value"]
			if missing["year"] != 2006.0 || !present || v != nil {
				t.Errorf("missing value must be null: %v", missing)
			}
		}},
		{"observations from and to", "/api/v1/indicators/folkmangd/observations?org=2313&from=2005&to=2006", 200, func(t *testing.T, body string) {
			obs := decode[[]map[string]any](t, body)
			for _, o := range obs {
				if y := o["year"].(float64); y < 2005 || y > 2006 {
					t.Errorf("year %v outside 2005–2006", y)
				}
			}
			if len(obs) != 4 {
				t.Errorf("got %d observations, want 4", len(obs))
			}
		}},
		{"preliminary observation", "/api/v1/indicators/inflyttade/observations?org=2313", 200, func(t *testing.T, body string) {
			obs := decode[[]map[string]any](t, body)
			if len(obs) != 2 || obs[1]["preliminary"] != true || obs[1]["status"] != "p" {
				t.Errorf("got %v", obs)
			}
		}},
		{"observations without org", "/api/v1/indicators/folkmangd/observations", 400, func(t *testing.T, body string) {
			if !strings.Contains(body, `\"org\"`) {
				t.Errorf("message does not name the parameter: %s", body)
			}
		}},
		{"observations with malformed org", "/api/v1/indicators/folkmangd/observations?org=123", 400, nil},
		{"observations with unknown org", "/api/v1/indicators/folkmangd/observations?org=2599", 404, nil},
		{"observations with non-numeric from", "/api/v1/indicators/folkmangd/observations?org=2313&from=abc", 400, func(t *testing.T, body string) {
			if !strings.Contains(body, `\"from\"`) {
				t.Errorf("message does not name the parameter: %s", body)
			}
		}},
		{"observations with non-numeric to", "/api/v1/indicators/folkmangd/observations?org=2313&to=20x0", 400, func(t *testing.T, body string) {
			if !strings.Contains(body, `\"to\"`) {
				t.Errorf("message does not name the parameter: %s", body)
			}
		}},
		{"observations with to before from", "/api/v1/indicators/folkmangd/observations?org=2313&from=2010&to=2005", 400, nil},
		{"observations of unknown indicator", "/api/v1/indicators/okand/observations?org=2313", 404, nil},
		{"openapi", "/api/v1/openapi.json", 200, func(t *testing.T, body string) {
			doc := decode[map[string]any](t, body)
			if doc["openapi"] != "3.1.0" {
				t.Errorf("openapi = %v", doc["openapi"])
			}
		}},
		{"unknown API path", "/api/v1/nothing", 404, nil},
		{"health", "/healthz", 200, func(t *testing.T, body string) {
			if strings.TrimSpace(body) != `{"status":"ok"}` {
				t.Errorf("body = %s", body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("status = %d, want %d; body %s", res.StatusCode, tt.status, body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if !json.Valid([]byte(body)) {
				t.Fatalf("invalid JSON: %s", body)
			}
			if tt.status >= 400 {
				apiErr := decode[apiError](t, body)
				want := map[int]string{400: "invalid", 404: "not_found"}[tt.status]
				if apiErr.Code != want || apiErr.Message == "" {
					t.Errorf("error body = %+v, want code %q and a message", apiErr, want)
				}
			}
			if tt.check != nil {
				tt.check(t, body)
			}
		})
	}
}

// TestInternalErrors closes the store under the server: users must see
// "Internt fel" and nothing of the cause, the log must get the detail, and
// the health check must say 503.
func TestInternalErrors(t *testing.T) {
	e := newTestEnv(t)
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path     string
		status   int
		contains string
	}{
		{"/", 500, "Internt fel"},
		{"/dokument/stromsund-program", 500, "Internt fel"},
		{"/api/v1/organisations", 500, `{"code":"internal","message":"Internt fel"}`},
		{"/healthz", 503, `{"status":"unavailable"}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.status)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("body lacks %q:\n%s", tt.contains, body)
			}
			if strings.Contains(strings.ToLower(body), "closed") || strings.Contains(body, "sql") {
				t.Errorf("body leaks the cause:\n%s", body)
			}
			if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				for _, p := range htmlProblems(body) {
					t.Errorf("HTML: %s", p)
				}
			}
		})
	}
	if !strings.Contains(e.log.String(), `"msg":"request failed"`) || !strings.Contains(e.log.String(), `"status":500`) {
		t.Errorf("the log lacks the failure:\n%s", e.log.String())
	}
}
