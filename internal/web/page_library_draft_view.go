package web

import (
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/extract"
	"github.com/inkludera/inkludera/internal/strategy"
)

// draftView lays a draft out for the review screen: the metadata rows,
// the items by kind with the sentence each came from, and a count of
// what was found.
func draftView(d extract.Draft) (meta []draftItem, sections []draftSection, summary string) {
	meta = draftMetaRows(d)

	areas := draftSection{ID: "utkast-omraden", Name: "Fokusområden"}
	goals := draftSection{ID: "utkast-mal", Name: "Mål och delmål"}
	targets := draftSection{ID: "utkast-malvarden", Name: "Målvärden"}
	commitments := draftSection{ID: "utkast-ataganden", Name: "Åtaganden"}
	terms := draftSection{ID: "utkast-begrepp", Name: "Begrepp"}
	bodies := draftSection{ID: "utkast-ansvar", Name: "Ansvariga organ"}

	addTargets := func(ts []extract.Target, where string) {
		for _, t := range ts {
			targets.Items = append(targets.Items, draftItem{Value: t.Text, Details: joinDetails(draftRequirement(t), where), Sentence: t.Evidence.Sentence})
		}
	}
	addCommitments := func(cs []extract.Commitment, where string) {
		for _, c := range cs {
			details := where
			if len(c.Bodies) > 0 {
				details = joinDetails("Ansvariga: "+strings.Join(c.Bodies, ", "), where)
			}
			commitments.Items = append(commitments.Items, draftItem{Value: c.Text, Details: details, Sentence: c.Evidence.Sentence})
		}
	}
	addResponsibilities := func(rs []extract.Responsibility, where string) {
		for _, r := range rs {
			details := roleLabel(r.Role)
			if len(r.Duties) > 0 {
				details = joinDetails(details, strings.Join(r.Duties, "; "))
			}
			bodies.Items = append(bodies.Items, draftItem{Value: r.Body, Details: joinDetails(details, where), Sentence: r.Evidence.Sentence})
		}
	}
	var addGoals func(gs []extract.Goal, depth int, where string)
	addGoals = func(gs []extract.Goal, depth int, where string) {
		for _, g := range gs {
			label := goalLevelLabel(g.Level)
			if g.Number != "" {
				label += " " + g.Number
			}
			goals.Items = append(goals.Items, draftItem{Label: label, Value: g.Title, Details: joinDetails(g.Description, where),
				Sentence: g.Evidence.Sentence, Depth: depth + 1})
			in := "Mål: " + g.Title
			addTargets(g.Targets, in)
			addCommitments(g.Commitments, in)
			addGoals(g.Goals, depth+1, in)
		}
	}

	for _, a := range d.Areas {
		details := a.Description
		if a.Prioritised {
			details = joinDetails("Prioriterat", details)
		}
		areas.Items = append(areas.Items, draftItem{Value: a.Title, Details: details, Sentence: a.Evidence.Sentence})
		in := "Fokusområde: " + a.Title
		addGoals(a.Goals, 0, in)
		addTargets(a.Targets, in)
		addCommitments(a.Commitments, in)
		addResponsibilities(a.Responsibilities, in)
	}
	addGoals(d.Goals, 0, "")
	addTargets(d.Targets, "")
	addCommitments(d.Commitments, "")
	addResponsibilities(d.Responsibilities, "Hela dokumentet")
	for _, t := range d.Definitions {
		terms.Items = append(terms.Items, draftItem{Value: t.Term, Details: t.Definition, Sentence: t.Evidence.Sentence})
	}

	sections = []draftSection{areas, goals, targets, commitments, terms, bodies}
	var counts []string
	for _, c := range []struct {
		n         int
		one, many string
	}{
		{len(areas.Items), "fokusområde", "fokusområden"},
		{len(goals.Items), "mål", "mål"},
		{len(targets.Items), "målvärde", "målvärden"},
		{len(commitments.Items), "åtagande", "åtaganden"},
		{len(terms.Items), "begrepp", "begrepp"},
		{len(bodies.Items), "ansvarigt organ", "ansvariga organ"},
	} {
		counts = append(counts, count(c.n)+" "+plural(c.n, c.one, c.many))
	}
	summary = "Hittades i texten: " + strings.Join(counts, ", ") + "."
	return meta, sections, summary
}

