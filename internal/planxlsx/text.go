package planxlsx

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/inkludera/inkludera/internal/strategy"
)

// statusWords are the Swedish words for activity statuses, as the sheet
// shows them.
var statusWords = []struct {
	status strategy.ActivityStatus
	word   string
}{
	{strategy.ActivityPlanned, "planerad"},
	{strategy.ActivityOngoing, "pågår"},
	{strategy.ActivityDone, "genomförd"},
	{strategy.ActivityLate, "försenad"},
	{strategy.ActivityCancelled, "inställd"},
}

// statusSynonyms are other words editors write for a status; matched after
// fold, like the status words themselves.
var statusSynonyms = map[string]strategy.ActivityStatus{
	"pagaende": strategy.ActivityOngoing,
	"klar":     strategy.ActivityDone,
	"avslutad": strategy.ActivityDone,
}

// statusWord returns the Swedish word for s, or s itself when unknown.
func statusWord(s strategy.ActivityStatus) string {
	for _, w := range statusWords {
		if w.status == s {
			return w.word
		}
	}
	return string(s)
}

// parseStatus reads a status word with or without diacritics, in any case.
func parseStatus(s string) (strategy.ActivityStatus, bool) {
	f := fold(s)
	for _, w := range statusWords {
		if f == fold(w.word) {
			return w.status, true
		}
	}
	st, ok := statusSynonyms[f]
	return st, ok
}

func statusList() string {
	words := make([]string, len(statusWords))
	for i, w := range statusWords {
		words[i] = w.word
	}
	return strings.Join(words, ", ")
}

// fold makes labels and words comparable however they were typed: lower
// case, without diacritics (å → a, ö → o), runs of anything but letters and
// digits as one space, trimmed. "  Klart (%) " → "klart".
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// slug makes a key from a title the way the web editor does.
func slug(title string) string { return strategy.KeyFromTitle(title) }

// uniqueKey returns base, or base with "-2", "-3" … when taken, always
// within strategy.MaxDerivedKey characters.
func uniqueKey(base string, taken map[string]bool) string {
	if base == "" {
		base = "aktivitet"
	}
	key := base
	for n := 2; taken[key]; n++ {
		suffix := "-" + strconv.Itoa(n)
		key = strategy.CutKey(base, strategy.MaxDerivedKey-len(suffix)) + suffix
	}
	return key
}
