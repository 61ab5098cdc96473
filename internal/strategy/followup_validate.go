package strategy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The years a follow-up period may have.
const (
	FirstPeriodYear = 2000
	LastPeriodYear  = 2100
)

// MaxNoteLength is the longest follow-up note, in characters.
const MaxNoteLength = 4000

// Validate checks the period's invariants (see FollowUpPeriod). The paths
// of the ValidationErrors are "org", "year", "title", "document",
// "deadlines" (when there is none) and "deadlines[1].body",
// "deadlines[1].due". Whether the organisation and its bodies are stored
// is the store's to check.
func (p FollowUpPeriod) Validate() error {
	pr := newProblems("")
	if !ValidOrgCode(p.Org) {
		pr.add("org", "Välj organisation.", "%q is not a kommun, län or riket code", p.Org)
	}
	if p.Year < FirstPeriodYear || p.Year > LastPeriodYear {
		pr.add("year", yearSv(FirstPeriodYear, LastPeriodYear),
			"must be %d–%d, got %d", FirstPeriodYear, LastPeriodYear, p.Year)
	}
	if strings.TrimSpace(p.Title) == "" {
		example := 2026
		if p.Year >= FirstPeriodYear && p.Year <= LastPeriodYear {
			example = p.Year
		}
		pr.add("title", fmt.Sprintf("Ange en rubrik, till exempel ”Uppföljning %d”.", example), "is required")
	}
	if p.Document != "" && !ValidKey(p.Document) {
		pr.addKey("document", p.Document)
	}
	if len(p.Deadlines) == 0 {
		pr.add("deadlines", "Lägg till minst ett organ och sista dag för dess uppföljning.",
			"at least one body with a due date is required")
	}
	seen := make(map[string]bool, len(p.Deadlines))
	for i, d := range p.Deadlines {
		q := pr.index("deadlines", i)
		switch {
		case d.Body == "":
			q.add("body", "Välj ett organ.", "is required")
		case !ValidKey(d.Body):
			q.addKey("body", d.Body)
		case seen[d.Body]:
			q.add("body", fmt.Sprintf("Organet ”%s” har redan en sista dag i den här perioden.", d.Body),
				"body %q has another deadline in this period", d.Body)
		}
		seen[d.Body] = true
		if d.Due.IsZero() {
			q.add("due", "Ange sista dag för organets uppföljning.", "is required: the day the body's follow-up is due")
		}
	}
	return pr.err()
}

// Validate checks a follow-up note before it is added: the text is not
// blank and at most MaxNoteLength characters, and the date is set. The
// paths are "text" and "date".
func (n Note) Validate() error {
	p := newProblems("")
	switch length := utf8.RuneCountInString(n.Text); {
	case strings.TrimSpace(n.Text) == "":
		p.add("text", "Skriv en anteckning.", "is required")
	case length > MaxNoteLength:
		p.add("text", "Anteckningen får vara högst 4\u00a0000 tecken lång. Korta den eller dela upp den på flera anteckningar.",
			"is %d characters long; at most %d are allowed", length, MaxNoteLength)
	}
	if n.Date.IsZero() {
		p.add("date", "Ange vilket datum anteckningen gäller.", "is required: the day the note is about")
	}
	return p.err()
}
