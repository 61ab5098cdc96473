package strategyfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/inkludera/inkludera/internal/strategy"
)

// LoadFiles reads, checks and returns the bundles in the named files on
// disk. known reports whether an indicator defined outside these files
// (already stored) may be referred to; it may be nil. The error, when there
// is one, is Problems listing every problem in every file.
func LoadFiles(paths []string, known func(key string) bool) ([]strategy.Bundle, error) {
	return load(osReader{}, paths, known)
}

// LoadFS is LoadFiles for files in fsys.
func LoadFS(fsys fs.FS, names []string, known func(key string) bool) ([]strategy.Bundle, error) {
	return load(fsReader{fsys}, names, known)
}

// reader opens a file and resolves a path written inside another file.
type reader interface {
	read(name string) ([]byte, error)
	join(base, ref string) string
}

type osReader struct{}

func (osReader) read(name string) ([]byte, error) { return os.ReadFile(name) }
func (osReader) join(base, ref string) string {
	if filepath.IsAbs(ref) {
		return ref
	}
	return filepath.Join(filepath.Dir(base), ref)
}

type fsReader struct{ fsys fs.FS }

func (r fsReader) read(name string) ([]byte, error) { return fs.ReadFile(r.fsys, name) }
func (fsReader) join(base, ref string) string       { return path.Join(path.Dir(base), ref) }

// source is a file's bytes and, once a problem needs them, its YAML nodes.
type source struct {
	data  []byte
	nodes []*yaml.Node // one per YAML document; parsed on first need
}

// part is one YAML document of a file, decoded, with what is needed to
// point at its lines.
type part struct {
	file   string
	src    *source
	index  int // which YAML document of the file
	doc    fileDoc
	bundle strategy.Bundle
	// obsAt locates field problems of bundle.Observations[i].
	obsAt []func(field string) Problem
	// decodeErrs holds the file:line places a decoder already complained
	// about, so that validating half-decoded values does not repeat them.
	decodeErrs map[string]bool
	positions  map[string]position // built on first need
}

type position struct{ line, col int }

func load(r reader, names []string, known func(string) bool) ([]strategy.Bundle, error) {
	var parts []*part
	var problems Problems
	for _, name := range names {
		ps, probs := readFile(r, name)
		parts = append(parts, ps...)
		problems = append(problems, probs...)
	}
	problems = append(problems, check(parts, known)...)
	if len(problems) > 0 {
		return nil, problems.sorted()
	}
	bundles := make([]strategy.Bundle, len(parts))
	for i, p := range parts {
		bundles[i] = p.bundle
	}
	return bundles, nil
}

// readFile decodes every YAML document of a file.
func readFile(r reader, name string) ([]*part, Problems) {
	data, err := r.read(name)
	if err != nil {
		return nil, Problems{{File: name, Message: readError(err)}}
	}
	var parts []*part
	var problems Problems
	src := &source{data: data}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for i := 0; ; i++ {
		p := &part{file: name, src: src, index: i, decodeErrs: map[string]bool{}}
		// Nodes first, so that unknown fields and values such as dates
		// that cannot be read are reported with their lines (checkFields).
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A syntax error: the decoder cannot go on with this file.
			pr := fromYAMLMessage(name, err.Error())
			if pr.Line == 0 {
				pr.Line, pr.Column = unnumberedErrorPlace(data)
			}
			return parts, append(problems, pr)
		}
		for _, pr := range checkFields(name, &node, reflect.TypeFor[fileDoc]()) {
			p.decodeErrs[lineOf(pr)] = true
			problems = append(problems, pr)
		}
		err = node.Decode(&p.doc)
		var te *yaml.TypeError
		switch {
		case errors.As(err, &te):
			for _, msg := range te.Errors {
				pr := fromYAMLMessage(name, msg)
				if pr.Column == 0 {
					pr.Column = p.columnOfLine(pr.Line)
				}
				p.decodeErrs[lineOf(pr)] = true
				problems = append(problems, pr)
			}
		case err != nil:
			// checkFields catches what yaml.v3 would stop at; should
			// anything else stop it, say so at the document.
			pr := p.problemAt("", strings.TrimPrefix(err.Error(), "yaml: "))
			p.decodeErrs[lineOf(pr)] = true
			problems = append(problems, pr)
		}
		if p.doc.Inkludera != 0 && p.doc.Inkludera != FormatVersion {
			problems = append(problems, p.problemAt("inkludera", fmt.Sprintf("format version %d is not known; this Inkludera reads version %d", p.doc.Inkludera, FormatVersion)))
		}
		problems = append(problems, p.buildBundle(r)...)
		parts = append(parts, p)
	}
	return parts, problems
}

