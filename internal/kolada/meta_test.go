package kolada

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOrgCode(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"kommun", "2380", "2380", true},
		{"kommun in län 01", "0114", "0114", true},
		{"region", "0023", "23", true},
		{"region Skåne", "0012", "12", true},
		{"riket", "0000", "00", true},
		{"no such län", "0099", "", false},
		{"group", "G176199", "", false},
		{"organisational unit", "V15E144001301", "", false},
		{"our county code is not Kolada's", "23", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := OrgCode(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("OrgCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if ok {
				if back := KoladaID(got); back != tt.in {
					t.Errorf("KoladaID(%q) = %q, want %q", got, back, tt.in)
				}
			}
		})
	}
	if got := KoladaID("G176199"); got != "G176199" {
		t.Errorf("KoladaID(group) = %q", got)
	}
}

func TestPreliminary(t *testing.T) {
	// N00097's pattern (datasources §1.4): 2025 preliminary from
	// 2026-05-04 until the final publication on 2026-09-30.
	k := KPI{ID: "N00097", PublPeriod: 2025, PrelPublicationDate: date("2026-05-04"), PublicationDate: date("2026-09-30")}
	noPrel := KPI{ID: "N02926", PublPeriod: 2026, PublicationDate: date("2027-02-24")}
	noFinal := KPI{ID: "X", PublPeriod: 2025, PrelPublicationDate: date("2026-05-04")}
	at := func(s string) time.Time {
		t, _ := time.Parse(time.RFC3339, s)
		return t
	}
	tests := []struct {
		name   string
		k      KPI
		period int
		now    time.Time
		want   bool
	}{
		{"before the preliminary publication", k, 2025, at("2026-05-03T23:59:59Z"), false},
		{"on the day of the preliminary publication", k, 2025, at("2026-05-04T00:00:00Z"), true},
		{"between the publications", k, 2025, at("2026-07-01T12:00:00Z"), true},
		{"the day before the final", k, 2025, at("2026-09-29T23:00:00Z"), true},
		{"on the day of the final publication", k, 2025, at("2026-09-30T06:00:00Z"), false},
		{"an earlier year is final", k, 2024, at("2026-07-01T12:00:00Z"), false},
		{"in another zone, UTC date counts", k, 2025, at("2026-05-04T01:00:00+02:00"), false},
		{"no preliminary publication", noPrel, 2026, at("2026-12-01T00:00:00Z"), false},
		{"no final date: preliminary until metadata says otherwise", noFinal, 2025, at("2027-01-01T00:00:00Z"), true},
		{"no publ_period", KPI{PrelPublicationDate: date("2026-05-04")}, 2025, at("2026-07-01T00:00:00Z"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.k.Preliminary(tt.period, tt.now); got != tt.want {
				t.Errorf("Preliminary(%d, %v) = %v, want %v", tt.period, tt.now, got, tt.want)
			}
		})
	}
}

func TestKPIs(t *testing.T) {
	api := newFakeAPI(t, map[string][]reply{
		"/v3/kpi/N02926,N00973,N00217?per_page=5000": ok("kpi.json"),
	})
	clk := newFakeClock(true)
	kpis, err := New(api.base(), clk.options()...).KPIs(context.Background(), "N02926", "N00973", "N00217", "N02926")
	if err != nil {
		t.Fatal(err)
	}
	want := []KPI{
		{
			ID: "N02926", Title: "Utrikes födda, andel (%)",
			Description:     "Antalet personer födda utomlands dividerat med antal invånare 31/12. Källa: Registret över totalbefolkningen (RTB)",
			DividedByGender: true, MunicipalityType: "K", Auspice: "X", OperatingArea: "Befolkning", Perspective: "Volymer",
			PublPeriod: 2026, PublicationDate: date("2027-02-24"),
		},
		{
			ID: "N00973", Title: "Lämnat etableringsuppdraget och börjat arbeta eller studera (status efter 90 dagar), andel (%)",
			DividedByGender: true, MunicipalityType: "K", OperatingArea: "Arbetsmarknad", Perspective: "Kvalitet och resultat",
			PublPeriod: 2025, PrelPublicationDate: date("2026-05-04"), PublicationDate: date("2026-09-30"),
		},
		{
			ID: "N00217", Title: "Anställda utrikes födda, kommun, balanstal",
			MunicipalityType: "K", OperatingArea: "Personal", Perspective: "Övrigt",
			PublPeriod: 2025, PublicationDate: date("2026-06-30"), // publ_period as a number: read all the same
		},
	}
	if len(kpis) != len(want) {
		t.Fatalf("%d KPIs, want %d", len(kpis), len(want))
	}
	for i, w := range want {
		g := kpis[i]
		if i > 0 {
			g.Description = "" // illustrative text; not compared
		}
		if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
			t.Errorf("KPI %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestKPIsChunked(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		ids := strings.Split(strings.TrimPrefix(r.URL.Path, "/v3/kpi/"), ",")
		var vals []string
		for _, id := range ids {
			vals = append(vals, fmt.Sprintf(`{"id":%q,"title":"T","publ_period":"2025"}`, id))
		}
		fmt.Fprintf(w, `{"values":[%s],"count":%d,"next_url":null}`, strings.Join(vals, ","), len(vals))
	}))
	defer srv.Close()
	clk := newFakeClock(true)
	kpis, err := New(srv.URL+"/v3", clk.options()...).KPIs(context.Background(), ids("N", 30)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 || len(kpis) != 30 {
		t.Errorf("%d requests %q, %d KPIs; want 2 and 30", len(paths), paths, len(kpis))
	}
}

