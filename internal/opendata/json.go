package opendata

import (
	"encoding/json"
	"io"

	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/scorecard"
	"github.com/inkludera/inkludera/internal/strategy"
)

// indicatorFile is the JSON of one indicator for one organisation.
type indicatorFile struct {
	Indicator    indicatorMeta `json:"indicator"`
	Organisation organisation  `json:"organisation"`
	Sources      []Source      `json:"sources"`
	Observations []observation `json:"observations"`
}

// organisation is an organisation as the files name it.
type organisation struct {
	Code string           `json:"code"`
	Name string           `json:"name"`
	Kind strategy.OrgKind `json:"kind,omitempty"`
}

func orgOf(o strategy.Organisation) organisation {
	return organisation{Code: o.Code, Name: o.Name, Kind: o.Kind}
}

// indicatorMeta describes an indicator: what it measures, in what unit,
// which way is good, where its values come from and how to credit them.
type indicatorMeta struct {
	Key         string            `json:"key"`
	Title       string            `json:"title"`
	Description string            `json:"description,omitempty"`
	Unit        string            `json:"unit"`
	Polarity    strategy.Polarity `json:"polarity"`
	Breakdowns  []string          `json:"breakdowns,omitempty"`
	// Source is the indicator's source as Inkludera stores it
	// ("kolada:N02926"); SourceID the source's own id ("N02926"),
	// SourceName who publishes it, SourceURL a link to it.
	Source     string `json:"source"`
	SourceID   string `json:"source_id,omitempty"`
	SourceName string `json:"source_name"`
	SourceURL  string `json:"source_url,omitempty"`
	// Attribution is what a reuser credits for the values listed:
	// "Källa: Kolada", or several when the values come from several
	// sources.
	Attribution []string `json:"attribution"`
	// Translations are the title and description in other languages
	// than Swedish, where the organisation has translated them.
	Translations strategy.Translations `json:"translations,omitempty"`
}

// observation is one row: a year and gender with its value or null.
type observation struct {
	Year        int             `json:"year"`
	Gender      strategy.Gender `json:"gender"`
	Value       *float64        `json:"value"`
	Status      string          `json:"status,omitempty"`
	Preliminary bool            `json:"preliminary,omitempty"`
	Source      string          `json:"source,omitempty"`
	Attribution string          `json:"attribution,omitempty"`
}

// meta describes ind for the organisation; rs are its rows.
func meta(ind strategy.Indicator, org strategy.Organisation, rs []row) indicatorMeta {
	id, url := sourceRef(ind)
	m := indicatorMeta{
		Key: ind.Key, Title: ind.Title, Description: ind.Description, Unit: ind.Unit,
		Polarity: ind.Polarity, Breakdowns: ind.Breakdowns,
		Source: ind.Source, SourceID: id, SourceName: sourceName(ind, org.Name), SourceURL: url,
		Translations: ind.Translations,
	}
	for _, a := range attributions(ind, rs) {
		m.Attribution = append(m.Attribution, SourceOf(a, org.Name).Credit)
	}
	return m
}

func observations(ind strategy.Indicator, rs []row) []observation {
	out := make([]observation, 0, len(rs))
	for _, r := range rs {
		o := observation{Year: r.Year, Gender: r.Gender}
		if r.Obs != nil {
			o.Value = r.Obs.Value
			o.Status = r.Obs.Status
			o.Preliminary = r.Obs.Preliminary
			o.Source = r.Obs.Source
			o.Attribution = Attribution(ind, r.Obs.Source)
		}
		out = append(out, o)
	}
	return out
}

// sources describes the sources behind the attributions, each once, in
// the order of attributionOrder.
func sources(set map[string]bool, orgName string) []Source {
	out := []Source{}
	for _, a := range sortAttributions(set) {
		out = append(out, SourceOf(a, orgName))
	}
	return out
}

// WriteIndicatorJSON writes an indicator's metadata, its sources with
// their terms and its values for the organisation (the same rows as the
// CSV, with null for a missing value).
func WriteIndicatorJSON(w io.Writer, d IndicatorData) error {
	rs := rows(d.Indicator, d.Org.Code, d.Observations)
	set := map[string]bool{}
	for _, a := range attributions(d.Indicator, rs) {
		set[a] = true
	}
	return writeJSON(w, indicatorFile{
		Indicator:    meta(d.Indicator, d.Org, rs),
		Organisation: orgOf(d.Org),
		Sources:      sources(set, d.Org.Name),
		Observations: observations(d.Indicator, rs),
	})
}