// unnumberedErrorPlace locates a syntax error whose message has no line.
// yaml.v3 leaves the line out when it is the first, and for a character it
// cannot read (not UTF-8, or a control character), which is found here by
// counting lines as YAML does. The column is 0 when unknown.
func unnumberedErrorPlace(data []byte) (line, col int) {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return 1, 0 // UTF-16, whose offsets are not these
	}
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !yamlPrintable(r) {
			return line, col
		}
		i += size
		switch {
		case r == '\r' && i < len(data) && data[i] == '\n':
			// The line feed of CR LF ends the line.
		case r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029:
			line, col = line+1, 1
		default:
			col++
		}
	}
	return 1, 0
}

// yamlPrintable reports whether YAML allows r in a file (c-printable).
func yamlPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7e || r == 0x85 ||
		r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}

func readError(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "no such file"
	}
	return err.Error()
}

// buildBundle turns the decoded document into a bundle, flattening series
// and reading referenced observation files (CSV or XLSX).
func (p *part) buildBundle(r reader) Problems {
	d := p.doc
	b := strategy.Bundle{
		Organisation: d.Organisation,
		Bodies:       d.Bodies,
		Document:     d.Document,
		Indicators:   d.Indicators,
	}
	orgCode := ""
	if d.Organisation != nil {
		orgCode = d.Organisation.Code
		if b.Document != nil {
			b.Document.Org = orgCode
		}
	}
	for si, s := range d.Observations {
		org := s.Org
		if org == "" {
			org = orgCode
		}
		var fetched time.Time
		if s.FetchedAt != nil {
			fetched = s.FetchedAt.UTC()
		}
		for ri, rw := range s.Values {
			for _, g := range strategy.Genders {
				v, ok := rw.Values[g]
				if !ok {
					continue
				}
				b.Observations = append(b.Observations, strategy.Observation{
					Indicator: s.Indicator, Org: org, Year: rw.Year, Gender: g, Value: v,
					Status: rw.Status, Preliminary: rw.Preliminary,
					Source: s.Source, SourceURL: s.SourceURL, FetchedAt: fetched,
				})
				p.obsAt = append(p.obsAt, p.seriesLocator(si, ri, rw, string(g)))
			}
		}
	}
	var problems Problems
	for i, ref := range d.ObservationFiles {
		name := r.join(p.file, ref)
		data, err := r.read(name)
		if err != nil {
			problems = append(problems, p.problemAt(fmt.Sprintf("observation_files[%d]", i), fmt.Sprintf("cannot read %s: %s", ref, readError(err))))
			continue
		}
		obs, locate, probs := readObservationFile(name, data, orgCode)
		for _, pr := range probs {
			p.decodeErrs[lineOf(pr)] = true
		}
		problems = append(problems, probs...)
		b.Observations = append(b.Observations, obs...)
		p.obsAt = append(p.obsAt, locate...)
	}
	p.bundle = b
	return problems
}

// seriesLocator points field problems of an observation at its row.
func (p *part) seriesLocator(si, ri int, rw row, gender string) func(string) Problem {
	return func(field string) Problem {
		col := rw.cols[gender]
		switch field {
		case "indicator", "org":
			return p.problemAt(fmt.Sprintf("observations[%d].%s", si, field), "")
		case "year":
			col = rw.cols["year"]
		}
		return Problem{File: p.file, Line: rw.line, Column: col}
	}
}

