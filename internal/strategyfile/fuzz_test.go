package strategyfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

// FuzzLoad feeds the decoder a strategy file, and a CSV file it may name
// in observation_files, and checks what the package promises a person who
// writes one by hand: no panic; a file that is refused gets Problems, each
// with a message and, in the YAML file, a line; the same input gives the
// same answer twice; and a file that loads holds only UTF-8 text and is
// written by Encode as a file that loads into the same bundles.
func FuzzLoad(f *testing.F) {
	yamlFiles := []string{"testdata/three-mistakes.yaml", "../demo/stromsund.yaml", "../demo/ostersund.yaml"}
	csvFiles, _ := filepath.Glob("../obsfile/testdata/*.csv")
	for _, name := range yamlFiles {
		f.Add(readSeed(f, name), []byte(nil))
	}
	f.Add(docExampleSeed(f), []byte(nil))
	// A small file that names the CSV, with every CSV seed.
	const withFile = `organisation: {code: "2380", name: Östersund, kind: kommun}
indicators:
  - {key: i, title: I, unit: "%", polarity: higher, source: manual, breakdowns: [gender]}
observation_files: [obs.csv]
`
	for _, name := range csvFiles {
		f.Add([]byte(withFile), readSeed(f, name))
	}
	f.Add([]byte(withFile), []byte("org,indicator,year,gender,value\n,i,2020,T,12.5\n2380,i,2021,K,\n"))
	// Two documents, series with missing values, provenance and flags.
	f.Add([]byte(`inkludera: 1
organisation: {code: "2313", name: Strömsund, kind: kommun}
indicators:
  - {key: i, title: I, unit: antal, polarity: higher, source: manual, breakdowns: [gender]}
observations:
  - indicator: i
    source: kolada
    source_url: https://example.org/x
    fetched_at: 2026-01-02T03:04:05Z
    values:
      - {year: 2004, T: ~, K: 0, M: 1e3, preliminary: true, status: p}
      - {year: 2005, T: -0.5}
---
organisation: {code: "23", name: Region, kind: region}
`), []byte(nil))
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"), []byte(nil))
	f.Add([]byte("observations:\n  - indicator: i\n    values: [{year: x, T: \"8,6\", T: 1}, 7]\n"), []byte(nil))

	f.Fuzz(func(t *testing.T, yamlData, csvData []byte) {
		fsys := fstest.MapFS{
			"a.yaml":  {Data: yamlData},
			"obs.csv": {Data: csvData},
		}
		bundles, err := LoadFS(fsys, []string{"a.yaml"}, nil)
		again, errAgain := LoadFS(fsys, []string{"a.yaml"}, nil)
		if fmt.Sprint(err) != fmt.Sprint(errAgain) || !reflect.DeepEqual(bundles, again) {
			t.Fatalf("two loads differ:\n%v\n---\n%v", err, errAgain)
		}
		if err != nil {
			checkProblems(t, err)
			return
		}
		if s, ok := notUTF8(reflect.ValueOf(bundles)); ok {
			t.Fatalf("decoded text %q is not UTF-8 (PostgreSQL would refuse it)", s)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, bundles); err != nil {
			t.Fatalf("a file that loads does not encode: %v", err)
		}
		out, err := LoadFS(fstest.MapFS{"b.yaml": {Data: buf.Bytes()}}, []string{"b.yaml"}, nil)
		if err != nil {
			t.Fatalf("the encoded file does not load: %v\n%s", err, buf.Bytes())
		}
		if !sameValue(reflect.ValueOf(out), reflect.ValueOf(bundles)) {
			t.Fatalf("round trip differs\n got %+v\nwant %+v\n%s", out, bundles, buf.Bytes())
		}
	})
}

// checkProblems holds a refusal to the promise of Problems: at least one,
// each naming its file and saying what is wrong, and those of the YAML
// file naming a line. A CSV file's problem about the file as a whole
// (empty, unreadable) has no line to name.
func checkProblems(t *testing.T, err error) {
	t.Helper()
	var probs Problems
	if !errors.As(err, &probs) || len(probs) == 0 {
		t.Fatalf("refused without Problems: %v", err)
	}
	for _, p := range probs {
		if p.Message == "" || !utf8.ValidString(p.Message) {
			t.Errorf("problem without a readable message: %+v", p)
		}
		switch p.File {
		case "a.yaml":
			if p.Line < 1 || p.Column < 0 {
				t.Errorf("problem without a line: %q", p.String())
			}
		case "obs.csv":
			if p.Line < 0 || p.Column < 0 {
				t.Errorf("problem badly located: %q", p.String())
			}
		default:
			t.Errorf("problem in a file never read: %q", p.String())
		}
	}
}

// sameValue is reflect.DeepEqual for which an empty slice or map equals a
// nil one: "bodies: []" and no bodies at all mean the same, and Encode
// writes neither.
func sameValue(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() || a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !sameValue(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		if a.Type() == reflect.TypeFor[time.Time]() {
			// The same instant; the location pointer inside may differ.
			return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
		}
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.String:
		return a.String() == b.String()
	}
	panic(fmt.Sprintf("sameValue: cannot compare %s", a.Type()))
}

// notUTF8 finds a string in v that is not UTF-8.
func notUTF8(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), !utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return notUTF8(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if s, ok := notUTF8(v.Index(i)); ok {
				return s, true
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if s, ok := notUTF8(k); ok {
				return s, true
			}
			if s, ok := notUTF8(v.MapIndex(k)); ok {
				return s, true
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if s, ok := notUTF8(v.Field(i)); ok {
				return s, true
			}
		}
	}
	return "", false
}

func readSeed(f *testing.F, name string) []byte {
	f.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// docExampleSeed is the complete example of docs/strategy-file.md.
func docExampleSeed(f *testing.F) []byte {
	f.Helper()
	var b []byte
	doc := readSeed(f, "../../docs/strategy-file.md")
	_, after, ok := bytes.Cut(doc, []byte("## A complete example"))
	if !ok {
		f.Fatal("docs/strategy-file.md has no complete example")
	}
	_, block, ok := bytes.Cut(after, []byte("```yaml\n"))
	if ok {
		b, _, ok = bytes.Cut(block, []byte("```"))
	}
	if !ok {
		f.Fatal("the complete example has no yaml block")
	}
	return b
}

// TestSyntaxErrorsWithoutLineAreLocated: yaml.v3 names no line for a
// mistake on the first line or for a character it cannot read; the
// problem names one all the same (found by FuzzLoad).
func TestSyntaxErrorsWithoutLineAreLocated(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"unclosed quote on the first line", `"`, "a.yaml:1: found unexpected end of stream"},
		{"control character", "a: 1\nb: \x01\n", "a.yaml:2:4: control characters are not allowed"},
		{"not UTF-8 after CR LF", "a: 1\r\nb: x\xff\r\n", "a.yaml:2:5: invalid"},
		{"line separator counts as a line break", "a: 1\u2028b: \x7f", "a.yaml:2:4: control characters are not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(fstest.MapFS{"a.yaml": {Data: []byte(tt.file)}}, []string{"a.yaml"}, nil)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}