// documentFile is the JSON of a governing document's data.
type documentFile struct {
	Document       documentMeta        `json:"document"`
	Organisation   organisation        `json:"organisation"`
	EvaluationYear int                 `json:"evaluation_year"`
	Sources        []Source            `json:"sources"`
	OwnProcessing  Text                `json:"own_processing"`
	Indicators     []documentIndicator `json:"indicators"`
	Targets        []target            `json:"targets"`
}

type documentMeta struct {
	Key       string                  `json:"key"`
	Title     string                  `json:"title"`
	Kind      strategy.DocumentKind   `json:"kind"`
	Status    strategy.DocumentStatus `json:"status"`
	AdoptedBy string                  `json:"adopted_by,omitempty"`
	AdoptedOn strategy.Date           `json:"adopted_on,omitzero"`
	Reference string                  `json:"decision,omitempty"`
	ValidFrom strategy.Date           `json:"valid_from,omitzero"`
	ValidTo   strategy.Date           `json:"valid_to,omitzero"`
}

// documentIndicator is an indicator of the document with where the
// document uses it and its values.
type documentIndicator struct {
	indicatorMeta
	UsedIn       []use         `json:"used_in"`
	Observations []observation `json:"observations"`
}

// use is a place in the document that refers to an indicator: the
// document itself, an area, a target (its series) or a target's
// reference series.
type use struct {
	Kind string `json:"kind"` // "document", "area", "target", "reference"
	Key  string `json:"key,omitempty"`
}

// target is a target with its status as of the evaluation year.
type target struct {
	Key                string              `json:"key"`
	Area               string              `json:"area"`
	Goal               string              `json:"goal"`
	Text               string              `json:"text"`
	Kind               strategy.TargetKind `json:"kind"`
	Comparator         strategy.Comparator `json:"comparator,omitempty"`
	Value              *float64            `json:"value"`
	Unit               string              `json:"unit,omitempty"`
	BaseYear           int                 `json:"base_year,omitempty"`
	BaseValue          *float64            `json:"base_value,omitempty"`
	TargetYear         int                 `json:"target_year,omitempty"`
	Indicator          string              `json:"indicator,omitempty"`
	ReferenceIndicator string              `json:"reference_indicator,omitempty"`
	Gender             strategy.Gender     `json:"gender,omitempty"`
	Status             *targetStatus       `json:"status"`
}

// targetStatus is a target's status, labelled as what it is: Inkludera's
// own processing, or a manual assessment by the organisation (with the
// computed status beside it).
type targetStatus struct {
	Code        progress.Status `json:"code"`
	Label       progress.Text   `json:"label"`
	Processing  string          `json:"processing"`
	Method      progress.Method `json:"method"`
	Explanation progress.Text   `json:"explanation"`
	// Assessment is the hand-set status with its justification; Computed
	// is then what Inkludera computed from the values.
	Assessment *strategy.Assessment `json:"assessment,omitempty"`
	Computed   *computedStatus      `json:"computed,omitempty"`
	Women      *computedStatus      `json:"women,omitempty"`
	Men        *computedStatus      `json:"men,omitempty"`
}

// computedStatus is a status Inkludera computed.
type computedStatus struct {
	Code        progress.Status `json:"code"`
	Label       progress.Text   `json:"label"`
	Processing  string          `json:"processing"`
	Method      progress.Method `json:"method"`
	Explanation progress.Text   `json:"explanation"`
}

