package strategyfile

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// checkFields walks a YAML document against the Go type it is decoded
// into, before it is decoded, and reports two kinds of problem with the
// line and column of the offending node:
//
//   - a field the type does not have (yaml.v3's KnownFields would report
//     it too, but only on a decoder, not when decoding a node);
//   - a value that a text unmarshaler refuses, such as a date that is not
//     YYYY-MM-DD. yaml.v3 turns such a refusal into an error that stops
//     decoding and has no line, so the value is checked here and, when
//     refused, replaced by null so that decoding can go on and report
//     everything else.
//
// Types with their own UnmarshalYAML are left to it.
func checkFields(file string, n *yaml.Node, t reflect.Type) Problems {
	c := fieldChecker{file: file}
	c.walk(n, t, "")
	return c.problems
}

type fieldChecker struct {
	file     string
	problems Problems
}

var (
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (c *fieldChecker) add(n *yaml.Node, msg string) {
	c.problems = append(c.problems, Problem{File: c.file, Line: n.Line, Column: n.Column, Message: msg})
}

// walk checks n, decoded into t; field is the name of the field that
// holds it, for messages.
func (c *fieldChecker) walk(n *yaml.Node, t reflect.Type, field string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, child := range n.Content {
			c.walk(child, t, field)
		}
		return
	case yaml.AliasNode:
		if n.Alias != nil {
			c.walk(n.Alias, t, field)
		}
		return
	}
	if n.ShortTag() == "!!null" {
		return
	}
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(yamlUnmarshaler):
		return
	case pt.Implements(textUnmarshaler):
		c.text(n, t, field)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind == yaml.MappingNode {
			c.mapping(n, t)
		}
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.SequenceNode {
			elem := t.Elem()
			if leavesAlone(elem) {
				return
			}
			for _, item := range n.Content {
				c.walk(item, elem, field)
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode && !leavesAlone(t.Elem()) {
			for i := 1; i < len(n.Content); i += 2 {
				c.walk(n.Content[i], t.Elem(), n.Content[i-1].Value)
			}
		}
	}
}

// leavesAlone reports whether walking values of type t finds nothing to
// check: they decode themselves or are plain scalars. It spares the walk
// the long lists of a large file (rows of values).
func leavesAlone(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(yamlUnmarshaler) {
		return true
	}
	if pt.Implements(textUnmarshaler) {
		return false
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map, reflect.Interface:
		return false
	}
	return true
}

// mapping checks the fields of a mapping decoded into struct type t.
func (c *fieldChecker) mapping(n *yaml.Node, t reflect.Type) {
	fields := fieldsOf(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.ShortTag() == "!!merge" {
			// "<<: *defaults" merges another mapping (or a list of them).
			if v.Kind == yaml.SequenceNode {
				for _, m := range v.Content {
					c.walk(m, t, "")
				}
			} else {
				c.walk(v, t, "")
			}
			continue
		}
		f, ok := fields.byName[k.Value]
		if !ok {
			c.add(k, unknownField(k.Value, fields.names))
			continue
		}
		c.walk(v, f.typ, k.Value)
	}
}

// text checks a value decoded by a text unmarshaler (a date) by decoding
// it alone, the way yaml.v3 will, and nulls it out when it is refused.
func (c *fieldChecker) text(n *yaml.Node, t reflect.Type, field string) {
	prefix := ""
	if field != "" {
		prefix = field + ": "
	}
	if n.Kind != yaml.ScalarNode {
		c.add(n, fmt.Sprintf("%smust be a single value, not a %s", prefix, kindName(n.Kind)))
		blank(n)
		return
	}
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		msg := err.Error()
		if te, ok := err.(*yaml.TypeError); ok {
			// A line is already known; keep yaml.v3's words.
			msg = strings.Join(te.Errors, "; ")
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				msg = m[3]
			}
		}
		c.add(n, prefix+strings.TrimPrefix(msg, "yaml: "))
		blank(n)
	}
}

// blank makes n a null, which decodes as the zero value.
func blank(n *yaml.Node) {
	n.Kind, n.Tag, n.Value, n.Style, n.Content, n.Alias = yaml.ScalarNode, "!!null", "", 0, nil, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "node"
}

// unknownField says that a field is not known, suggesting the closest
// known name when there is one a typo away.
func unknownField(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("field %s not found; did you mean %s?", name, best)
	}
	return fmt.Sprintf("field %s not found; the fields here are %s", name, strings.Join(known, ", "))
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (field names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// structFields is what the walk needs of a struct type: the YAML name of
// each field as yaml.v3 derives it.
type structFields struct {
	byName map[string]fieldInfo
	names  []string // in declaration order
}

type fieldInfo struct{ typ reflect.Type }

var fieldCache sync.Map // reflect.Type → *structFields

func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{byName: map[string]fieldInfo{}}
	collectFields(t, f)
	fieldCache.Store(t, f)
	return f
}

// collectFields follows yaml.v3's rules: the tag's name, or the field's
// name in lower case; "-" skips the field; ",inline" merges a struct's
// fields into its parent's.
func collectFields(t reflect.Type, f *structFields) {
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() && !sf.Anonymous {
			continue
		}
		tag := sf.Tag.Get("yaml")
		if tag == "" && !strings.Contains(string(sf.Tag), ":") {
			tag = string(sf.Tag)
		}
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if slices.Contains(strings.Split(opts, ","), "inline") {
			ft := sf.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, f)
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		if _, dup := f.byName[name]; !dup {
			f.names = append(f.names, name)
		}
		f.byName[name] = fieldInfo{typ: sf.Type}
	}
}
