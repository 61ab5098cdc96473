package strategyfile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/inkludera/inkludera/internal/strategy"
)

// FormatVersion is the version written to the `inkludera` field.
const FormatVersion = 1

// fileDoc is one YAML document of a strategy file. The domain types carry
// the yaml tags of everything but observations, which the file writes as
// series (a row per year, a column per gender) to stay readable.
type fileDoc struct {
	Inkludera        int                    `yaml:"inkludera,omitempty"`
	Organisation     *strategy.Organisation `yaml:"organisation,omitempty"`
	Bodies           []strategy.Body        `yaml:"bodies,omitempty"`
	Document         *strategy.Document     `yaml:"document,omitempty"`
	Indicators       []strategy.Indicator   `yaml:"indicators,omitempty"`
	Observations     []series               `yaml:"observations,omitempty"`
	ObservationFiles []string               `yaml:"observation_files,omitempty"`
}

// series is the values of one indicator for one organisation that share
// their provenance.
type series struct {
	Indicator string     `yaml:"indicator"`
	Org       string     `yaml:"org,omitempty"`
	Source    string     `yaml:"source,omitempty"`
	SourceURL string     `yaml:"source_url,omitempty"`
	FetchedAt *time.Time `yaml:"fetched_at,omitempty"`
	Values    []row      `yaml:"values"`
}

// row is one year of a series. A gender present with `~` is a missing
// value, which is not the same as a gender left out (no observation).
type row struct {
	Year        int
	Values      map[strategy.Gender]*float64
	Preliminary bool
	Status      string
	line        int
	cols        map[string]int // column of each field, for problems
}

// UnmarshalYAML reads a row by hand: yaml.v3 does not call unmarshalers for
// null values, and "~" must be kept apart from "left out".
func (r *row) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return typeError(n, "a row of values must be a mapping such as {year: 2020, T: 12.5}")
	}
	r.line = n.Line
	r.cols = map[string]int{"": n.Column}
	var errs []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		r.cols[k.Value] = v.Column
		switch k.Value {
		case "year":
			y, err := strconv.Atoi(v.Value)
			if err != nil || v.Kind != yaml.ScalarNode {
				errs = append(errs, fmt.Sprintf("line %d: column %d: year: %q is not a whole number", v.Line, v.Column, v.Value))
			}
			r.Year = y
		case "T", "K", "M":
			val, err := scalarFloat(v)
			if err != nil {
				errs = append(errs, fmt.Sprintf("line %d: column %d: %s: %v", v.Line, v.Column, k.Value, err))
			}
			if r.Values == nil {
				r.Values = map[strategy.Gender]*float64{}
			}
			if _, dup := r.Values[strategy.Gender(k.Value)]; dup {
				errs = append(errs, fmt.Sprintf("line %d: column %d: %s is given twice in this row", k.Line, k.Column, k.Value))
			}
			r.Values[strategy.Gender(k.Value)] = val
		case "preliminary":
			if err := v.Decode(&r.Preliminary); err != nil {
				errs = append(errs, fmt.Sprintf("line %d: column %d: preliminary: must be true or false", v.Line, v.Column))
			}
		case "status":
			r.Status = v.Value
		default:
			errs = append(errs, fmt.Sprintf("line %d: column %d: field %s not allowed in a row (year, T, K, M, preliminary, status)", k.Line, k.Column, k.Value))
		}
	}
	if _, ok := r.cols["year"]; !ok {
		errs = append(errs, fmt.Sprintf("line %d: year: is required", n.Line))
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	return nil
}

// MarshalYAML writes a row on one line: {year: 2004, T: 13112, K: 6388, M: 6724}.
func (r row) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	add := func(k, v string, tag string) {
		n.Content = append(n.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: k},
			&yaml.Node{Kind: yaml.ScalarNode, Value: v, Tag: tag})
	}
	add("year", strconv.Itoa(r.Year), "!!int")
	for _, g := range strategy.Genders {
		v, ok := r.Values[g]
		switch {
		case !ok:
		case v == nil:
			add(string(g), "~", "!!null")
		default:
			// Tagged as what the text resolves to, so no explicit tag is written.
			s := formatFloat(*v)
			tag := "!!float"
			if !strings.ContainsAny(s, ".eEn") {
				tag = "!!int"
			}
			add(string(g), s, tag)
		}
	}
	if r.Preliminary {
		add("preliminary", "true", "!!bool")
	}
	if r.Status != "" {
		add("status", r.Status, "!!str")
	}
	return n, nil
}

// scalarFloat reads a number or null.
func scalarFloat(n *yaml.Node) (*float64, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("must be a number or ~")
	}
	if n.ShortTag() == "!!null" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return nil, fmt.Errorf("%q is not a number (use a decimal point, ~ for missing)", n.Value)
	}
	return &v, nil
}

// formatFloat writes the shortest text that reads back as the same float.
func formatFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if len(s) > 24 {
		s = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return s
}

func typeError(n *yaml.Node, msg string) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %s", n.Line, msg)}}
}
