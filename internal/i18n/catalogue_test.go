package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCataloguesLoad: every catalogue file parses, its name ends in one of
// the languages' codes, and no id is defined twice.
func TestCataloguesLoad(t *testing.T) {
	if _, err := loadBundle(); err != nil {
		t.Fatal(err)
	}
	for _, l := range Languages {
		if _, err := Catalogue(l.Code); err != nil {
			t.Error(err)
		}
	}
}

// TestCataloguesComplete fails when a catalogue lacks a message the
// Swedish one has, or has one Swedish does not (a leftover that no page
// shows, or a typo in an id).
func TestCataloguesComplete(t *testing.T) {
	sv, err := Catalogue("sv")
	if err != nil {
		t.Fatal(err)
	}
	if len(sv) == 0 {
		t.Fatal("the Swedish catalogue is empty")
	}
	for _, l := range Languages[1:] {
		ids, err := Catalogue(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		var missing, extra []string
		for id := range sv {
			if !ids[id] {
				missing = append(missing, id)
			}
		}
		for id := range ids {
			if !sv[id] {
				extra = append(extra, id)
			}
		}
		slices.Sort(missing)
		slices.Sort(extra)
		if len(missing) > 0 {
			t.Errorf("%s lacks %d messages the Swedish catalogue has: %s", l.Code, len(missing), strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			t.Errorf("%s has %d messages the Swedish catalogue lacks: %s", l.Code, len(extra), strings.Join(extra, ", "))
		}
	}
}

// TestMessagesRender: every message of every language renders without a
// template error, and uses only the placeholders the Swedish message has
// (a translation that invents one would show "<no value>").
func TestMessagesRender(t *testing.T) {
	sv, err := messages("sv")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Languages {
		msgs, err := messages(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		loc := For(l.Code)
		for id, text := range msgs {
			want := placeholders(sv[id])
			for name := range placeholders(text) {
				if !want[name] {
					t.Errorf("%s %s uses {{.%s}}, which the Swedish message does not have", l.Code, id, name)
				}
			}
			args := []any{"Count", 2}
			for name := range want {
				if name != "Count" {
					args = append(args, name, "x")
				}
			}
			if s := loc.T(id, args...); strings.Contains(s, "⟦") || strings.Contains(s, "<no value>") {
				t.Errorf("%s %s renders as %q", l.Code, id, s)
			}
		}
	}
}

var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)`)

func placeholders(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

func TestFormats(t *testing.T) {
	day := time.Date(2026, time.November, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		lang         string
		number, date string
	}{
		{"sv", "−1\u00a0234,5", "2026-11-22"},
		{"en", "-1,234.5", "22 November 2026"},
		{"ar", "١٬٢٣٤٫٥", "٢٢"},
		{"fa", "۱٬۲۳۴٫۵", "۲۲"},
	}
	for _, tc := range tests {
		l := For(tc.lang)
		n := -1234.5
		if tc.lang == "ar" || tc.lang == "fa" {
			n = 1234.5
		}
		if got := l.Number(n, 1); !strings.Contains(got, tc.number) {
			t.Errorf("%s Number = %q, want %q", tc.lang, got, tc.number)
		}
		if got := l.Date(day); !strings.Contains(got, tc.date) {
			t.Errorf("%s Date = %q, want it to contain %q", tc.lang, got, tc.date)
		}
	}
	if got := For("en").Number(-0.04, 1); got != "0.0" {
		t.Errorf("a value that rounds to zero has a sign: %q", got)
	}
	if got := For("ar").Year(2026); got != "٢٠٢٦" {
		t.Errorf("Arabic year %q", got)
	}
}