// check validates every part, with indicators defined in any of the files
// (or known to the store) available to all, and looks for clashes between
// files.
func check(parts []*part, known func(string) bool) Problems {
	// Where each indicator and document was first defined; positions are
	// looked up only when there is a clash to report.
	type def struct {
		ind  strategy.Indicator
		part *part
		i    int
	}
	defined := map[string]def{}
	docs := map[string]*part{}
	var problems Problems
	for _, p := range parts {
		for i, ind := range p.bundle.Indicators {
			prev, ok := defined[ind.Key]
			if !ok {
				defined[ind.Key] = def{ind, p, i}
				continue
			}
			if !reflect.DeepEqual(prev.ind, ind) {
				at := prev.part.problemAt(fmt.Sprintf("indicators[%d]", prev.i), "")
				problems = append(problems, p.problemAt(fmt.Sprintf("indicators[%d]", i),
					fmt.Sprintf("indicator %q is defined differently in %s:%d", ind.Key, at.File, at.Line)))
			}
		}
		if d := p.bundle.Document; d != nil {
			if prev, ok := docs[d.Key]; ok {
				at := prev.problemAt("document.key", "")
				problems = append(problems, p.problemAt("document.key",
					fmt.Sprintf("document %q is also in %s:%d", d.Key, at.File, at.Line)))
			}
			docs[d.Key] = p
		}
	}
	knownAnywhere := func(k string) bool {
		if _, ok := defined[k]; ok {
			return true
		}
		return known != nil && known(k)
	}
	for _, p := range parts {
		err := p.bundle.Validate(knownAnywhere)
		var verrs strategy.ValidationErrors
		if !errors.As(err, &verrs) {
			continue
		}
		for _, fe := range verrs {
			pr := p.locate(fe.Path)
			if p.decodeErrs[lineOf(pr)] {
				continue // a decoder already said what is wrong on this line
			}
			pr.Message = fieldName(fe.Path) + fe.Message
			problems = append(problems, pr)
		}
	}
	return problems
}

func lineOf(p Problem) string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

var obsPath = regexp.MustCompile(`^observations\[(\d+)\](?:\.(\w+))?`)

// locate finds the line of a validation path such as
// "document.areas[0].goals[1].targets[0].value".
func (p *part) locate(fieldPath string) Problem {
	if m := obsPath.FindStringSubmatch(fieldPath); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < len(p.obsAt) {
			return p.obsAt[i](m[2])
		}
	}
	return p.problemAt(fieldPath, "")
}

// problemAt locates a path, falling back to the nearest enclosing node that
// is in the file (a missing field is reported at its parent).
func (p *part) problemAt(fieldPath, msg string) Problem {
	if p.positions == nil {
		p.positions = p.indexPositions()
	}
	for q := fieldPath; q != ""; q = parentPath(q) {
		if pos, ok := p.positions[q]; ok {
			return Problem{File: p.file, Line: pos.line, Column: pos.col, Message: msg}
		}
	}
	return Problem{File: p.file, Line: p.positions[""].line, Column: 1, Message: msg}
}

// columnOfLine returns the column of the first node on a line, so that
// yaml.v3's line-only messages get a column too.
func (p *part) columnOfLine(line int) int {
	if p.positions == nil {
		p.positions = p.indexPositions()
	}
	col := 0
	for _, pos := range p.positions {
		if pos.line == line && (col == 0 || pos.col < col) {
			col = pos.col
		}
	}
	return col
}

// documentNode returns the part's YAML document as nodes, parsing the
// whole file once for all its parts.
func (p *part) documentNode() *yaml.Node {
	if p.src.nodes == nil {
		dec := yaml.NewDecoder(bytes.NewReader(p.src.data))
		for {
			n := new(yaml.Node)
			if err := dec.Decode(n); err != nil {
				break
			}
			p.src.nodes = append(p.src.nodes, n)
		}
	}
	if p.index < len(p.src.nodes) {
		return p.src.nodes[p.index]
	}
	return &yaml.Node{}
}

// indexPositions maps every path of the part's document to its position.
// It runs only when a problem is reported.
func (p *part) indexPositions() map[string]position {
	idx := map[string]position{}
	root := p.documentNode()
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	idx[""] = position{root.Line, root.Column}
	var walk func(n *yaml.Node, at string)
	walk = func(n *yaml.Node, at string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				child := k.Value
				if at != "" {
					child = at + "." + k.Value
				}
				idx[child] = position{k.Line, k.Column}
				walk(v, child)
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				child := fmt.Sprintf("%s[%d]", at, i)
				idx[child] = position{item.Line, item.Column}
				walk(item, child)
			}
		}
	}
	walk(root, "")
	return idx
}

// parentPath drops the last step of a path: "a.b[2]" → "a.b", "a.b" → "a".
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndex(p, "["); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndex(p, "."); i >= 0 {
		return p[:i]
	}
	return ""
}

// fieldName prefixes a message with the field it is about: "value: ".
func fieldName(fieldPath string) string {
	last := fieldPath
	if i := strings.LastIndex(last, "."); i >= 0 {
		last = last[i+1:]
	}
	if last == "" {
		return ""
	}
	return last + ": "
}
