package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id's cost parameters and sizes. They are written into
// every hash, so a hash made with older parameters still verifies after
// they are raised, and NeedsRehash tells when to replace it.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are those of new hashes: OWASP's Password Storage Cheat
// Sheet recommends argon2id with at least 19 MiB of memory, two passes and
// one lane (m=19456, t=2, p=1), which costs a few tens of milliseconds and
// 19 MiB per sign-in. A 16-byte random salt and a 32-byte key are RFC
// 9106's recommendation.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// MaxPasswordBytes bounds what is hashed. argon2 reads any length, but
// nobody types more, and a bound keeps a sign-in form from being used to
// make the server hash megabytes.
const MaxPasswordBytes = 1024

// Limits on what CheckPassword accepts from a stored hash, so that a
// corrupted or planted hash cannot make a sign-in allocate gigabytes or run
// for minutes.
const (
	maxMemory = 1 << 20 // KiB: 1 GiB
	maxTime   = 64
	minSalt   = 8
	maxSalt   = 64
	minKey    = 16
	maxKey    = 128
)

// ErrMalformedHash is returned by CheckPassword for a stored hash that is
// not an argon2id PHC string it accepts.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// HashPassword returns the argon2id hash of password with DefaultParams in
// the PHC string format: $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH, salt and
// hash in unpadded standard base64. It does not judge the password: check
// a new one with CheckNewPassword first.
func HashPassword(password string) (string, error) {
	return hashWith(DefaultParams, password)
}

func hashWith(p Params, password string) (string, error) {
	if password == "" {
		return "", errors.New("auth: empty password")
	}
	if len(password) > MaxPasswordBytes {
		return "", fmt.Errorf("auth: password longer than %d bytes", MaxPasswordBytes)
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails (crypto/rand since Go 1.24)
	key := argon2.IDKey(normalise(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encode(p, salt, key), nil
}

func encode(p Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// normalise puts a password in Unicode NFKC, as NIST SP 800-63B asks of
// verifiers, so that "å" typed as one code point or as "a" plus a ring
// gives the same hash whichever keyboard or browser sends it.
func normalise(password string) []byte {
	return norm.NFKC.Bytes([]byte(password))
}

// CheckPassword reports whether password matches the stored hash, reading
// the parameters from the hash itself. The comparison takes the same time
// wherever the keys differ. A hash it cannot read is ErrMalformedHash.
func CheckPassword(hash, password string) (bool, error) {
	p, salt, key, err := decode(hash)
	if err != nil {
		return false, err
	}
	if len(password) > MaxPasswordBytes {
		return false, nil
	}
	got := argon2.IDKey(normalise(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than
// DefaultParams (or cannot be read), so that it should be replaced with a
// new hash of the password at the next successful sign-in.
func NeedsRehash(hash string) bool {
	p, _, _, err := decode(hash)
	return err != nil || p != DefaultParams
}

// decode parses a PHC string made by encode.
func decode(hash string) (p Params, salt, key []byte, err error) {
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, ErrMalformedHash
	}
	var m, t, threads uint64
	seen := 0
	for _, kv := range strings.Split(parts[3], ",") {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return p, nil, nil, ErrMalformedHash
		}
		var dst *uint64
		var bits int
		switch name {
		case "m":
			dst, bits = &m, 32
		case "t":
			dst, bits = &t, 32
		case "p":
			dst, bits = &threads, 8
		default:
			return p, nil, nil, ErrMalformedHash
		}
		n, err := strconv.ParseUint(value, 10, bits)
		if err != nil {
			return p, nil, nil, ErrMalformedHash
		}
		*dst = n
		seen++
	}
	if seen != 3 || m == 0 || m > maxMemory || t == 0 || t > maxTime || threads == 0 || m < 8*threads {
		return p, nil, nil, ErrMalformedHash
	}
	b64 := base64.RawStdEncoding.Strict()
	salt, err = b64.DecodeString(parts[4])
	if err != nil || len(salt) < minSalt || len(salt) > maxSalt {
		return p, nil, nil, ErrMalformedHash
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil || len(key) < minKey || len(key) > maxKey {
		return p, nil, nil, ErrMalformedHash
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}
