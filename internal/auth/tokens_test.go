package auth

import (
	"net/http/httptest"
	"regexp"
	"testing"
)

func TestNewAPIToken(t *testing.T) {
	format := regexp.MustCompile(`^ink_[a-z2-7]{52}$`)
	seen := map[string]bool{}
	for range 100 {
		secret, hash := NewAPIToken()
		if !format.MatchString(secret) {
			t.Fatalf("secret %q is not ink_ and 52 lower-case base32 characters", secret)
		}
		if hash != HashToken(secret) {
			t.Fatalf("hash %q is not HashToken of the secret", hash)
		}
		if seen[secret] {
			t.Fatalf("secret %q made twice", secret)
		}
		seen[secret] = true
	}
}

func TestHashToken(t *testing.T) {
	// FIPS 180-2's test vector.
	if got := HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", got)
	}
	if HashToken("ink_a") == HashToken("ink_b") {
		t.Error("different secrets, same hash")
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		name   string
		header []string // Authorization values; nil: none
		want   string
		ok     bool
	}{
		{"token", []string{"Bearer ink_abc234"}, "ink_abc234", true},
		{"scheme in lower case", []string{"bearer ink_abc"}, "ink_abc", true},
		{"scheme in upper case, two spaces", []string{"BEARER  ink_abc"}, "ink_abc", true},
		{"token68 characters and padding", []string{"Bearer a-b.c_d~e+f/g=="}, "a-b.c_d~e+f/g==", true},
		{"no header", nil, "", false},
		{"empty header", []string{""}, "", false},
		{"scheme only", []string{"Bearer"}, "", false},
		{"scheme and space", []string{"Bearer "}, "", false},
		{"basic", []string{"Basic dXNlcjpwYXNz"}, "", false},
		{"no space", []string{"Bearerink_abc"}, "", false},
		{"two tokens", []string{"Bearer ink_a ink_b"}, "", false},
		{"trailing space", []string{"Bearer ink_a "}, "", false},
		{"padding inside", []string{"Bearer ab=c"}, "", false},
		{"only padding", []string{"Bearer =="}, "", false},
		{"comma", []string{"Bearer ink_a,ink_b"}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/documents", nil)
			for _, h := range tc.header {
				r.Header.Add("Authorization", h)
			}
			got, ok := BearerToken(r)
			if got != tc.want || ok != tc.ok {
				t.Errorf("BearerToken = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
