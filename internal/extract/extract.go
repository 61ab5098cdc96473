// Package extract reads an adopted strategy's text and proposes what a
// coordinator would otherwise type: the document's metadata (DetectMeta)
// and a draft strategy file (FromText, Draft.File) with its focus areas,
// goals, quantitative targets, commitments, definitions and responsible
// bodies. Every item keeps the sentence it came from, so that a reviewer
// sees why it was proposed.
//
// The reading is rule-based and uses only general Swedish strategy
// vocabulary (see doc.go for how each part of a text maps to the format).
// Text may arrive with or without line breaks: as paragraphs separated by
// blank lines (internal/doctext), hard-wrapped lines, or one run of text per
// page with the page number at its end.
package extract

import (
	"fmt"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Evidence is the sentence (or heading) an item came from. Start and End are
// byte offsets into the text given to FromText or DetectMeta; Sentence is
// that text with its whitespace collapsed (and page numbers or running
// headers between its parts left out).
type Evidence struct {
	Sentence   string
	Start, End int
}

// Meta is what the text says about the document itself.
type Meta struct {
	Title, Subtitle string
	// Kind is strategi, program, plan, policy, riktlinjer or regler; ""
	// when the text does not say.
	Kind string
	// OrgCode is the SCB code of the kommun ("2380") or region ("23");
	// OrgName its name ("Östersunds kommun", "Region Jämtland Härjedalen");
	// OrgKind "kommun" or "region"; County the länskod ("23").
	OrgCode, OrgName, OrgKind, County string
	// Year is the document's year: the year it was adopted when the text
	// says so (also from a decision reference such as "Kf 58/2018"), else
	// the first year in its title, else the first year of its validity; 0
	// when none is found.
	Year int
	// AdoptedBy is the adopting body, normalised: "Kommunfullmäktige",
	// "Kommunstyrelsen", "Regionfullmäktige", "Socialnämnden"…
	AdoptedBy string
	AdoptedOn string // ISO date, "2016-05-10"
	Paragraph string // "§ 169"
	// CaseNumber is the diarienummer as written, without "Dnr":
	// "KS 2016/379", "KS-2013/1073", "KS/2015/0173".
	CaseNumber string
	Owner      string // the body that owns the document, normalised like AdoptedBy
	// Responsible is the officer or role answering for the document when
	// the text names one instead of a body ("Dokumentägare: kommundirektören").
	Responsible string
	Identifier  string // the document register's number ("Id nr: 0:34")
	Version     string
	// ValidFrom and ValidTo are ISO dates from a stated validity
	// ("Giltighetstid: 2014 - 2015" gives 2014-01-01 and 2015-12-31).
	ValidFrom, ValidTo string
	// Evidence holds, per field name ("Title", "OrgCode", "AdoptedOn"…),
	// where the value was found.
	Evidence map[string]Evidence
}

// Draft is a proposed strategy document: the items found in a text, each
// with its evidence, arranged the way the strategy file nests them.
type Draft struct {
	Meta Meta
	// Areas are the focus areas in the order found.
	Areas []Area
	// Goals, Targets and Commitments outside any focus area: Draft.File
	// gives them a placeholder area to live in.
	Goals       []Goal
	Targets     []Target
	Commitments []Commitment
	Definitions []Definition
	// Responsibilities are the bodies that answer for the document as a
	// whole ("Kommunstyrelsen ansvarar för …").
	Responsibilities []Responsibility
	FollowUp         *FollowUp
	Revision         *Revision
}

// Area is a focus area (fokusområde, strategiområde, målområde …).
type Area struct {
	Title            string
	Prioritised      bool
	Description      string
	Goals            []Goal
	Targets          []Target     // targets not under any of the area's goals
	Commitments      []Commitment // commitments not under any of its goals
	Responsibilities []Responsibility
	Evidence         Evidence
	// GoalsByOrder is true when the goals were placed here by their order
	// in the text (as many goals without an area as areas without goals),
	// not because the text puts them under the area.
	GoalsByOrder bool
}

// Goal is a long-term goal (level langsiktigt) or a sub-goal (delmal).
type Goal struct {
	Title            string
	Level            strategy.GoalLevel
	Number           string // as numbered in the text ("2", "1.1", "A1"), if it is
	Description      string
	Targets          []Target
	Goals            []Goal
	Commitments      []Commitment
	Responsibilities []Responsibility
	Evidence         Evidence
}

// Target is a quantitative target as the text states it. Value is nil for
// direction targets and for relative targets of "the same level".
type Target struct {
	Text       string
	Kind       strategy.TargetKind
	Comparator strategy.Comparator
	Value      *float64
	Unit       string
	TargetYear int
	BaseYear   int
	BaseValue  *float64
	Gender     strategy.Gender // "" for everyone
	// Reference is what a relative target compares with ("kommunens
	// inrikes födda i samma ålder").
	Reference string
	Evidence  Evidence
}

// Commitment is a strategy statement ("Kommunen ska …"). Bodies are the
// names of the bodies that carry it, when the sentence names them.
type Commitment struct {
	Text     string
	Bodies   []string
	Evidence Evidence
}

// Definition is a term and how the document defines it.
type Definition struct {
	Term, Definition string
	Evidence         Evidence
}

// Responsibility is a body that answers for an area or the document.
type Responsibility struct {
	Body     string // the body's name as normalised by bodyOf
	Role     strategy.ResponsibilityRole
	Duties   []string
	Evidence Evidence
}

// FollowUp is how the text says the document is followed up.
type FollowUp struct {
	IntervalYears     int
	Occasion          string // "i samband med bokslut"
	ReportTo          string // a body's name
	DeepIntervalYears int
	Evidence          Evidence
}

// Revision is when the text says the document is revised.
type Revision struct {
	Due       int
	Condition string
	Evidence  Evidence
}

// DetectMeta finds the document's metadata in its text. fileTitle is the
// title the file itself carries (PDF or DOCX properties, a Markdown
// heading), or ""; it helps to split a cover page that lost its line breaks.
func DetectMeta(text, fileTitle string) Meta {
	return detectMeta(prepare(text), fileTitle)
}

// FromText reads a strategy's text into a draft. fileTitle is as for
// DetectMeta.
func FromText(text, fileTitle string) Draft {
	d := prepare(text)
	b := newBuilder(d)
	b.draft.Meta = detectMeta(d, fileTitle)
	b.run()
	return b.finish()
}

// Counts are how many items of each kind a draft holds.
type Counts struct {
	Areas, Goals, Targets, Commitments, Definitions, Responsibilities int
}

// Counts counts the draft's items, wherever they are in its tree.
func (d Draft) Counts() Counts {
	var c Counts
	var goals func([]Goal)
	goals = func(gs []Goal) {
		for _, g := range gs {
			c.Goals++
			c.Targets += len(g.Targets)
			c.Commitments += len(g.Commitments)
			c.Responsibilities += len(g.Responsibilities)
			goals(g.Goals)
		}
	}
	for _, a := range d.Areas {
		c.Areas++
		c.Targets += len(a.Targets)
		c.Commitments += len(a.Commitments)
		c.Responsibilities += len(a.Responsibilities)
		goals(a.Goals)
	}
	goals(d.Goals)
	c.Targets += len(d.Targets)
	c.Commitments += len(d.Commitments)
	c.Definitions = len(d.Definitions)
	c.Responsibilities += len(d.Responsibilities)
	return c
}

// SetOrganisation replaces the organisation the text was read as
// belonging to with the kommun (four digits) or region (two) code.
func (d *Draft) SetOrganisation(code string) error {
	o, ok := orgByCode(code)
	if !ok {
		return fmt.Errorf("%q is not the code of a kommun (four digits, e.g. 2380) or a region (two digits, e.g. 23)", code)
	}
	d.Meta.OrgCode, d.Meta.OrgName, d.Meta.OrgKind, d.Meta.County = o.code, o.name, o.kind, o.county
	if d.Meta.Evidence == nil {
		d.Meta.Evidence = map[string]Evidence{}
	}
	d.Meta.Evidence["OrgCode"] = Evidence{Sentence: "Angiven av användaren: " + o.name}
	return nil
}
