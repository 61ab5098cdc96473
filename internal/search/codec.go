package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// termsFormat is the first byte of EncodeTerms' output; a new layout gets
// a new number, and DecodeTerms refuses one it does not know.
const termsFormat = 1

// EncodeTerms is a compact, versioned encoding of a document's terms
// (Terms) to store beside it, so that Related can be filled again without
// analysing every text: the format byte, the number of terms, then each
// term in ascending order as the length it shares with the previous term,
// the length of the rest, the rest, and its count, all as uvarints.
func EncodeTerms(terms map[string]int) []byte {
	keys := make([]string, 0, len(terms))
	for t, c := range terms {
		if c > 0 {
			keys = append(keys, t)
		}
	}
	slices.Sort(keys)
	out := []byte{termsFormat}
	out = binary.AppendUvarint(out, uint64(len(keys)))
	prev := ""
	for _, t := range keys {
		shared := 0
		for shared < len(prev) && shared < len(t) && prev[shared] == t[shared] {
			shared++
		}
		out = binary.AppendUvarint(out, uint64(shared))
		out = binary.AppendUvarint(out, uint64(len(t)-shared))
		out = append(out, t[shared:]...)
		out = binary.AppendUvarint(out, uint64(terms[t]))
		prev = t
	}
	return out
}

// DecodeTerms reads EncodeTerms' output. Damaged or foreign input is an
// error, never a partial map.
func DecodeTerms(b []byte) (map[string]int, error) {
	if len(b) == 0 {
		return nil, errors.New("search: decode terms: empty input")
	}
	if b[0] != termsFormat {
		return nil, fmt.Errorf("search: decode terms: unknown format %d", b[0])
	}
	pos := 1
	next := func(what string) (uint64, error) {
		v, n := binary.Uvarint(b[pos:])
		if n <= 0 {
			return 0, fmt.Errorf("search: decode terms: bad %s at byte %d", what, pos)
		}
		pos += n
		return v, nil
	}
	count, err := next("term count")
	if err != nil {
		return nil, err
	}
	if count > uint64(len(b)-pos)/3 { // every term takes at least three bytes
		return nil, fmt.Errorf("search: decode terms: %d terms in %d bytes", count, len(b))
	}
	out := make(map[string]int, count)
	prev := ""
	var sb strings.Builder
	for i := uint64(0); i < count; i++ {
		shared, err := next("shared length")
		if err != nil {
			return nil, err
		}
		rest, err := next("suffix length")
		if err != nil {
			return nil, err
		}
		if shared > uint64(len(prev)) || rest > uint64(len(b)-pos) {
			return nil, fmt.Errorf("search: decode terms: term %d runs past its bounds", i)
		}
		sb.Reset()
		sb.WriteString(prev[:shared])
		sb.Write(b[pos : pos+int(rest)])
		pos += int(rest)
		t := sb.String()
		if !utf8.ValidString(t) || t == "" || (i > 0 && t <= prev) {
			return nil, fmt.Errorf("search: decode terms: term %d %q is empty, not UTF-8 or out of order", i, t)
		}
		c, err := next("count")
		if err != nil {
			return nil, err
		}
		if c == 0 || c > 1<<31 {
			return nil, fmt.Errorf("search: decode terms: term %q has count %d", t, c)
		}
		out[t] = int(c)
		prev = t
	}
	if pos != len(b) {
		return nil, fmt.Errorf("search: decode terms: %d bytes after the last term", len(b)-pos)
	}
	return out, nil
}
