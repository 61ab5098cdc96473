package auth

import (
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func TestCheckNewPassword(t *testing.T) {
	personal := []string{"anna.andersson@ostersund.se", "Anna Andersson"}
	tests := []struct {
		password string
		says     string // part of the message; "" = accepted
	}{
		// Accepted: long enough, not guessable; no digits or symbols needed.
		{"korrekt häst batteri häftklammer", ""},
		{"sommarstugan på frösön", ""},
		{"Sommar i Jämtland 2024", ""},
		{"mållgångsfärdig", ""},
		{"一二三四五六七八九十百千", ""}, // any script; 12 characters
		{"tolv tecken!", ""},
		{"anna andersson sover inte", ""}, // contains the name, but is not it

		// Too short, counted in characters, not bytes.
		{"", "minst 12 tecken (det har 0)"},
		{"åäöåäöåäöåä", "minst 12 tecken (det har 11)"},
		{"kort lösen", "minst 12 tecken"},
		{strings.Repeat("lång ", 300), "för långt"},

		// Common passwords, as they are and as stems with digits and signs.
		{"password1234", "för vanligt"},
		{"Lösenord123456", "för vanligt"},
		{"Sommar2024!!", "för vanligt"},
		{"  Hösten 2025!  ", "för vanligt"},
		{"1q2w3e4r5t6y", "för vanligt"},
		{"qwertyuiopå", "minst 12"}, // eleven characters
		{"Qwertyuiopå1", "för vanligt"},
		{"P@ssw0rd!2024", "för vanligt"},
		{"correct horse battery staple", "för vanligt"},
		{"CorrectHorseBatteryStaple", "för vanligt"},
		{"Inkludera2026!", "för vanligt"},
		{"kalleanka1234", "för vanligt"},
		{"Hammarby1897!", "för vanligt"},

		// Repetitive and sequential.
		{"aaaaaaaaaaaa", "för vanligt"},
		{"abababababab", "för vanligt"},
		{"hejhejhejhej", "för vanligt"},
		{"hej hej hej hej", "för vanligt"},
		{"passwordpassword", "för vanligt"},
		{"sommarsommar", "för vanligt"},
		{"234567890123", "för vanligt"},
		{"210987654321", "för vanligt"},
		{"abcdefghijklm", "för vanligt"},

		// Built on the user's own e-mail or name.
		{"anna.andersson@ostersund.se", "e-postadress eller ditt namn"},
		{"Anna.Andersson2024", "e-postadress eller ditt namn"},
		{"annaandersson!!", "e-postadress eller ditt namn"},
		{"Anna Andersson 1985", "e-postadress eller ditt namn"},
	}
	for _, tc := range tests {
		t.Run(tc.password, func(t *testing.T) {
			err := CheckNewPassword(tc.password, personal...)
			if tc.says == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, want %q", tc.says)
			}
			if strategy.CodeOf(err) != strategy.CodeInvalid || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v (%s), want invalid mentioning %q", err, strategy.CodeOf(err), tc.says)
			}
		})
	}
}

// The embedded list is there and clean: lower case, no duplicates that
// differ only in case, and a few hundred entries.
func TestCommonPasswordList(t *testing.T) {
	list := commonPasswords()
	if len(list) < 300 {
		t.Errorf("%d entries", len(list))
	}
	for pw := range list {
		if strings.ToLower(pw) != pw || strings.TrimSpace(pw) != pw {
			t.Errorf("entry %q is not lower case and trimmed", pw)
		}
	}
	for _, must := range []string{"123456", "password", "qwerty", "lösenord", "sommar", "inkludera"} {
		if !list[must] {
			t.Errorf("%q is not on the list", must)
		}
	}
}
