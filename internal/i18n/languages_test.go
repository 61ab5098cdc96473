package i18n

import (
	"slices"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// TestContentLanguages keeps strategy.ContentLanguages, the languages
// content is translated into (strategy imports nothing of ours), equal to
// the interface's languages but Swedish, the original, in the same order.
func TestContentLanguages(t *testing.T) {
	var want []string
	for _, l := range Languages {
		if l.Code != Default {
			want = append(want, l.Code)
		}
	}
	if !slices.Equal(strategy.ContentLanguages, want) {
		t.Errorf("strategy.ContentLanguages = %q, want the interface's languages but Swedish: %q", strategy.ContentLanguages, want)
	}
}
