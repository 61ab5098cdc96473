package web

import (
	"net/url"
	"strings"

	"github.com/inkludera/inkludera/internal/progress"
	"github.com/inkludera/inkludera/internal/strategy"
)

// treeKind is a kind of object in a document's tree as the forms and the
// API name it.
type treeKind struct {
	obj      strategy.ObjectKind
	segment  string // in the forms' URLs: /redigera/dokument/{doc}/omrade/{obj}
	api      string // in the API's: /api/v1/documents/{key}/areas/{obj}
	noun     string // "område", for "Nytt område" and messages
	definite string // "området"
	newTitle string
	// placed kinds need a place when new (the forms' "parent").
	placed bool
}

var treeKinds = []treeKind{
	{obj: strategy.ObjArea, segment: "omrade", api: "areas", noun: "område", definite: "området", newTitle: "Nytt område"},
	{obj: strategy.ObjGoal, segment: "mal", api: "goals", noun: "mål", definite: "målet", newTitle: "Nytt mål", placed: true},
	{obj: strategy.ObjTarget, segment: "malvarde", api: "targets", noun: "målvärde", definite: "målvärdet", newTitle: "Nytt målvärde", placed: true},
	{obj: strategy.ObjCommitment, segment: "atagande", api: "commitments", noun: "åtagande", definite: "åtagandet", newTitle: "Nytt åtagande", placed: true},
	{obj: strategy.ObjTerm, segment: "begrepp", api: "terms", noun: "begrepp", definite: "begreppet", newTitle: "Nytt begrepp"},
	{obj: strategy.ObjResponsibility, segment: "ansvar", api: "responsibilities", noun: "ansvar", definite: "ansvaret", newTitle: "Nytt ansvar", placed: true},
}

func treeKindBySegment(seg string) (treeKind, bool) {
	for _, k := range treeKinds {
		if k.segment == seg {
			return k, true
		}
	}
	return treeKind{}, false
}

func treeKindByAPI(seg string) (treeKind, bool) {
	for _, k := range treeKinds {
		if k.api == seg {
			return k, true
		}
	}
	return treeKind{}, false
}

func treeKindOf(obj strategy.ObjectKind) treeKind {
	for _, k := range treeKinds {
		if k.obj == obj {
			return k
		}
	}
	return treeKind{obj: obj, segment: string(obj), api: string(obj), noun: string(obj), definite: string(obj)}
}

// editObjectURL is the form of an object of a document's tree; key "ny"
// opens an empty one.
func editObjectURL(doc string, kind strategy.ObjectKind, key string) string {
	return editDocumentURL(doc) + "/" + treeKindOf(kind).segment + "/" + url.PathEscape(key)
}

// newObjectURL is the empty form of a new object placed under (see
// placement.String: "area:KEY", "goal:KEY", "" for the document).
func newObjectURL(doc string, kind strategy.ObjectKind, under string) string {
	u := editObjectURL(doc, kind, "ny")
	if under != "" {
		u += "?under=" + url.QueryEscape(under)
	}
	return u
}

// objectAnchor is where an object is on its document's page.
func objectAnchor(ref strategy.ObjectRef) string {
	switch ref.Kind {
	case strategy.ObjArea:
		return "#omrade-" + ref.Key
	case strategy.ObjGoal:
		return "#mal-" + ref.Key
	case strategy.ObjTarget:
		return "#malvarde-" + ref.Key
	case strategy.ObjCommitment:
		return "#atagande-" + ref.Key
	case strategy.ObjTerm:
		return "#begrepp-" + ref.Key
	case strategy.ObjResponsibility:
		owner, _, _ := splitResponsibility(ref.Key)
		p, _ := parsePlacement(owner)
		switch {
		case p.Area != "":
			return "#omrade-" + p.Area
		case p.Goal != "":
			return "#mal-" + p.Goal
		}
		return "#ansvar"
	}
	return ""
}

// objectForm is what an object's form needs besides its values.
type objectForm struct {
	doc        strategy.Document
	bodies     []strategy.Body
	indicators []strategy.Indicator
	isNew      bool
}

