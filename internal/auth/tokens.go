package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"net/http"
	"strings"
)

// APITokenPrefix starts every API token secret, so that a leaked one is
// recognisable (secret scanners, logs) as an Inkludera token.
const APITokenPrefix = "ink_"

// tokenEncoding is lower-case base32 without padding: letters and digits
// only, so a secret survives being copied from a terminal or an e-mail.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewAPIToken makes a new API token: the secret, "ink_" followed by 32
// random bytes in lower-case base32 (56 characters in all), is shown to its
// owner once; only the hash (HashToken of the secret) is stored.
func NewAPIToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	secret = APITokenPrefix + tokenEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken is the SHA-256 of a secret in lower-case hex: what is stored
// of an API token, and the id under which a session is stored, so that a
// copy of the database gives nobody a credential that works. A fast hash
// is enough because the secrets are 256 random bits, not passwords.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// BearerToken returns the credential of an "Authorization: Bearer …"
// header (RFC 6750 §2.1; the scheme in any case), and false when the
// request has no such header or the credential is empty or malformed.
// It does not check the credential.
func BearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	if token == "" || !isToken68(token) {
		return "", false
	}
	return token, true
}

// isToken68 reports whether s is RFC 7235's token68, the syntax of a
// bearer credential: letters, digits and -._~+/, then any '='.
func isToken68(s string) bool {
	i := 0
	for i < len(s) {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0 {
			i++
			continue
		}
		break
	}
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] != '=' {
			return false
		}
	}
	return true
}
