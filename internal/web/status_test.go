package web

import (
	"context"
	"encoding/json"
	"html"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Target statuses on the pages and in the API. The fixture's values give
// known verdicts as of 2026 (testNow): see the want table below.

// fixtureTargets lists the keys of every target of the fixture's programme,
// in document order, so that tests count against the data rather than a
// number that drifts.
func fixtureTargets(t *testing.T) []string {
	t.Helper()
	var doc *strategy.Document
	for _, b := range testBundles() {
		if b.Document != nil && b.Document.Key == "stromsund-program" {
			doc = b.Document
		}
	}
	if doc == nil {
		t.Fatal("no stromsund-program in the fixture")
	}
	var keys []string
	var walk func([]strategy.Goal)
	walk = func(goals []strategy.Goal) {
		for _, g := range goals {
			for _, tg := range g.Targets {
				keys = append(keys, tg.Key)
			}
			walk(g.Goals)
		}
	}
	for _, a := range doc.Areas {
		walk(a.Goals)
	}
	return keys
}

var (
	cardStartRE   = regexp.MustCompile(`<li class="target" id="malvarde-([^"]+)">`)
	statusBlockRE = regexp.MustCompile(`(?s)<div class="target-status status-([a-z_]+)">(.*?)</div>`)
	statusLabelRE = regexp.MustCompile(`(?s)<p class="status-line">.*?<span class="status-label">([^<]*)</span>`)
	explanationRE = regexp.MustCompile(`(?s)<p class="status-explanation">([^<]*)</p>`)
	tagRE         = regexp.MustCompile(`<[^>]+>`)
)

// targetCards splits a document page into its target cards, by key. A card
// runs to the next card, or to the end of the list of targets it is in.
func targetCards(body string) map[string]string {
	cards := map[string]string{}
	idx := cardStartRE.FindAllStringSubmatchIndex(body, -1)
	for i, m := range idx {
		end := len(body)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		card := body[m[0]:end]
		if j := strings.Index(card, "</ul>\n"); j >= 0 && !strings.Contains(card[:j], "<ul") {
			card = card[:j]
		}
		cards[body[m[2]:m[3]]] = card
	}
	return cards
}

// cardStatus is what a card says of its target's status.
type cardStatus struct {
	code, label, explanation string
	blocks                   int
}

func parseCard(t *testing.T, card string) cardStatus {
	t.Helper()
	blocks := statusBlockRE.FindAllStringSubmatch(card, -1)
	cs := cardStatus{blocks: len(blocks)}
	if len(blocks) == 0 {
		return cs
	}
	cs.code = blocks[0][1]
	if m := statusLabelRE.FindStringSubmatch(blocks[0][2]); m != nil {
		cs.label = strings.TrimSpace(m[1])
	}
	if m := explanationRE.FindStringSubmatch(blocks[0][2]); m != nil {
		cs.explanation = strings.TrimSpace(html.UnescapeString(m[1]))
	}
	return cs
}

// plain replaces the non-breaking spaces of Swedish number formatting by
// spaces, so that expectations can be written with ordinary ones.
func plain(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

// text is a fragment of a page without its tags and with entities decoded,
// so that expectations read as the reader sees the page.
func text(s string) string { return html.UnescapeString(tagRE.ReplaceAllString(s, "")) }

func TestDocumentPageShowsEveryTargetsStatus(t *testing.T) {
	e := newTestEnv(t)
	keys := fixtureTargets(t)
	tests := []struct {
		name string
		path string
		want map[string]cardStatus // code, label and a part of the sentence
	}{
		{
			name: "as of the clock's year", path: "/dokument/stromsund-program",
			want: map[string]cardStatus{
				"t-utrikes-10":     {code: "acceleration_needed", label: "Behöver öka takten", explanation: "takten är 88 % av den som behövs"},
				"t-inflyttade-300": {code: "on_track", label: "På väg", explanation: "nåddes 1 av de 2 senaste åren"},
				"t-kvinnor-oka":    {code: "deterioration", label: "Försämring", explanation: "minskade från 6 388 (2004) till 5 900 (2013)"},
				"t-framtid":        {code: "cannot_assess", label: "Kan inte bedömas", explanation: "Målet är kvalitativt"},
				"t-relativ":        {code: "limited_progress", label: "Begränsad förbättring", explanation: "minst två gemensamma år behövs"},
				"t-sfi":            {code: "cannot_assess", label: "Kan inte bedömas", explanation: "Det finns inga värden till och med 2026"},
				"t-nojdhet":        {code: "achieved", label: "Uppnått", explanation: "År 2023 var andelen 78 %"},
				"t-samverkan":      {code: "on_track", label: "På väg", explanation: "Målet är kvalitativt"},
			},
		},
		{
			// 2022 is the satisfaction target's year, whose value is only in
			// 2023: before that comes in the verdict is on the trend.
			name: "as of a chosen year", path: "/dokument/stromsund-program?ar=2022",
			want: map[string]cardStatus{
				"t-nojdhet": {code: "on_track", label: "På väg", explanation: "Andelen ökade från 60 % (2018) till 70 % (2020)"},
				"t-sfi":     {code: "cannot_assess", label: "Kan inte bedömas", explanation: "Det finns inga värden till och med 2022"},
			},
		},
		{
			name: "as of a year before most values", path: "/dokument/stromsund-program?ar=2016",
			want: map[string]cardStatus{
				"t-inflyttade-300": {code: "cannot_assess", label: "Kan inte bedömas"},
				"t-nojdhet":        {code: "cannot_assess", label: "Kan inte bedömas"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			cards := targetCards(body)
			if len(cards) != len(keys) {
				t.Errorf("%d target cards, want %d", len(cards), len(keys))
			}
			for _, key := range keys {
				card, ok := cards[key]
				if !ok {
					t.Errorf("%s: no card", key)
					continue
				}
				got := parseCard(t, card)
				if got.blocks != 1 || got.label == "" || got.explanation == "" {
					t.Errorf("%s: %d status blocks, label %q, sentence %q; want one with both", key, got.blocks, got.label, got.explanation)
				}
				if !strings.Contains(card, `<span class="status-icon" aria-hidden="true">`) {
					t.Errorf("%s: status without its symbol", key)
				}
				want, ok := tt.want[key]
				if !ok {
					continue
				}
				if got.code != want.code || got.label != want.label || !strings.Contains(plain(got.explanation), want.explanation) {
					t.Errorf("%s: got %s %q %q; want %s %q with %q", key, got.code, got.label, got.explanation, want.code, want.label, want.explanation)
				}
			}
			for _, p := range htmlProblems(body) {
				t.Errorf("HTML: %s", p)
			}
		})
	}
}

func TestDocumentPageStatusDetails(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name     string
		path     string
		card     string // "" = the whole page
		contains []string
		excludes []string
	}{
		{
			name: "year of the assessment and own processing", path: "/dokument/stromsund-program",
			contains: []string{
				`<h2 id="maluppfyllelse">Måluppfyllelse</h2>`, `<a href="#maluppfyllelse">Måluppfyllelse</a>`,
				"Bedömning per 2026", "Bedömningen är Inkluderas egen bearbetning",
				`<input type="text" id="ar" name="ar" value="2026"`,
			},
			excludes: []string{"Visa den aktuella bedömningen"},
		},
		{
			name: "summary of the document", path: "/dokument/stromsund-program",
			contains: []string{
				"<caption>Antal mål per status, bedömning per 2026</caption>",
				`<th scope="col">Status</th><th scope="col">Antal mål</th>`,
				statusRow("achieved", "✓", "Uppnått", 1), statusRow("on_track", "↗", "På väg", 2),
				statusRow("acceleration_needed", "→", "Behöver öka takten", 1),
				statusRow("limited_progress", "−", "Begränsad förbättring", 1),
				statusRow("deterioration", "↘", "Försämring", 1), statusRow("not_achieved", "✗", "Inte uppnått", 0),
				statusRow("cannot_assess", "?", "Kan inte bedömas", 2),
				`<tr><th scope="row">Totalt</th><td>8</td></tr>`,
				"8 mål: 1 uppnått, 2 på väg, 1 behöver öka takten, 1 begränsad förbättring, 1 försämring, 2 kan inte bedömas. Sammantaget:",
			},
		},
		{
			name: "summary of areas and goals", path: "/dokument/stromsund-program",
			contains: []string{
				// The area and its long-term goal hold the same four targets;
				// the goal's line says it counts its sub-goals.
				`<span class="rollup-title">Måluppfyllelse:</span> 4 mål: 1 på väg, 1 behöver öka takten, 1 försämring, 1 kan inte bedömas.`,
				`<span class="rollup-title">Måluppfyllelse med delmål:</span> 4 mål: 1 på väg, 1 behöver öka takten, 1 försämring, 1 kan inte bedömas.`,
				`<span class="rollup-title">Måluppfyllelse med delmål:</span> 2 mål: 1 försämring, 1 kan inte bedömas.`,
				`<span class="rollup-title">Måluppfyllelse:</span> 1 mål: 1 kan inte bedömas.`,
				`<span class="rollup-title">Måluppfyllelse:</span> 4 mål: 1 uppnått, 1 på väg, 1 begränsad förbättring, 1 kan inte bedömas.`,
			},
		},
		{
			name: "override beside the computed status", path: "/dokument/stromsund-program", card: "t-relativ",
			contains: []string{
				`<span class="status-label">Begränsad förbättring</span></span> <span class="status-kind">Manuell bedömning</span>`,
				`Bedömd för hand av Arbetsmarknadsnämnden, <time datetime="2025-11-20">2025-11-20</time>. Motivering: Arbetsförmedlingens månadssiffror visar att skillnaden minskar långsamt.`,
				`Beräknad status: <span class="status-badge status-cannot_assess">`,
				"Den beräknade statusen är Inkluderas egen bearbetning.",
			},
			// The sentence is the computation's; the override is shown apart.
			excludes: []string{"(amn, 2025-11-20)"},
		},
		{
			name: "qualitative target judged by hand", path: "/dokument/stromsund-program", card: "t-samverkan",
			contains: []string{"Manuell bedömning", "Bedömd för hand av Näringslivschefen. Motivering: Näringslivsrådet har träffats fyra gånger under året."},
		},
		{
			name: "no override, no manual assessment", path: "/dokument/stromsund-program", card: "t-utrikes-10",
			excludes: []string{"Manuell bedömning", "Beräknad status"},
		},
		{
			name: "women and men", path: "/dokument/stromsund-program", card: "t-utrikes-10",
			contains: []string{
				`<dt>Kvinnor</dt><dd><span class="status-badge status-acceleration_needed">`,
				`<dt>Män</dt><dd><span class="status-badge status-on_track">`,
				"Andelen ökade från 8,2 % (2015) till 9,8 % (2019)",
				"<dt>Skillnad mellan kvinnor och män 2019</dt>",
				"Kvinnor 9,0 %, män 9,8 %: kvinnornas värde är 0,8 procentenheter lägre än männens.",
			},
			// The list names the gender; the sentence does not repeat it.
			excludes: []string{"</span></span> Kvinnor: ", "</span></span> Män: "},
		},
		{
			name: "no gender split for a target set for women", path: "/dokument/stromsund-program", card: "t-kvinnor-oka",
			excludes: []string{"gender-status", "Skillnad mellan kvinnor och män"},
		},
		{
			name: "projection", path: "/dokument/stromsund-program?ar=2019", card: "t-utrikes-10",
			contains: []string{"<dt>Prognos 2020</dt><dd>" + "9,7 % (linjär trend), 9,8 %" + " (samma årliga förändring)"},
		},
		{
			name: "too few values for a projection", path: "/dokument/stromsund-program?ar=2019", card: "t-nojdhet",
			contains: []string{"<dt>Prognos 2022</dt><dd>För få värden för en prognos (minst tre behövs)"},
		},
		{
			name: "no projection once the target year is judged", path: "/dokument/stromsund-program", card: "t-nojdhet",
			excludes: []string{"Prognos"},
			contains: []string{"Värde för målåret 2022 saknas; första året därefter med värde (2023) bedöms."},
		},
		{
			name: "per-year target year by year", path: "/dokument/stromsund-program", card: "t-inflyttade-300",
			contains: []string{
				"<caption>År för år: minst " + "300 personer" + " per år</caption>",
				`<tr><th scope="row">2017</th><td>` + "280 personer" + `</td><td><span class="missed" aria-hidden="true">✗</span> Nej</td></tr>`,
				`<tr><th scope="row">2018</th><td>` + "310 personer" + `</td><td><span class="met" aria-hidden="true">✓</span> Ja</td></tr>`,
			},
		},
		{
			name: "latest value as of the chosen year", path: "/dokument/stromsund-program?ar=2022", card: "t-nojdhet",
			contains: []string{"70 %" + " (2020)"},
			excludes: []string{"2023"},
		},
		{
			name: "chosen year is said", path: "/dokument/stromsund-program?ar=2022",
			contains: []string{"Bedömning per 2022", "<caption>Antal mål per status, bedömning per 2022</caption>", `value="2022"`,
				`<a href="/dokument/stromsund-program">Visa den aktuella bedömningen</a>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			scope := plain(body)
			if tt.card != "" {
				var ok bool
				if scope, ok = targetCards(plain(body))[tt.card]; !ok {
					t.Fatalf("no card %s", tt.card)
				}
			}
			for _, want := range tt.contains {
				if !strings.Contains(scope, want) {
					t.Errorf("lacks %q", want)
				}
			}
			for _, bad := range tt.excludes {
				if strings.Contains(scope, bad) {
					t.Errorf("has %q", bad)
				}
			}
			for _, p := range htmlProblems(body) {
				t.Errorf("HTML: %s", p)
			}
			if t.Failed() {
				t.Logf("%s", scope)
			}
		})
	}
}

func statusRow(code, symbol, label string, n int) string {
	return `<tr><th scope="row"><span class="status-badge status-` + code + `"><span class="status-icon" aria-hidden="true">` + symbol +
		`</span> <span class="status-label">` + label + `</span></span></th><td>` + itoa(n) + `</td></tr>`
}

func itoa(n int) string { return strconv.Itoa(n) }

// summaryOf is a roll-up with the given counts per status.
func summaryOf(counts map[string]int) scorecard.Summary {
	s := scorecard.Summary{Code: progress.OnTrack, Label: progress.OnTrack.Label(), Icon: progress.OnTrack.Icon(), Counts: map[progress.Status]int{}}
	for _, st := range progress.Statuses {
		s.Counts[st] = counts[string(st)]
		s.Total += counts[string(st)]
	}
	return s
}

// TestEvaluationYearFromClock checks that the default year is the clock's:
// in 2021 the satisfaction target (2022) is still judged on its trend.
func TestEvaluationYearFromClock(t *testing.T) {
	e := newTestEnv(t)
	h := newHandler(e.st, nil, func() time.Time { return time.Date(2021, time.June, 1, 0, 0, 0, 0, time.UTC) })
	for _, tt := range []struct{ path, want string }{
		{"/dokument/stromsund-program", "Bedömning per 2021"},
		{"/api/v1/documents/stromsund-program/scorecard", `"evaluation_year":2021`},
	} {
		t.Run(tt.path, func(t *testing.T) {
			e2 := &testEnv{h: h}
			_, body := e2.do(t, "GET", tt.path)
			if !strings.Contains(body, tt.want) {
				t.Errorf("lacks %q", tt.want)
			}
			if strings.HasPrefix(tt.path, "/dokument/") {
				if got := parseCard(t, targetCards(body)["t-nojdhet"]); got.code != "on_track" {
					t.Errorf("t-nojdhet as of 2021: %s, want on_track", got.code)
				}
			}
		})
	}
}

func TestEvaluationYearParameter(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name   string
		path   string
		status int
		names  string // the parameter the message must name
	}{
		{"page: not a number", "/dokument/stromsund-program?ar=abc", 400, "”ar”"},
		{"page: five digits", "/dokument/stromsund-program?ar=20266", 400, "”ar”"},
		{"page: signed", "/dokument/stromsund-program?ar=%2B202", 400, "”ar”"},
		{"page: implausible", "/dokument/stromsund-program?ar=1850", 400, "”ar”"},
		{"page: unknown document first checks the year", "/dokument/okand?ar=x", 400, "”ar”"},
		{"page: fine", "/dokument/stromsund-program?ar=2015", 200, ""},
		{"page: spaces trimmed", "/dokument/stromsund-program?ar=+2015+", 200, ""},
		{"indicator page: not a number", "/indikatorer/utrikes-fodda-andel?org=2313&ar=20x0", 400, "”ar”"},
		{"indicator page: fine", "/indikatorer/utrikes-fodda-andel?org=2313&ar=2019", 200, ""},
		{"API: not a number", "/api/v1/documents/stromsund-program?year=abc", 400, `\"year\"`},
		{"API scorecard: too late", "/api/v1/documents/stromsund-program/scorecard?year=2101", 400, `\"year\"`},
		{"API scorecard: fine", "/api/v1/documents/stromsund-program/scorecard?year=2100", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.names != "" && !strings.Contains(body, tt.names) {
				t.Errorf("the message does not name the parameter %s:\n%s", tt.names, body)
			}
			if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				for _, p := range htmlProblems(body) {
					t.Errorf("HTML: %s", p)
				}
			}
		})
	}
}

func TestIndicatorPageShowsTargetStatus(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name     string
		path     string
		contains []string
		excludes []string
	}{
		{
			name: "status beside the target", path: "/indikatorer/nojdhet?org=2313",
			contains: []string{
				"Bedömning per 2026", "Bedömningen är Inkluderas egen bearbetning.",
				`<span class="status-label">Uppnått</span>`,
				`<p class="status-explanation">År 2023 var andelen ` + "78 %",
				`href="/dokument/stromsund-program#malvarde-t-nojdhet"`,
			},
		},
		{
			name: "chosen year carried to the document", path: "/indikatorer/nojdhet?org=2313&ar=2022",
			contains: []string{
				"Bedömning per 2022", `<span class="status-label">På väg</span>`,
				`href="/dokument/stromsund-program?ar=2022#malvarde-t-nojdhet"`,
			},
		},
		{
			name: "manual assessment", path: "/indikatorer/arbetslosa-utrikes?org=2313",
			contains: []string{
				`<span class="status-label">Begränsad förbättring</span></span> <span class="status-kind">Manuell bedömning</span>`,
				"Motivering: Arbetsförmedlingens månadssiffror visar att skillnaden minskar långsamt.",
				`Beräknad status: <span class="status-badge status-cannot_assess">`,
			},
		},
		{
			name: "one status per target", path: "/indikatorer/folkmangd?org=2313",
			contains: []string{`<span class="status-label">Försämring</span>`, "Kvinnor: Antalet minskade"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			if n, m := strings.Count(body, `<li class="indicator-target">`), strings.Count(body, `<div class="target-status `); n == 0 || n != m {
				t.Errorf("%d targets, %d statuses", n, m)
			}
			for _, want := range tt.contains {
				if !strings.Contains(plain(body), want) {
					t.Errorf("lacks %q", want)
				}
			}
			for _, p := range htmlProblems(body) {
				t.Errorf("HTML: %s", p)
			}
			if t.Failed() {
				t.Logf("%s", body)
			}
		})
	}
}

// apiStatus is the part of a status every target must carry.
type apiStatus struct {
	Code        string                     `json:"code"`
	Label       struct{ SV, EN string }    `json:"label"`
	Explanation struct{ SV, EN string }    `json:"explanation"`
	Inputs      map[string]json.RawMessage `json:"inputs"`
}

func TestAPIDocumentStatuses(t *testing.T) {
	e := newTestEnv(t)
	keys := fixtureTargets(t)
	tests := []struct {
		name  string
		path  string
		year  float64
		codes map[string]string // some targets' expected codes
	}{
		{"as of the clock's year", "/api/v1/documents/stromsund-program", 2026,
			map[string]string{"t-nojdhet": "achieved", "t-relativ": "limited_progress", "t-framtid": "cannot_assess"}},
		{"as of a chosen year", "/api/v1/documents/stromsund-program?year=2022", 2022,
			map[string]string{"t-nojdhet": "on_track"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			var doc struct {
				Areas []struct {
					Goals []json.RawMessage `json:"goals"`
				} `json:"areas"`
			}
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			type goal struct {
				Targets []struct {
					Key    string    `json:"key"`
					Status apiStatus `json:"status"`
				} `json:"targets"`
				Goals []json.RawMessage `json:"goals"`
			}
			got := map[string]apiStatus{}
			var walk func([]json.RawMessage)
			walk = func(goals []json.RawMessage) {
				for _, raw := range goals {
					var g goal
					if err := json.Unmarshal(raw, &g); err != nil {
						t.Fatal(err)
					}
					for _, tg := range g.Targets {
						got[tg.Key] = tg.Status
					}
					walk(g.Goals)
				}
			}
			for _, a := range doc.Areas {
				walk(a.Goals)
			}
			if len(got) != len(keys) {
				t.Errorf("%d targets in the JSON, want %d", len(got), len(keys))
			}
			for _, k := range keys {
				st, ok := got[k]
				switch {
				case !ok:
					t.Errorf("%s: missing", k)
				case st.Code == "" || st.Label.SV == "" || st.Explanation.SV == "" || st.Inputs == nil:
					t.Errorf("%s: incomplete status %+v", k, st)
				case string(st.Inputs["evaluation_year"]) != itoa(int(tt.year)):
					t.Errorf("%s: evaluated as of %s, want %v", k, st.Inputs["evaluation_year"], tt.year)
				}
				if want, ok := tt.codes[k]; ok && st.Code != want {
					t.Errorf("%s: code %s, want %s", k, st.Code, want)
				}
			}
		})
	}
}

// TestAPIDocumentKeepsItsShape checks that adding statuses changed nothing
// else: without the "status" of each target, the JSON is the strategy
// package's own encoding of the document.
func TestAPIDocumentKeepsItsShape(t *testing.T) {
	e := newTestEnv(t)
	d, err := e.st.Document(context.Background(), "stromsund-program")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(plain, &want); err != nil {
		t.Fatal(err)
	}
	_, body := e.do(t, "GET", "/api/v1/documents/stromsund-program")
	var got any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	removed := 0
	var strip func(v any)
	strip = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if targets, ok := v["targets"].([]any); ok {
				for _, tg := range targets {
					if m, ok := tg.(map[string]any); ok {
						if _, ok := m["status"]; ok {
							delete(m, "status")
							removed++
						}
					}
				}
			}
			for _, c := range v {
				strip(c)
			}
		case []any:
			for _, c := range v {
				strip(c)
			}
		}
	}
	strip(got)
	if removed != len(fixtureTargets(t)) {
		t.Errorf("removed %d statuses, want one per target (%d)", removed, len(fixtureTargets(t)))
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("the document's JSON changed beyond the statuses:\ngot  %s\nwant %s", g, w)
	}
}

