package pdf

import (
	"sort"
	"unicode/utf16"
)

// maxCMapEntries bounds the mappings read from one CMap.
const maxCMapEntries = 1 << 18

// codeSpace is one codespacerange: codes of n bytes whose every byte lies
// between the corresponding bytes of lo and hi.
type codeSpace struct {
	n      int
	lo, hi [4]byte
}

type cmapRange struct {
	n      int
	lo, hi uint32
	// Either the text of lo, whose last UTF-16 unit counts up with the code,
	// or one text per code.
	start []uint16
	list  []string
	// cid is the first CID of a cidrange.
	cid int
}

// cmap is a parsed CMap: a ToUnicode map (code → text) or, for a composite
// font's /Encoding stream, just its code space and code → CID ranges.
type cmap struct {
	spaces   []codeSpace
	chars    map[uint64]string // n<<32 | code
	ranges   []cmapRange
	cidChars map[uint64]int
	cidRange []cmapRange
	// memo remembers range lookups: fonts show the same codes again and again.
	memo map[uint64]string
}

func codeKey(n int, code uint32) uint64 { return uint64(n)<<32 | uint64(code) }

func bytesToCode(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

// parseCMap reads the operators that matter: codespace, bfchar, bfrange,
// cidchar and cidrange sections. Everything else is skipped.
func parseCMap(data []byte) *cmap {
	m := &cmap{chars: map[uint64]string{}, cidChars: map[uint64]int{}}
	p := parser{data: data}
	var operands []Object
	section := ""
	entries := 0
	for entries < maxCMapEntries {
		o, err := p.readObject()
		if err != nil {
			break
		}
		k, isKeyword := o.(keyword)
		if !isKeyword {
			operands = append(operands, o)
			if len(operands) > 3*maxCMapEntries {
				break
			}
			continue
		}
		switch k {
		case "begincodespacerange", "beginbfchar", "beginbfrange", "begincidchar", "begincidrange":
			section = string(k[5:])
			operands = operands[:0]
		case "endcodespacerange":
			for i := 0; i+1 < len(operands); i += 2 {
				lo, ok1 := operands[i].(String)
				hi, ok2 := operands[i+1].(String)
				if ok1 && ok2 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 {
					cs := codeSpace{n: len(lo)}
					copy(cs.lo[:], lo)
					copy(cs.hi[:], hi)
					m.spaces = append(m.spaces, cs)
				}
			}
			section, operands = "", operands[:0]
		case "endbfchar":
			for i := 0; i+1 < len(operands); i += 2 {
				src, ok := operands[i].(String)
				if !ok || len(src) == 0 || len(src) > 4 {
					continue
				}
				if t, ok := destinationText(operands[i+1]); ok {
					m.chars[codeKey(len(src), bytesToCode(src))] = t
					entries++
				}
			}
			section, operands = "", operands[:0]
		case "endbfrange":
			for i := 0; i+2 < len(operands); i += 3 {
				lo, ok1 := operands[i].(String)
				hi, ok2 := operands[i+1].(String)
				if !ok1 || !ok2 || len(lo) != len(hi) || len(lo) == 0 || len(lo) > 4 {
					continue
				}
				r := cmapRange{n: len(lo), lo: bytesToCode(lo), hi: bytesToCode(hi)}
				if r.hi < r.lo {
					continue
				}
				switch dst := operands[i+2].(type) {
				case String:
					r.start = utf16Units(dst)
					if len(r.start) == 0 {
						continue
					}
				case Array:
					for _, d := range dst {
						t, _ := destinationText(d)
						r.list = append(r.list, t)
					}
				default:
					continue
				}
				m.ranges = append(m.ranges, r)
				entries++
			}
			section, operands = "", operands[:0]
		case "endcidchar":
			for i := 0; i+1 < len(operands); i += 2 {
				src, ok := operands[i].(String)
				cid, ok2 := asInt(operands[i+1])
				if ok && ok2 && len(src) >= 1 && len(src) <= 4 {
					m.cidChars[codeKey(len(src), bytesToCode(src))] = int(cid)
					entries++
				}
			}
			section, operands = "", operands[:0]
		case "endcidrange":
			for i := 0; i+2 < len(operands); i += 3 {
				lo, ok1 := operands[i].(String)
				hi, ok2 := operands[i+1].(String)
				cid, ok3 := asInt(operands[i+2])
				if ok1 && ok2 && ok3 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 {
					m.cidRange = append(m.cidRange, cmapRange{n: len(lo), lo: bytesToCode(lo), hi: bytesToCode(hi), cid: int(cid)})
					entries++
				}
			}
			section, operands = "", operands[:0]
		default:
			if section == "" {
				operands = operands[:0]
			}
		}
	}
	// Later ranges override earlier ones in lookups below; sorting keeps
	// the lookup order stable.
	sort.SliceStable(m.ranges, func(i, j int) bool { return m.ranges[i].lo < m.ranges[j].lo })
	return m
}

// destinationText is the text of a bfchar/bfrange destination: UTF-16BE
// bytes or a glyph name.
func destinationText(o Object) (string, bool) {
	switch v := o.(type) {
	case String:
		return utf16String(utf16Units(v)), true
	case Name:
		return glyphText(string(v)), true
	}
	return "", false
}

func utf16Units(b []byte) []uint16 {
	if len(b) == 1 {
		return []uint16{uint16(b[0])} // single bytes occur in broken CMaps
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return u
}

// utf16String decodes UTF-16 units, dropping NULs, which some writers use
// for "no text".
func utf16String(u []uint16) string {
	out := make([]rune, 0, len(u))
	for _, r := range utf16.Decode(u) {
		if r != 0 {
			out = append(out, r)
		}
	}
	return string(out)
}

// lookup returns the text of a code of n bytes.
func (m *cmap) lookup(n int, code uint32) (string, bool) {
	key := codeKey(n, code)
	if t, ok := m.chars[key]; ok {
		return t, true
	}
	if t, ok := m.memo[key]; ok {
		return t, true
	}
	t, ok := m.lookupRange(n, code)
	if ok {
		if m.memo == nil {
			m.memo = map[uint64]string{}
		}
		m.memo[key] = t
	}
	return t, ok
}

func (m *cmap) lookupRange(n int, code uint32) (string, bool) {
	for i := len(m.ranges) - 1; i >= 0; i-- {
		r := &m.ranges[i]
		if r.n != n || code < r.lo || code > r.hi {
			continue
		}
		off := code - r.lo
		if r.list != nil {
			if int(off) < len(r.list) {
				return r.list[off], true
			}
			return "", false
		}
		u := append([]uint16(nil), r.start...)
		last := uint32(u[len(u)-1]) + off
		if last > 0xffff && len(u) == 1 {
			return string(rune(last)), true
		}
		u[len(u)-1] = uint16(last)
		return utf16String(u), true
	}
	return "", false
}

// cid returns the CID of a code, for /Encoding CMap streams.
func (m *cmap) cid(n int, code uint32) (int, bool) {
	if c, ok := m.cidChars[codeKey(n, code)]; ok {
		return c, true
	}
	for _, r := range m.cidRange {
		if r.n == n && code >= r.lo && code <= r.hi {
			return r.cid + int(code-r.lo), true
		}
	}
	return 0, false
}

// codeLength is the length of the code at the start of s per the code
// space; 0 when no range matches.
func (m *cmap) codeLength(s []byte) int {
	for _, cs := range m.spaces {
		if len(s) < cs.n {
			continue
		}
		match := true
		for i := 0; i < cs.n; i++ {
			if s[i] < cs.lo[i] || s[i] > cs.hi[i] {
				match = false
				break
			}
		}
		if match {
			return cs.n
		}
	}
	return 0
}