func TestMunicipalities(t *testing.T) {
	api := newFakeAPI(t, map[string][]reply{"/v3/municipality?per_page=5000": ok("municipality.json")})
	clk := newFakeClock(true)
	ms, err := New(api.base(), clk.options()...).Municipalities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.ID+"→"+m.Code+" "+m.Title+" "+m.Type)
		if len(m.Warnings) > 0 {
			t.Errorf("%s: warnings %q", m.ID, m.Warnings)
		}
	}
	want := []string{
		"0000→00 Riket L", "0012→12 Region Skåne L", "0023→23 Region Jämtland Härjedalen L",
		"0319→0319 Älvkarleby K", "1280→1280 Malmö K", "2380→2380 Östersund K",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestMunicipalityGroups(t *testing.T) {
	api := newFakeAPI(t, map[string][]reply{
		"/v3/municipality_groups/G176199,G900001,G900002?per_page=5000": ok("municipality_groups.json"),
	})
	clk := newFakeClock(true)
	gs, err := New(api.base(), clk.options()...).MunicipalityGroups(context.Background(), "G176199", "G900001", "G900002")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		title    string
		members  []string // code title
		warnings []string // parts, in order
	}
	wants := map[string]want{
		"G176199": {
			title:   "Liknande kommuner socioekonomi, Arboga, 2024",
			members: []string{"0319 Älvkarleby", "0360 Tierp", "2161 Ljusdal"},
		},
		"G900001": {
			title:    "Liknande kommuner socioekonomi, Östersund, 2024",
			members:  []string{"2380 Östersund", "0319 Älvkarleby", "1280 Malmö"},
			warnings: []string{"title of group G900001 was double-encoded", "member 2380", "member 0319", "member 1280"},
		},
		"G900002": {
			title:    "",
			members:  []string{"2180 Gävle", " Exempelskolan"},
			warnings: []string{"title of group G900002", "could not be repaired", `member "V15E144001301"`},
		},
	}
	if len(gs) != len(wants) {
		t.Fatalf("%d groups, want %d", len(gs), len(wants))
	}
	for _, g := range gs {
		w := wants[g.ID]
		t.Run(g.ID, func(t *testing.T) {
			if g.Title != w.title {
				t.Errorf("title %q, want %q", g.Title, w.title)
			}
			var ms []string
			for _, m := range g.Members {
				ms = append(ms, m.Code+" "+m.Title)
			}
			if !slices.Equal(ms, w.members) {
				t.Errorf("members %q, want %q", ms, w.members)
			}
			all := strings.Join(g.Warnings, "\n")
			for _, part := range w.warnings {
				if !strings.Contains(all, part) {
					t.Errorf("warnings %q lack %q", g.Warnings, part)
				}
			}
			if len(w.warnings) == 0 && len(g.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", g.Warnings)
			}
		})
	}
}

