package allocation

import (
	"strconv"
	"strings"
)

// InputError is one problem with the input of a calculation, told in
// English (logs, API) and in Swedish (the UI).
type InputError struct {
	// Row is the 1-based position of the body, locality or weight the
	// problem is in; 0 when it concerns the parameters or the list as a whole.
	Row int
	// Name is the row's name (or key when it has none), "" when unknown.
	Name string
	// Field is the input in English as the API names it, e.g. "headcount".
	Field string

	fieldSV string // the field as the UI labels it, e.g. "antal anställda"
	en, sv  string // what is wrong, completing the sentence "<field> …"
}

func (e *InputError) Error() string { return e.English() }

// English returns e.g. "row 3 (Socialförvaltningen): headcount must not be negative".
func (e *InputError) English() string {
	return e.where("row") + e.Field + " " + e.en
}

// Swedish returns e.g. "Rad 3 (Socialförvaltningen): antal anställda får
// inte vara negativt."
func (e *InputError) Swedish() string {
	s := e.where("rad") + e.fieldSV + " " + e.sv
	return upperFirst(s) + "."
}

func (e *InputError) where(word string) string {
	if e.Row == 0 {
		return ""
	}
	s := word + " " + strconv.Itoa(e.Row)
	if e.Name != "" {
		s += " (" + e.Name + ")"
	}
	return s + ": "
}

// Errors is every problem found in one input; calculations return it so
// that a form can show all mistakes at once.
type Errors []*InputError

func (es Errors) Error() string { return es.English() }

// English joins the problems in English.
func (es Errors) English() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.English()
	}
	return strings.Join(parts, "; ")
}

// Swedish joins the problems in Swedish, one sentence each.
func (es Errors) Swedish() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Swedish()
	}
	return strings.Join(parts, " ")
}

// problems collects InputErrors for one calculation.
type problems struct{ errs Errors }

func (p *problems) add(row int, name, field, fieldSV, en, sv string) {
	p.errs = append(p.errs, &InputError{Row: row, Name: name, Field: field, fieldSV: fieldSV, en: en, sv: sv})
}

func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return p.errs
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
