package strategy

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxDerivedKey keeps keys made from titles readable in a URL; the domain
// allows 100 characters.
const MaxDerivedKey = 60

// KeyFromTitle makes the key of a new object from its title, the way every
// editor (web forms, XLSX import) does: Slug, at most MaxDerivedKey
// characters, cut at a hyphen when one is near the end. "Arbete & egen
// försörjning" gives "arbete-egen-forsorjning"; a title without letters or
// digits gives "".
func KeyFromTitle(title string) string {
	return CutKey(Slug(title), MaxDerivedKey)
}

// Slug is s in lower case a–z, 0–9 and single hyphens, accents dropped (å
// and ä become a, ö o), whatever its length: for keys and file names.
func Slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining mark: the accent of å, ä, ö, é … goes, the
			// letter before it stays.
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	return b.String()
}

// CutKey shortens a key to at most n bytes, at a hyphen in its second half
// when there is one, without a trailing hyphen.
func CutKey(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	if i := strings.LastIndexByte(s, '-'); i > n/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, "-")
}