func TestTextClean(t *testing.T) {
	tests := []struct {
		name     string
		raw      string // JSON string literal, bytes as they come
		want     string
		warnPart string // "" means no warning
	}{
		{"plain Swedish", `"Östersund"`, "Östersund", ""},
		{"ASCII", `"Riket"`, "Riket", ""},
		{"null", `null`, "", ""},
		{"double-encoded ä via Latin-1", `"GÃ¤vle"`, "Gävle", "double-encoded"},
		{"double-encoded Ö via Windows-1252", `"Ã–stersund"`, "Östersund", "double-encoded"},
		{"double-encoded Å via Windows-1252", `"Ã…tvidaberg"`, "Åtvidaberg", "double-encoded"},
		{"double-encoded Ä via Windows-1252", `"Ã„ngelholm"`, "Ängelholm", "double-encoded"},
		{"double-encoded twice", `"GÃƒÂ¤vle"`, "Gävle", "double-encoded"},
		{"double-encoded in escapes", `"Malm\u00c3\u00b6"`, "Malmö", "double-encoded"},
		{"double-encoded, broken after repair", `"GÃ¤vle Ã och"`, "", "could not be repaired"},
		{"double-encoded but not Swedish", `"Ã©tÃ©"`, "été", "double-encoded"},
		{"double-encoded to a control character", `"GÃ¤vle Â` + "\u0080" + `"`, "", "could not be repaired"},
		{"Latin-1 bytes", "\"G\xe4vle\"", "Gävle", "not valid UTF-8; repaired"},
		{"Latin-1 bytes beside valid UTF-8", "\"\xd6stersund och Malmö\"", "Östersund och Malmö", "repaired"},
		{"invalid bytes that are no letters", "\"Grupp \x81\x82\"", "", "could not be repaired"},
		{"invalid bytes without Swedish letters", "\"Grupp \xff\"", "", "could not be repaired"},
		{"invalid byte beside a real ä", "\"Gävle \xff\"", "", "could not be repaired"},
		{"replacement character", `"G\ufffdvle"`, "", "replacement"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var x text
			// encoding/json hands the unmarshaler the raw bytes, invalid
			// UTF-8 included.
			if err := json.Unmarshal([]byte(tt.raw), &x); err != nil {
				t.Fatal(err)
			}
			got, warn := x.clean("title")
			if got != tt.want {
				t.Errorf("clean = %q, want %q", got, tt.want)
			}
			if (tt.warnPart == "") != (warn == "") || !strings.Contains(warn, tt.warnPart) {
				t.Errorf("warning %q, want one containing %q", warn, tt.warnPart)
			}
		})
	}
}

// TestBrokenBytesInPage: a page whose bytes are not UTF-8 is still read,
// and the group's title is repaired (encoding/json alone would have turned
// the byte into U+FFFD).
func TestBrokenBytesInPage(t *testing.T) {
	body := "{\"values\":[{\"id\":\"G1\",\"title\":\"Liknande kommuner, G\xe4vle\",\"members\":[{\"member_id\":\"2180\",\"member_title\":\"G\xe4vle\"}]}],\"count\":1,\"next_url\":null}"
	api := newFakeAPI(t, map[string][]reply{"/v3/municipality_groups/G1?per_page=5000": {{body: body}}})
	clk := newFakeClock(true)
	gs, err := New(api.base(), clk.options()...).MunicipalityGroups(context.Background(), "G1")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Title != "Liknande kommuner, Gävle" || gs[0].Members[0].Title != "Gävle" || len(gs[0].Warnings) != 2 {
		t.Errorf("got %+v", gs)
	}
}

func TestKPIOddFields(t *testing.T) {
	body := `{"values":[{"id":"N1","title":"MalmÃ¶","is_divided_by_gender":1,"publ_period":"sen","prel_publication_date":"2026-05-04T00:00:00","publication_date":"30/9"}],"next_url":null}`
	api := newFakeAPI(t, map[string][]reply{"/v3/kpi/N1?per_page=5000": {{body: body}}})
	clk := newFakeClock(true)
	kpis, err := New(api.base(), clk.options()...).KPIs(context.Background(), "N1")
	if err != nil {
		t.Fatal(err)
	}
	k := kpis[0]
	if k.Title != "Malmö" || !k.DividedByGender || k.PublPeriod != 0 || !k.PrelPublicationDate.Equal(date("2026-05-04")) || !k.PublicationDate.IsZero() {
		t.Errorf("got %+v", k)
	}
	for _, part := range []string{"double-encoded", "publ_period", "publication_date"} {
		if !hasWarning(k.Warnings, part) {
			t.Errorf("warnings %q lack %q", k.Warnings, part)
		}
	}
}

// FuzzCleanText: whatever the bytes, the text kept is valid UTF-8 and a
// repair is always announced.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{`"GÃ¤vle"`, "\"G\xe4vle\"", `"Ã–stersund"`, `"GÃ¤vle Ã"`, `"Riket"`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var x text
		if err := json.Unmarshal(raw, &x); err != nil {
			return
		}
		got, warn := x.clean("title")
		if !utf8.ValidString(got) {
			t.Errorf("clean(%q) = %q: not UTF-8", raw, got)
		}
		if got != x.s && warn == "" {
			t.Errorf("clean(%q) changed %q to %q silently", raw, x.s, got)
		}
	})
}