// WriteDocumentJSON writes the document's data: the document, every
// indicator it uses with where it uses it and its values, the targets with
// their statuses as of d.Year, the sources with their terms, and the
// label of Inkludera's own processing.
func WriteDocumentJSON(w io.Writer, d DocumentData) error {
	inds := documentIndicators(d)
	doc := d.Document
	f := documentFile{
		Document: documentMeta{
			Key: doc.Key, Title: doc.Title, Kind: doc.Kind, Status: doc.Status,
			AdoptedBy: doc.Adopted.By, AdoptedOn: doc.Adopted.On, Reference: doc.Adopted.Reference,
			ValidFrom: doc.ValidFrom, ValidTo: doc.ValidTo,
		},
		Organisation:   orgOf(d.Org),
		EvaluationYear: d.Year,
		OwnProcessing:  OwnProcessing,
		Indicators:     []documentIndicator{},
		Targets:        []target{},
	}
	uses := indicatorUses(doc)
	set := map[string]bool{}
	for _, ind := range inds {
		rs := rows(ind, d.Org.Code, d.Observations)
		for _, a := range attributions(ind, rs) {
			set[a] = true
		}
		f.Indicators = append(f.Indicators, documentIndicator{
			indicatorMeta: meta(ind, d.Org, rs),
			UsedIn:        uses[ind.Key],
			Observations:  observations(ind, rs),
		})
	}
	f.Sources = sources(set, d.Org.Name)

	sc := scorecard.Evaluate(withOrg(doc, d.Org.Code), indicatorsByKey(inds), d.Observations, d.Year)
	for _, a := range doc.Areas {
		var walk func(goals []strategy.Goal)
		walk = func(goals []strategy.Goal) {
			for _, g := range goals {
				for _, t := range g.Targets {
					out := target{
						Key: t.Key, Area: a.Key, Goal: g.Key, Text: t.Text, Kind: t.Kind, Comparator: t.Comparator,
						Value: t.Value, Unit: t.Unit, BaseYear: t.BaseYear, BaseValue: t.BaseValue, TargetYear: t.TargetYear,
						Indicator: t.Indicator, ReferenceIndicator: t.ReferenceIndicator, Gender: t.Gender,
					}
					if st, ok := sc.Target(t.Key); ok {
						out.Status = statusOf(st, t.Assessment)
					}
					f.Targets = append(f.Targets, out)
				}
				walk(g.Goals)
			}
		}
		walk(a.Goals)
	}
	return writeJSON(w, f)
}

// withOrg makes sure the document names its organisation, which
// scorecard.Evaluate matches observations by.
func withOrg(doc strategy.Document, org string) strategy.Document {
	if doc.Org == "" {
		doc.Org = org
	}
	return doc
}

// indicatorUses lists, per indicator key, where the document refers to it,
// in document order.
func indicatorUses(doc strategy.Document) map[string][]use {
	out := map[string][]use{}
	add := func(key string, u use) {
		if key != "" && !containsUse(out[key], u) {
			out[key] = append(out[key], u)
		}
	}
	for _, k := range doc.Indicators {
		add(k, use{Kind: "document"})
	}
	var goals func([]strategy.Goal)
	goals = func(gs []strategy.Goal) {
		for _, g := range gs {
			for _, t := range g.Targets {
				add(t.Indicator, use{Kind: "target", Key: t.Key})
				add(t.ReferenceIndicator, use{Kind: "reference", Key: t.Key})
			}
			goals(g.Goals)
		}
	}
	for _, a := range doc.Areas {
		for _, k := range a.Indicators {
			add(k, use{Kind: "area", Key: a.Key})
		}
		goals(a.Goals)
	}
	return out
}

func containsUse(us []use, u use) bool {
	for _, x := range us {
		if x == u {
			return true
		}
	}
	return false
}

func statusOf(st *scorecard.Status, a *strategy.Assessment) *targetStatus {
	out := &targetStatus{
		Code: st.Code, Label: st.Label, Processing: ProcessingComputed,
		Method: st.Method, Explanation: st.Explanation,
		Women: computed(st.Women), Men: computed(st.Men),
	}
	if st.Override != nil && a != nil {
		out.Processing = ProcessingManual
		out.Assessment = a
		out.Computed = &computedStatus{
			Code: st.Computed, Label: st.Computed.Label(), Processing: ProcessingComputed,
			Method: st.Method, Explanation: st.ComputedExplanation,
		}
	}
	return out
}

func computed(st *scorecard.Status) *computedStatus {
	if st == nil {
		return nil
	}
	// A gender's result is never overridden: its explanation is the
	// computed one (ComputedExplanation is set on the total only).
	return &computedStatus{Code: st.Computed, Label: st.Computed.Label(), Processing: ProcessingComputed,
		Method: st.Method, Explanation: st.Explanation}
}

// writeJSON writes v indented, with a final newline, without escaping
// <, > and & (the files are data, not HTML).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
