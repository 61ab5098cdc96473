package store

import (
	"encoding/json"
	"fmt"

	"github.com/inkludera/inkludera/internal/strategy"
)

// translationsJSON is the translations column's value: JSON without empty
// texts and languages (strategy.Translations.Compact), '{}' when nothing
// is left. encoding/json writes map keys sorted, so equal translations
// are equal text, and a write that changes none of them leaves the row
// (and its rev) alone.
func translationsJSON(t strategy.Translations) string {
	t = t.Compact()
	if t == nil {
		return "{}"
	}
	b, err := json.Marshal(t)
	if err != nil {
		panic(err) // maps of strings always encode
	}
	return string(b)
}

// readTranslations reads the translations column; '{}' gives nil, as the
// domain has no translations.
func readTranslations(s string) (strategy.Translations, error) {
	if s == "" || s == "{}" {
		return nil, nil
	}
	var t strategy.Translations
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return nil, fmt.Errorf("reading translations %q: %w", s, err)
	}
	return t.Compact(), nil
}
