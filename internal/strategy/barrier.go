package strategy

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ObjBarrierReport names a barrier report in the audit trail; Key is the
// report's id, no Document.
const ObjBarrierReport ObjectKind = "barrier_report"

// The longest texts a BarrierReport keeps, in characters. They are
// generous for what a reader writes in a form and keep a flood of reports
// from filling the database.
const (
	MaxBarrierPage        = 500
	MaxBarrierDescription = 5000
	MaxBarrierName        = 200
	MaxBarrierNote        = 2000
)

// BarrierReport is a reader's report of a barrier on the site: something
// that keeps them from using it. The law on accessible digital public
// services (lag 2018:1937, 13 §) requires a way for anyone to tell the
// site's owner; the accessibility statement offers it as a form, and
// administrators read the reports and mark them handled.
//
// Invariants (Validate): a description that is not blank; Page, Name and
// Description within their maximum lengths; an e-mail, when given, is an
// address; wanting an answer needs an e-mail to answer to; Language is
// the code of the interface language the report was written in.
type BarrierReport struct {
	ID int64 `json:"id"`
	// Page is the page the barrier is on: its path when the reader came
	// from the footer link of that page, or what the reader wrote; "" when
	// they did not say.
	Page        string `json:"page,omitempty"`
	Description string `json:"description"`
	// Name and Email are the reader's, both optional: a report may be
	// anonymous.
	Name        string    `json:"name,omitempty"`
	Email       string    `json:"email,omitempty"`
	WantsAnswer bool      `json:"wants_answer,omitempty"`
	Language    string    `json:"language"` // "sv", "ar", …: the language to answer in
	CreatedAt   time.Time `json:"created_at"`
	// Handled is when an administrator marked the report handled, nil
	// while it is open; HandledBy is who did, and Note what was done.
	Handled   *time.Time `json:"handled,omitempty"`
	HandledBy string     `json:"handled_by,omitempty"`
	Note      string     `json:"note,omitempty"`
}

// BarrierProblem is one thing wrong with a BarrierReport, in the terms a
// form needs to say it in the reader's own language: the field and the
// kind of problem (and for BarrierTooLong the limit). Validate words the
// same problems in English and Swedish.
type BarrierProblem struct {
	Field string // "page", "description", "name", "email", "language"
	Kind  string // BarrierMissing, BarrierTooLong, BarrierNotEmail, BarrierNeedsEmail
	Max   int    // the maximum length of a BarrierTooLong
}

// The kinds of BarrierProblem.
const (
	BarrierMissing    = "missing"
	BarrierTooLong    = "too_long"
	BarrierNotEmail   = "not_email"
	BarrierNeedsEmail = "needs_email" // an answer is wanted but there is no e-mail to send it to
)

// Problems lists what is wrong with the report, in the order of the
// form's fields; nil when nothing is.
func (b BarrierReport) Problems() []BarrierProblem {
	var out []BarrierProblem
	tooLong := func(field, s string, limit int) {
		if utf8.RuneCountInString(s) > limit {
			out = append(out, BarrierProblem{Field: field, Kind: BarrierTooLong, Max: limit})
		}
	}
	tooLong("page", b.Page, MaxBarrierPage)
	if strings.TrimSpace(b.Description) == "" {
		out = append(out, BarrierProblem{Field: "description", Kind: BarrierMissing})
	}
	tooLong("description", b.Description, MaxBarrierDescription)
	tooLong("name", b.Name, MaxBarrierName)
	switch {
	case b.Email == "" && b.WantsAnswer:
		out = append(out, BarrierProblem{Field: "email", Kind: BarrierNeedsEmail})
	case b.Email == "":
	case len(b.Email) > maxEmail:
		out = append(out, BarrierProblem{Field: "email", Kind: BarrierTooLong, Max: maxEmail})
	default:
		if en, _ := emailProblem(b.Email); en != "" {
			out = append(out, BarrierProblem{Field: "email", Kind: BarrierNotEmail})
		}
	}
	if b.Language == "" || len(b.Language) > 8 {
		out = append(out, BarrierProblem{Field: "language", Kind: BarrierMissing})
	}
	return out
}

// Validate checks the invariants above. The paths of the ValidationErrors
// are the field names of BarrierProblem.
func (b BarrierReport) Validate() error {
	p := newProblems("")
	for _, pr := range b.Problems() {
		switch {
		case pr.Kind == BarrierTooLong:
			p.add(pr.Field, fmt.Sprintf("Texten får vara högst %d tecken lång.", pr.Max), "is longer than %d characters", pr.Max)
		case pr.Field == "description":
			p.add(pr.Field, "Beskriv problemet.", "is required")
		case pr.Kind == BarrierNeedsEmail:
			p.add(pr.Field, "Ange din e-postadress om du vill ha svar.", "is required to get an answer")
		case pr.Kind == BarrierNotEmail:
			en, sv := emailProblem(b.Email)
			p.put(pr.Field, sv, en)
		case pr.Field == "language":
			p.add(pr.Field, "Språket som rapporten skrevs på saknas.", "must be a language code such as sv, got %q", b.Language)
		}
	}
	return p.err()
}

// BarrierFilter selects barrier reports.
type BarrierFilter struct {
	// Open selects only the reports not yet handled.
	Open bool
	// Limit caps the number of reports; 0 means 500.
	Limit int
}

// BarrierStore keeps barrier reports. Errors: a report or note that does
// not validate is CodeInvalid with the ValidationErrors reachable through
// errors.As; an unknown report is CodeNotFound; marking a report that is
// already handled is CodeConflict.
//
// Adding a report is not audited, unlike the other stores' writes: it is
// the public's message, not a change to anything, and the report is its
// own record. The append-only audit trail must not keep a reader's name
// and e-mail either, so marking a report handled records only its state.
type BarrierStore interface {
	// AddBarrierReport stores a new report (r.ID and the Handled fields
	// are ignored; CreatedAt is the time of storing when zero) and returns
	// it as stored.
	AddBarrierReport(ctx context.Context, r BarrierReport) (BarrierReport, error)
	// BarrierReports lists the reports matching f: open ones first, then
	// handled ones, each newest first.
	BarrierReports(ctx context.Context, f BarrierFilter) ([]BarrierReport, error)
	// MarkBarrierHandled marks the report handled now by the actor of ctx,
	// with a note (optional, at most MaxBarrierNote characters) of what was
	// done, and returns it. Audited as ObjBarrierReport, AuditUpdate.
	MarkBarrierHandled(ctx context.Context, id int64, note string) (BarrierReport, error)
}

// CheckBarrierNote checks a note on handling a report: nil or
// ValidationErrors with path "note".
func CheckBarrierNote(note string) error {
	p := newProblems("")
	if utf8.RuneCountInString(note) > MaxBarrierNote {
		p.add("note", fmt.Sprintf("Anteckningen får vara högst %d tecken lång.", MaxBarrierNote),
			"is longer than %d characters", MaxBarrierNote)
	}
	return p.err()
}