// objectValues are a stored object's fields as its form holds them.
func objectValues(obj any) url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	switch o := obj.(type) {
	case strategy.Area:
		set("title", o.Title)
		set("description", o.Description)
		if o.Prioritised {
			v.Set("prioritised", "ja")
		}
		if o.Parent != nil {
			set("parent.document", o.Parent.Document)
			set("parent.area", o.Parent.Area)
		}
		if len(o.Indicators) > 0 {
			v["indicators"] = append([]string(nil), o.Indicators...)
		}
	case strategy.Goal:
		set("level", string(o.Level))
		set("title", o.Title)
		set("description", o.Description)
	case strategy.Target:
		set("text", o.Text)
		set("kind", string(o.Kind))
		set("comparator", string(o.Comparator))
		set("value", decimalValue(o.Value))
		set("unit", o.Unit)
		set("base_year", wholeValue(o.BaseYear))
		set("base_value", decimalValue(o.BaseValue))
		set("target_year", wholeValue(o.TargetYear))
		if o.Gender != strategy.Total {
			set("gender", string(o.Gender))
		}
		set("indicator", o.Indicator)
		set("reference_indicator", o.ReferenceIndicator)
		if a := o.Assessment; a != nil {
			set("assessment.status", string(a.Status))
			set("assessment.justification", a.Justification)
			set("assessment.by", a.By)
			set("assessment.on", a.On.String())
		}
	case strategy.Commitment:
		set("text", o.Text)
		if len(o.Bodies) > 0 {
			v["bodies"] = append([]string(nil), o.Bodies...)
		}
	case strategy.Term:
		set("term", o.Term)
		set("definition", o.Definition)
	case strategy.Responsibility:
		set("body", o.Body)
		set("role", string(o.Role))
		set("duties", strings.Join(o.Duties, "\n"))
	}
	return v
}

// decodeObject reads an object of the kind from its form. Problems the
// form can see itself (a number that is no number) go into fe; the rest
// is the store's validation.
func decodeObject(k strategy.ObjectKind, vals url.Values, fe *formErrors) any {
	switch k {
	case strategy.ObjArea:
		a := strategy.Area{
			Title:       formText(vals, "title"),
			Description: formText(vals, "description"),
			Prioritised: vals.Get("prioritised") == "ja",
			Indicators:  formValues(vals, "indicators"),
		}
		doc, area := formText(vals, "parent.document"), formText(vals, "parent.area")
		switch {
		case doc != "" && area != "":
			a.Parent = &strategy.AreaRef{Document: doc, Area: area}
		case doc != "":
			fe.Add("parent.area", "Ange området i det överordnade dokumentet, eller töm båda fälten.")
		case area != "":
			fe.Add("parent.document", "Ange det överordnade dokumentet, eller töm båda fälten.")
		}
		if a.Title == "" {
			fe.Add("title", "Ange områdets rubrik.")
		}
		return a
	case strategy.ObjGoal:
		g := strategy.Goal{
			Level:       strategy.GoalLevel(formText(vals, "level")),
			Title:       formText(vals, "title"),
			Description: formText(vals, "description"),
		}
		if g.Title == "" {
			fe.Add("title", "Ange målet.")
		}
		return g
	case strategy.ObjTarget:
		t := strategy.Target{
			Text:               formText(vals, "text"),
			Kind:               strategy.TargetKind(formText(vals, "kind")),
			Comparator:         strategy.Comparator(formText(vals, "comparator")),
			Value:              formDecimal(vals, "value", fe),
			Unit:               formText(vals, "unit"),
			BaseYear:           formWhole(vals, "base_year", fe, "2015"),
			BaseValue:          formDecimal(vals, "base_value", fe),
			TargetYear:         formWhole(vals, "target_year", fe, "2030"),
			Gender:             strategy.Gender(formText(vals, "gender")),
			Indicator:          formText(vals, "indicator"),
			ReferenceIndicator: formText(vals, "reference_indicator"),
		}
		if t.Gender == strategy.Total {
			t.Gender = ""
		}
		status := strategy.AssessmentStatus(formText(vals, "assessment.status"))
		a := strategy.Assessment{
			Status:        status,
			Justification: formText(vals, "assessment.justification"),
			By:            formText(vals, "assessment.by"),
			On:            formDate(vals, "assessment.on", fe),
		}
		switch {
		case status != "":
			t.Assessment = &a
		case a.Justification != "" || a.By != "" || !a.On.IsZero():
			fe.Add("assessment.status", "Välj en status för den manuella bedömningen, eller töm dess fält.")
		}
		if t.Text == "" {
			fe.Add("text", "Ange målvärdet så som det står i dokumentet.")
		}
		return t
	case strategy.ObjCommitment:
		c := strategy.Commitment{Text: formText(vals, "text"), Bodies: formValues(vals, "bodies")}
		if c.Text == "" {
			fe.Add("text", "Ange åtagandet.")
		}
		return c
	case strategy.ObjTerm:
		t := strategy.Term{Term: formText(vals, "term"), Definition: formText(vals, "definition")}
		if t.Term == "" {
			fe.Add("term", "Ange begreppet.")
		}
		if t.Definition == "" {
			fe.Add("definition", "Ange vad begreppet betyder i dokumentet.")
		}
		return t
	case strategy.ObjResponsibility:
		r := strategy.Responsibility{
			Body:   formText(vals, "body"),
			Role:   strategy.ResponsibilityRole(formText(vals, "role")),
			Duties: formLines(vals, "duties"),
		}
		if r.Body == "" {
			fe.Add("body", "Välj vilket organ som har ansvaret.")
		}
		if r.Role == "" {
			fe.Add("role", "Välj vilken roll organet har.")
		}
		return r
	}
	return nil
}