// draftMetaRows are the document's facts as found: the essential ones
// always (saying when the text did not have them), the rest when found.
func draftMetaRows(d extract.Draft) []draftItem {
	m := d.Meta
	var rows []draftItem
	add := func(label, value string, always bool, evidence ...string) {
		if value == "" && !always {
			return
		}
		row := draftItem{Label: label, Value: value}
		if value == "" {
			row.Value = "Saknas"
		}
		for _, field := range evidence {
			if e, ok := m.Evidence[field]; ok && e.Sentence != "" {
				row.Sentence = e.Sentence
				break
			}
		}
		rows = append(rows, row)
	}
	org := m.OrgName
	if m.OrgCode != "" {
		org = strings.TrimSpace(org + " (" + m.OrgCode + ")")
	}
	kind := ""
	if m.Kind != "" {
		kind = documentKindLabel(strategy.DocumentKind(m.Kind))
	}
	add("Titel", m.Title, true, "Title")
	add("Undertitel", m.Subtitle, false, "Subtitle")
	add("Typ", kind, true, "Kind")
	add("Organisation", org, true, "OrgCode", "OrgName")
	add("År", yearString(m.Year), true, "Year")
	add("Antagen av", m.AdoptedBy, true, "AdoptedBy")
	add("Antagen datum", m.AdoptedOn, true, "AdoptedOn")
	add("Paragraf", m.Paragraph, false, "Paragraph")
	add("Diarienummer", m.CaseNumber, false, "CaseNumber")
	add("Ägare", m.Owner, false, "Owner")
	add("Id nr", m.Identifier, false, "Identifier")
	add("Version", m.Version, false, "Version")
	if m.ValidFrom != "" || m.ValidTo != "" {
		add("Giltig", strings.TrimSpace(m.ValidFrom+" – "+m.ValidTo), false, "ValidFrom", "ValidTo")
	}
	if f := d.FollowUp; f != nil {
		text := "Följs upp"
		if f.IntervalYears > 0 {
			text += " " + describe.EveryNYears(f.IntervalYears)
		}
		if f.Occasion != "" {
			text += " " + f.Occasion
		}
		if f.ReportTo != "" {
			text += " och rapporteras till " + f.ReportTo
		}
		rows = append(rows, draftItem{Label: "Uppföljning", Value: text + ".", Sentence: f.Evidence.Sentence})
	}
	if r := d.Revision; r != nil {
		text := r.Condition
		if r.Due != 0 {
			text = joinDetails("Senast "+strconv.Itoa(r.Due), r.Condition)
		}
		rows = append(rows, draftItem{Label: "Revidering", Value: text, Sentence: r.Evidence.Sentence})
	}
	return rows
}

// draftRequirement states what a found target demands, as the document
// page will once it is imported: "minst 60 % år 2026".
func draftRequirement(t extract.Target) string {
	st := strategy.Target{Kind: t.Kind, Comparator: t.Comparator, Value: t.Value, Unit: t.Unit, TargetYear: t.TargetYear,
		BaseYear: t.BaseYear, BaseValue: t.BaseValue, Gender: t.Gender}
	req := requirement(st, t.Reference)
	if req == "" && t.Kind != "" {
		req = targetKindLabel(t.Kind)
	}
	if t.Gender != "" {
		req = joinDetails(req, genderLabel(t.Gender))
	}
	return req
}

// joinDetails joins the non-empty parts with "; ".
func joinDetails(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}
