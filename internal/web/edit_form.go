package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The edit forms are described in Go as groups of fields and rendered by
// one template (edit.html), so that every form gets the same accessible
// markup: a label for each input, fieldsets with legends for groups, the
// hint and the error tied to the input with aria-describedby, aria-invalid
// on an input with an error, and an error summary linking to the fields.

// editPage is an edit form, or a confirmation (a form without fields).
type editPage struct {
	Title       string
	Breadcrumbs []link
	Intro       string
	// Notice is shown above the form: that the document is a draft, or
	// what a deletion takes with it.
	Notice string
	// Problems is the error summary: links to the fields with errors, and
	// messages about the form as a whole (without a URL).
	Problems      []link
	ProblemsTitle string
	Action        string
	Rev           int64
	Hidden        []hiddenInput
	Groups        []fieldGroup
	Submit        string
	// Danger marks a form whose button deletes.
	Danger    bool
	CancelURL string
	// Links are further actions: delete, history.
	Links   []link
	Publish *publishForm
	// Translate leads to translating the object's texts, a link per
	// content language (page_translate.go); nil for objects without.
	Translate []translateLink
}

type hiddenInput struct{ Name, Value string }

// publishForm is the document edit page's second form: publishing a draft.
type publishForm struct {
	Action string
	Rev    int64
	// Missing lists what the adoption decision still lacks, in Swedish.
	Missing []link
}

// fieldGroup is a set of fields; with a Legend it is a fieldset.
type fieldGroup struct {
	Legend string
	Hint   string
	Fields []formField
}

// formField is one input. Type is text, textarea, date, select, checkbox,
// checkboxes, radios or readonly.
type formField struct {
	Type        string
	Name        string
	ID          string
	Label       string
	Hint        string
	HintID      string
	Error       string
	ErrorID     string
	DescribedBy string // hint and error ids, for aria-describedby
	Value       string
	Checked     bool // a single checkbox
	Options     []formOption
	Required    bool
	InputMode   string // decimal, numeric
	Rows        int
	Size        int
}

type formOption struct {
	ID       string
	Value    string
	Label    string
	Selected bool
}

// formBuilder lays out a form over the values to show (stored or
// entered) and the problems to show beside the fields.
type formBuilder struct {
	vals   url.Values
	errs   *formErrors
	groups []fieldGroup
}

func newFormBuilder(vals url.Values, errs *formErrors) *formBuilder {
	if vals == nil {
		vals = url.Values{}
	}
	return &formBuilder{vals: vals, errs: errs}
}

// group starts a fieldset; legend "" starts plain fields.
func (b *formBuilder) group(legend, hint string) {
	b.groups = append(b.groups, fieldGroup{Legend: legend, Hint: hint})
}

func (b *formBuilder) add(f formField) {
	if len(b.groups) == 0 {
		b.group("", "")
	}
	f.ID = fieldID(f.Name)
	if f.Type != "checkboxes" && f.Type != "radios" && f.Type != "checkbox" && f.Value == "" {
		f.Value = b.vals.Get(f.Name)
	}
	var describedBy []string
	if f.Hint != "" {
		f.HintID = f.ID + "-hjalp"
		describedBy = append(describedBy, f.HintID)
	}
	if msg := b.errs.Field(f.Name); msg != "" {
		f.Error, f.ErrorID = msg, f.ID+"-fel"
		describedBy = append(describedBy, f.ErrorID)
	}
	f.DescribedBy = strings.Join(describedBy, " ")
	for i := range f.Options {
		f.Options[i].ID = f.ID + "-" + strconv.Itoa(i+1)
	}
	g := &b.groups[len(b.groups)-1]
	g.Fields = append(g.Fields, f)
}

func (b *formBuilder) text(name, label, hint string) {
	b.add(formField{Type: "text", Name: name, Label: label, Hint: hint})
}

func (b *formBuilder) required(name, label, hint string) {
	b.add(formField{Type: "text", Name: name, Label: label, Hint: hint, Required: true})
}

func (b *formBuilder) number(name, label, hint, mode string, size int) {
	b.add(formField{Type: "text", Name: name, Label: label, Hint: hint, InputMode: mode, Size: size})
}

func (b *formBuilder) textarea(name, label, hint string, rows int) {
	b.add(formField{Type: "textarea", Name: name, Label: label, Hint: hint, Rows: rows})
}

func (b *formBuilder) date(name, label, hint string) {
	b.add(formField{Type: "date", Name: name, Label: label, Hint: hint})
}

func (b *formBuilder) readonly(label, value string) {
	b.add(formField{Type: "readonly", Name: "visas-" + strings.ToLower(strings.ReplaceAll(label, " ", "-")), Label: label, Value: value})
}

// choice is a select (or radios) whose selected option is the field's
// value.
func (b *formBuilder) choice(typ, name, label, hint string, opts []formOption) {
	v := b.vals.Get(name)
	out := make([]formOption, len(opts))
	for i, o := range opts {
		o.Selected = o.Value == v
		out[i] = o
	}
	b.add(formField{Type: typ, Name: name, Label: label, Hint: hint, Options: out})
}