// formValues are the non-empty values of a repeated input (checkboxes).
func formValues(vals url.Values, name string) []string {
	var out []string
	for _, v := range vals[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// objectTitle is what an object is called in messages and from which a
// new object's key is derived.
func objectTitle(obj any) string {
	switch o := obj.(type) {
	case strategy.Area:
		return o.Title
	case strategy.Goal:
		return o.Title
	case strategy.Target:
		return o.Text
	case strategy.Commitment:
		return o.Text
	case strategy.Term:
		return o.Term
	case strategy.Responsibility:
		return o.Body
	}
	return ""
}

// objectFields lays out the form of an object of the kind.
func objectFields(k strategy.ObjectKind, b *formBuilder, f objectForm, key string) {
	keyField := func() {
		if f.isNew {
			b.text("key", "Nyckel", "Används i adresser och kan inte ändras senare. Lämna tomt så skapas den av texten.")
		} else {
			b.readonly("Nyckel", key)
		}
	}
	switch k {
	case strategy.ObjArea:
		b.required("title", "Rubrik", "")
		keyField()
		b.textarea("description", "Beskrivning", "", 4)
		b.checkbox("prioritised", "Prioriterat fokusområde", "")
		b.checkboxes("indicators", "Indikatorer för området", "Indikatorer som följs för området som helhet, utöver målvärdenas.", indicatorOptions(f.indicators, "")[1:])
		b.group("Bidrar till ett område i ett annat dokument", "Till exempel ett område i regionens strategi. Lämna tomt om området inte bidrar till något annat.")
		b.text("parent.document", "Dokumentets nyckel", "")
		b.text("parent.area", "Områdets nyckel", "")
	case strategy.ObjGoal:
		if f.isNew {
			b.choice("select", "parent", "Hör till", "Ett långsiktigt mål hör till ett område, ett delmål till ett annat mål.", placementOptions(f.doc, true, true, ""))
		}
		b.choice("radios", "level", "Nivå", "", []formOption{
			{Value: string(strategy.GoalLongTerm), Label: goalLevelLabel(strategy.GoalLongTerm)},
			{Value: string(strategy.GoalSub), Label: goalLevelLabel(strategy.GoalSub)},
		})
		b.required("title", "Mål", "Målet så som det står i dokumentet.")
		keyField()
		b.textarea("description", "Beskrivning", "", 4)
	case strategy.ObjTarget:
		if f.isNew {
			b.choice("select", "parent", "Hör till målet", "", placementOptions(f.doc, false, true, ""))
		}
		b.textarea("text", "Målvärde", "Så som det står i dokumentet, till exempel ”Minst 10 % av befolkningen är utrikes födda år 2020”.", 2)
		keyField()
		b.group("Hur målvärdet följs upp", "")
		b.choice("select", "kind", "Typ", "Tröskelvärde: ett värde att nå ett visst år. År för år: ett värde varje år. Riktning: ska öka eller minska. Relativt: jämfört med en annan serie. Kvalitativt: bedöms för hand.", targetKindOptions())
		b.choice("select", "comparator", "Villkor", "", comparatorOptions())
		b.number("value", "Värde", "Ett tal, till exempel 12,5. Relativa mål: den tillåtna skillnaden.", "decimal", 8)
		b.text("unit", "Enhet", "Till exempel %, personer eller antal.")
		b.number("target_year", "Målår", "Året värdet ska vara nått.", "numeric", 4)
		b.number("base_year", "Basår", "", "numeric", 4)
		b.number("base_value", "Basvärde", "Värdet basåret, om dokumentet anger det.", "decimal", 8)
		b.choice("select", "gender", "Avser", "", []formOption{
			{Value: "", Label: "Totalt"}, {Value: string(strategy.Women), Label: "Kvinnor"}, {Value: string(strategy.Men), Label: "Män"},
		})
		b.group("Indikator", "Den serie som mäter målvärdet.")
		b.choice("select", "indicator", "Indikator", "", indicatorOptions(f.indicators, "Ingen (kvalitativt mål)"))
		b.choice("select", "reference_indicator", "Jämförs med", "Bara för relativa mål: den serie målet jämförs med.", indicatorOptions(f.indicators, "Ingen"))
		b.group("Manuell bedömning", "Sätts för kvalitativa mål, eller för att ersätta den beräknade statusen. Lämna tomt för att låta värdena avgöra.")
		b.choice("select", "assessment.status", "Status", "", assessmentOptions())
		b.textarea("assessment.justification", "Motivering", "Varför statusen är satt för hand.", 3)
		b.text("assessment.by", "Bedömd av", "")
		b.date("assessment.on", "Bedömd den", "ÅÅÅÅ-MM-DD.")
	case strategy.ObjCommitment:
		if f.isNew {
			b.choice("select", "parent", "Hör till", "", placementOptions(f.doc, true, true, ""))
		}
		b.textarea("text", "Åtagande", "Till exempel ”Kommunen ska erbjuda ett välkomstsamtal till alla nyinflyttade.”", 3)
		keyField()
		b.checkboxes("bodies", "Ansvariga organ", "", bodyOptions(f.bodies, ""))
	case strategy.ObjTerm:
		b.required("term", "Begrepp", "Till exempel Nyanländ.")
		keyField()
		b.textarea("definition", "Definition", "Vad begreppet betyder i just det här dokumentet.", 4)
	case strategy.ObjResponsibility:
		if f.isNew {
			b.choice("select", "parent", "Ansvar för", "", placementOptions(f.doc, true, true, "Hela dokumentet"))
		}
		b.choice("select", "body", "Organ", "", bodyOptions(f.bodies, "Välj organ"))
		b.choice("select", "role", "Roll", "", responsibilityRoleOptions())
		b.textarea("duties", "Uppgifter", "En uppgift per rad.", 4)
	}
}

// placementOptions lists where a new object can go: areas and/or goals
// of the document ("area:KEY", "goal:KEY"), with document ("" value) first
// when it is a choice too.
func placementOptions(d strategy.Document, areas, goals bool, document string) []formOption {
	var out []formOption
	if document != "" {
		out = append(out, formOption{Value: "", Label: document})
	} else {
		out = append(out, formOption{Value: "", Label: "Välj"})
	}
	var walk func(gs []strategy.Goal, depth int)
	walk = func(gs []strategy.Goal, depth int) {
		for _, g := range gs {
			out = append(out, formOption{Value: "goal:" + g.Key, Label: strings.Repeat("– ", depth) + goalLevelLabel(g.Level) + ": " + g.Title})
			walk(g.Goals, depth+1)
		}
	}
	for _, a := range d.Areas {
		if areas {
			out = append(out, formOption{Value: "area:" + a.Key, Label: "Område: " + a.Title})
		}
		if goals {
			walk(a.Goals, 1)
		}
	}
	return out
}

func targetKindOptions() []formOption {
	var out []formOption
	for _, k := range []strategy.TargetKind{strategy.TargetThreshold, strategy.TargetPerYear, strategy.TargetDirection,
		strategy.TargetRelative, strategy.TargetQualitative} {
		out = append(out, formOption{Value: string(k), Label: targetKindLabel(k)})
	}
	return out
}

func comparatorOptions() []formOption {
	out := []formOption{{Value: "", Label: "Inget (kvalitativt mål)"}}
	for _, c := range []strategy.Comparator{strategy.AtLeast, strategy.AtMost, strategy.About, strategy.Increase, strategy.Decrease} {
		out = append(out, formOption{Value: string(c), Label: capitalise(comparatorWord(c))})
	}
	return out
}

func assessmentOptions() []formOption {
	out := []formOption{{Value: "", Label: "Ingen manuell bedömning"}}
	for _, s := range progress.Statuses {
		out = append(out, formOption{Value: string(s), Label: capitalise(s.Label().SV)})
	}
	return out
}

func responsibilityRoleOptions() []formOption {
	out := []formOption{{Value: "", Label: "Välj roll"}}
	for _, r := range []strategy.ResponsibilityRole{strategy.RoleLeads, strategy.RoleCoordinates, strategy.RoleDecides,
		strategy.RoleContributes, strategy.RoleSupports} {
		out = append(out, formOption{Value: string(r), Label: capitalise(roleLabel(r))})
	}
	return out
}