func TestAPIScorecard(t *testing.T) {
	e := newTestEnv(t)
	keys := fixtureTargets(t)
	type summary struct {
		Code     string         `json:"code"`
		Counts   map[string]int `json:"counts"`
		Total    int            `json:"total"`
		Assessed int            `json:"assessed"`
	}
	type goal struct {
		Key     string  `json:"key"`
		Summary summary `json:"summary"`
		Targets []struct {
			Key    string    `json:"key"`
			Status apiStatus `json:"status"`
		} `json:"targets"`
		Goals []goal `json:"goals"`
	}
	var sc struct {
		Document       string  `json:"document"`
		Org            string  `json:"org"`
		EvaluationYear int     `json:"evaluation_year"`
		Summary        summary `json:"summary"`
		Areas          []struct {
			Key     string  `json:"key"`
			Summary summary `json:"summary"`
			Goals   []goal  `json:"goals"`
		} `json:"areas"`
	}
	checkSum := func(where string, s summary) {
		sum := 0
		for _, n := range s.Counts {
			sum += n
		}
		if sum != s.Total || len(s.Counts) != 7 {
			t.Errorf("%s: counts %v add up to %d over %d statuses; want total %d over 7", where, s.Counts, sum, len(s.Counts), s.Total)
		}
	}
	tests := []struct {
		name   string
		path   string
		year   int
		counts map[string]int
	}{
		{"as of the clock's year", "/api/v1/documents/stromsund-program/scorecard", 2026,
			map[string]int{"achieved": 1, "on_track": 2, "acceleration_needed": 1, "limited_progress": 1, "deterioration": 1, "not_achieved": 0, "cannot_assess": 2}},
		{"as of a chosen year", "/api/v1/documents/stromsund-program/scorecard?year=2022", 2022,
			map[string]int{"achieved": 0, "on_track": 3, "acceleration_needed": 1, "limited_progress": 1, "deterioration": 1, "not_achieved": 0, "cannot_assess": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := e.do(t, "GET", tt.path)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			if err := json.Unmarshal([]byte(body), &sc); err != nil {
				t.Fatal(err)
			}
			if sc.Document != "stromsund-program" || sc.Org != "2313" || sc.EvaluationYear != tt.year {
				t.Errorf("document %q org %q year %d", sc.Document, sc.Org, sc.EvaluationYear)
			}
			if sc.Summary.Total != len(keys) {
				t.Errorf("total %d, want %d targets", sc.Summary.Total, len(keys))
			}
			if !reflect.DeepEqual(sc.Summary.Counts, tt.counts) {
				t.Errorf("counts %v, want %v", sc.Summary.Counts, tt.counts)
			}
			checkSum("document", sc.Summary)
			seen := 0
			var walk func(gs []goal) int
			walk = func(gs []goal) int {
				n := 0
				for _, g := range gs {
					own := len(g.Targets)
					for _, tg := range g.Targets {
						if tg.Status.Code == "" || tg.Status.Label.SV == "" || tg.Status.Explanation.SV == "" {
							t.Errorf("%s: incomplete status", tg.Key)
						}
					}
					seen += own
					own += walk(g.Goals)
					if g.Summary.Total != own {
						t.Errorf("goal %s: total %d, want %d (its subtree)", g.Key, g.Summary.Total, own)
					}
					checkSum("goal "+g.Key, g.Summary)
					n += own
				}
				return n
			}
			areaSum := 0
			for _, a := range sc.Areas {
				n := walk(a.Goals)
				if a.Summary.Total != n {
					t.Errorf("area %s: total %d, want %d", a.Key, a.Summary.Total, n)
				}
				checkSum("area "+a.Key, a.Summary)
				areaSum += a.Summary.Total
			}
			if seen != len(keys) || areaSum != sc.Summary.Total {
				t.Errorf("%d targets in the tree, areas total %d; want %d", seen, areaSum, len(keys))
			}
		})
	}
	for _, path := range []string{"/api/v1/documents/okand/scorecard", "/api/v1/documents/okand?year=2020"} {
		t.Run("unknown document "+path, func(t *testing.T) {
			res, body := e.do(t, "GET", path)
			if res.StatusCode != 404 || !strings.Contains(body, `"code":"not_found"`) {
				t.Errorf("status %d, body %s; want 404 not_found", res.StatusCode, body)
			}
		})
	}
}

// TestStatusTextHelpers covers the formatting the cards rely on.
func TestStatusTextHelpers(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"capitalise", capitalise("på väg"), "På väg"},
		{"capitalise accented", capitalise("över"), "Över"},
		{"capitalise empty", capitalise(""), ""},
		{"points", difference(-0.8, 1, "%"), nb("0,8 procentenheter")},
		{"one point", difference(1, 0, "%"), nb("1 procentenhet")},
		{"count", difference(-120, 0, "personer"), nb("120 personer")},
		{"sentence", endSentence("Enkäten visar det"), "Enkäten visar det."},
		{"sentence kept", endSentence("Klart!"), "Klart!"},
		{"summary line", text(newSummaryView(summaryOf(map[string]int{"achieved": 1, "on_track": 1, "acceleration_needed": 1})).Line),
			"3 mål: 1 uppnått, 1 på väg, 1 behöver öka takten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	if v := newSummaryView(summaryOf(nil)); v != nil {
		t.Errorf("a roll-up of no targets gives %+v, want none", v)
	}
}