// checkboxes are several values of one name.
func (b *formBuilder) checkboxes(name, label, hint string, opts []formOption) {
	chosen := map[string]bool{}
	for _, v := range b.vals[name] {
		chosen[v] = true
	}
	out := make([]formOption, len(opts))
	for i, o := range opts {
		o.Selected = chosen[o.Value]
		out[i] = o
	}
	b.add(formField{Type: "checkboxes", Name: name, Label: label, Hint: hint, Options: out})
}

// checkbox is a single yes/no, sent as "ja" when ticked.
func (b *formBuilder) checkbox(name, label, hint string) {
	b.add(formField{Type: "checkbox", Name: name, Label: label, Hint: hint, Checked: b.vals.Get(name) == "ja"})
}

// inputs are the names of the form's fields, for editProblems.
func (b *formBuilder) inputs() map[string]bool {
	m := map[string]bool{}
	for _, g := range b.groups {
		for _, f := range g.Fields {
			m[f.Name] = true
		}
	}
	return m
}

// fieldID is an input's id: its name with dots as hyphens, prefixed so
// that it cannot collide with the layout's ids.
func fieldID(name string) string {
	return "falt-" + strings.NewReplacer(".", "-", "_", "-").Replace(name)
}

// summarise fills the page's error summary from the builder's problems:
// the general ones first, then one link per field in the form's order.
func (p *editPage) summarise(b *formBuilder) {
	if !b.errs.Any() {
		return
	}
	for _, msg := range b.errs.General {
		p.Problems = append(p.Problems, link{Text: msg})
	}
	linked := map[string]bool{}
	for _, g := range b.groups {
		for _, f := range g.Fields {
			if f.Error == "" {
				continue
			}
			target := f.ID
			if len(f.Options) > 0 && (f.Type == "checkboxes" || f.Type == "radios") {
				target = f.Options[0].ID
			}
			p.Problems = append(p.Problems, link{URL: "#" + target, Text: f.Error})
			linked[f.Name] = true
		}
	}
	// A field problem whose input the form lacks still has to be said.
	for name, msg := range b.errs.Fields {
		if !linked[name] {
			p.Problems = append(p.Problems, link{Text: msg})
		}
	}
	p.ProblemsTitle = "Det gick inte att spara"
	if len(p.Problems) == 1 && len(b.errs.General) == 1 && b.errs.General[0] == conflictMessage {
		p.ProblemsTitle = "Någon annan hann före"
	}
}

// The decoders below read what a form sent, adding a Swedish problem for
// what cannot be read; the store's validation says the rest.

func formText(vals url.Values, name string) string { return strings.TrimSpace(vals.Get(name)) }

// formLines reads a textarea of one entry per line, dropping empty lines.
func formLines(vals url.Values, name string) []string {
	var out []string
	for _, line := range strings.Split(vals.Get(name), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func formDecimal(vals url.Values, name string, fe *formErrors) *float64 {
	s := formText(vals, name)
	if s == "" {
		return nil
	}
	v, ok := parseDecimal(s)
	if !ok {
		fe.Add(name, "Ange ett tal, till exempel 12,5.")
		return nil
	}
	return &v
}

// formWhole reads a whole number such as a year; example is shown in the
// problem ("2030" for a year, "1" for a count of years).
func formWhole(vals url.Values, name string, fe *formErrors, example string) int {
	s := formText(vals, name)
	if s == "" {
		return 0
	}
	n, ok := parseWholeNumber(s)
	if !ok {
		fe.Add(name, "Ange ett heltal, till exempel "+example+".")
		return 0
	}
	return n
}

func formDate(vals url.Values, name string, fe *formErrors) strategy.Date {
	s := formText(vals, name)
	d, err := strategy.ParseDate(s)
	if err != nil {
		fe.Add(name, "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2024-05-16.")
		return strategy.Date{}
	}
	return d
}

// formRev parses the posted form and reads its hidden rev: the revision
// the form was opened at, which it must have (unlike postedRev).
func formRev(r *http.Request) (int64, error) {
	if err := r.ParseForm(); err != nil {
		return 0, strategy.Errorf(strategy.CodeInvalid, "Formuläret gick inte att läsa.")
	}
	s := formText(r.PostForm, "rev")
	rev, err := strconv.ParseInt(s, 10, 64)
	if err != nil || rev < 0 {
		return 0, strategy.Errorf(strategy.CodeInvalid, "Formuläret saknar versionsnummer. Ladda om sidan och försök igen.")
	}
	return rev, nil
}

// wholeValue writes a number for an input; 0 is empty.
func wholeValue(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func decimalValue(v *float64) string {
	if v == nil {
		return ""
	}
	return formatDecimal(*v)
}

// Options for the selects that several forms share.

func bodyOptions(bodies []strategy.Body, none string) []formOption {
	var out []formOption
	if none != "" {
		out = append(out, formOption{Value: "", Label: none})
	}
	for _, b := range bodies {
		out = append(out, formOption{Value: b.Key, Label: b.Name})
	}
	return out
}

func indicatorOptions(inds []strategy.Indicator, none string) []formOption {
	out := []formOption{{Value: "", Label: none}}
	for _, ind := range inds {
		out = append(out, formOption{Value: ind.Key, Label: ind.Title + " (" + ind.Key + ")"})
	}
	return out
}
