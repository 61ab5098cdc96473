package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// cheap are parameters for tests that make many hashes; DefaultParams cost
// tens of milliseconds each, more under the race detector.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func mustHash(t testing.TB, p Params, password string) string {
	t.Helper()
	h, err := hashWith(p, password)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHashPassword(t *testing.T) {
	const pw = "korrekt häst batteri häftklammer"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(h) {
		t.Fatalf("hash %q is not a PHC string with the default parameters", h)
	}
	if ok, err := CheckPassword(h, pw); !ok || err != nil {
		t.Errorf("CheckPassword(right) = %v, %v", ok, err)
	}
	for _, wrong := range []string{"korrekt häst batteri häftklammeR", "korrekt häst batteri häftklammer ", "", strings.Repeat("x", MaxPasswordBytes+1)} {
		if ok, err := CheckPassword(h, wrong); ok || err != nil {
			t.Errorf("CheckPassword(%.20q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
	if NeedsRehash(h) {
		t.Error("a fresh hash needs rehashing")
	}
	if h2, _ := HashPassword(pw); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if _, err := HashPassword(""); err == nil {
		t.Error("hashed an empty password")
	}
	if _, err := HashPassword(strings.Repeat("x", MaxPasswordBytes+1)); err == nil {
		t.Error("hashed an over-long password")
	}
}

// TestReferenceHashes checks hashes made by the reference implementation
// (libargon2 20171227, argon2id_hash_encoded), so that our PHC strings are
// the standard ones and hashes can move between systems.
func TestReferenceHashes(t *testing.T) {
	tests := []struct{ password, hash string }{
		{"korrekt häst batteri häftklammer",
			"$argon2id$v=19$m=19456,t=2,p=1$aW5rbHVkZXJhLXNhbHQxNg$gwEXPWBYj9sACx09TTlKc/mNDMTqpOnIDuwmrM7il6Y"},
		{"password",
			"$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"},
	}
	for _, tc := range tests {
		ok, err := CheckPassword(tc.hash, tc.password)
		if !ok || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v", tc.hash, ok, err)
		}
		p, salt, key, err := decode(tc.hash)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(p, salt, key); got != tc.hash {
			t.Errorf("re-encoded as %q, want %q", got, tc.hash)
		}
	}
	if NeedsRehash(tests[0].hash) {
		t.Error("the reference hash with the default parameters needs rehashing")
	}
	if !NeedsRehash(tests[1].hash) {
		t.Error("a hash with other parameters does not need rehashing")
	}
}

// A password typed as "å" or as "a" and a combining ring is the same
// password (NFKC), as is one with a full-width or ligature form.
func TestPasswordNormalisation(t *testing.T) {
	h := mustHash(t, cheap, "Åsa på Frösön 2026")
	for _, same := range []string{"A\u030asa pa\u030a Fro\u0308so\u0308n 2026", "Åsa på Frösön ２０２６"} {
		if ok, _ := CheckPassword(h, same); !ok {
			t.Errorf("%q does not match its normalised form", same)
		}
	}
}

// Hashes made with weaker parameters still verify, and are to be replaced.
func TestOldParameters(t *testing.T) {
	for _, p := range []Params{
		{Memory: 4096, Time: 3, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 19 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 19 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32},
		{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 16},
	} {
		h := mustHash(t, p, "ett lösenord som duger")
		if ok, err := CheckPassword(h, "ett lösenord som duger"); !ok || err != nil {
			t.Errorf("%+v: CheckPassword = %v, %v", p, ok, err)
		}
		if !NeedsRehash(h) {
			t.Errorf("%+v: NeedsRehash = false", p)
		}
	}
}

func TestMalformedHashes(t *testing.T) {
	good := "$argon2id$v=19$m=64,t=1,p=1$aW5rbHVkZXJhLXNhbHQxNg$gwEXPWBYj9sACx09TTlKc/mNDMTqpOnIDuwmrM7il6Y"
	if _, err := CheckPassword(good, "x"); err != nil {
		t.Fatalf("the base case is malformed: %v", err)
	}
	for name, h := range map[string]string{
		"empty":           "",
		"bcrypt":          "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":         strings.Replace(good, "argon2id", "argon2i", 1),
		"old version":     strings.Replace(good, "v=19", "v=16", 1),
		"no version":      strings.Replace(good, "$v=19", "", 1),
		"zero memory":     strings.Replace(good, "m=64", "m=0", 1),
		"huge memory":     strings.Replace(good, "m=64", "m=4294967295", 1),
		"memory overflow": strings.Replace(good, "m=64", "m=4294967296", 1),
		"too many passes": strings.Replace(good, "t=1", "t=1000", 1),
		"zero lanes":      strings.Replace(good, "p=1", "p=0", 1),
		"lanes overflow":  strings.Replace(good, "p=1", "p=256", 1),
		"memory < 8×p":    strings.Replace(good, "p=1", "p=9", 1),
		"unknown param":   strings.Replace(good, "p=1", "p=1,x=2", 1),
		"missing param":   strings.Replace(good, ",p=1", "", 1),
		"repeated param":  strings.Replace(good, "p=1", "m=64", 1),
		"negative":        strings.Replace(good, "t=1", "t=-1", 1),
		"padded salt":     strings.Replace(good, "xNg$", "xNg==$", 1),
		"short salt":      strings.Replace(good, "aW5rbHVkZXJhLXNhbHQxNg", "YWJj", 1),
		"bad base64":      strings.Replace(good, "gwEX", "gw!X", 1),
		"short key":       strings.Replace(good, "gwEXPWBYj9sACx09TTlKc/mNDMTqpOnIDuwmrM7il6Y", "gwEXPWBYj9sACx09", 1),
		"trailing part":   good + "$x",
	} {
		if ok, err := CheckPassword(h, "x"); ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%s: CheckPassword(%q) = %v, %v; want ErrMalformedHash", name, h, ok, err)
		}
		if !NeedsRehash(h) {
			t.Errorf("%s: an unreadable hash does not need rehashing", name)
		}
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("korrekt häst batteri häftklammer"); err != nil {
			b.Fatal(err)
		}
	}
}
