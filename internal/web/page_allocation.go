package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/allocation"
	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The allocation helper (fördelningstal, Östersund's strategy): a GET form
// whose submission shows the calculation, and a POST that saves each
// body's number as an activity of its plan.

// Östersund's strategy: "cirka ett hundratal" praktikplatser and
// subventionerade anställningar a year, and "minst 8 % av de
// kommunanställda är utomnordiskt födda".
const (
	defaultAllocationTotal  = 100
	defaultAllocationTarget = 8
	defaultLocalityRows     = 6
	maxLocalityRows         = 60
)

// Modes of the page (?lage=).
const (
	modeInternships = "praktik"
	modeReception   = "mottagande"
)

// allocationPage is the form, and after a submission the calculation.
type allocationPage struct {
	Title      string
	Org        string
	OrgName    string
	OrgChoices []choice
	Mode       string
	ModeLinks  []modeLink
	Errors     []link
	Saved      []link // the plans the numbers were saved in

	Total     input
	Target    input
	WeightH   input
	WeightG   input
	WeightN   input
	Bodies    []allocationBodyRow
	MaxFactor input
	Places    []allocationPlaceRow
	MoreRows  int

	Result *allocationResult
	Save   *allocationSave
}

type modeLink struct {
	URL     string
	Text    string
	Current bool
}

type allocationBodyRow struct {
	Name                    string
	Headcount, Share, Needs input
}

type allocationPlaceRow struct {
	N                       int
	Name, Population, Share input
}

// allocationResult is the calculation as an accessible table.
type allocationResult struct {
	Caption  string
	RowLabel string
	Method   string
	Columns  []string
	Rows     []allocationResultRow
	Factors  []allocationFactorView
	Sum      int
	Total    int
	SumCheck string
}

type allocationResultRow struct {
	Name      string
	Values    []string
	Weight    string
	Quota     string
	Floor     string
	Remainder string
	Extra     string
	Count     int
}

type allocationFactorView struct {
	Label  string
	Weight string
	Total  string
	Used   string
}

// allocationSave saves the result as activities: the inputs travel again
// as hidden fields and the calculation is made anew from them.
type allocationSave struct {
	Action   string
	Hidden   []allocationHidden
	Document selectInput
	Year     input
}

type allocationHidden struct{ Name, Value string }

// allocationInputs are what the form gave, read and checked.
type allocationInputs struct {
	mode       string
	params     allocation.Params
	bodies     []allocation.Body
	reception  allocation.ReceptionParams
	localities []allocation.Locality
	placeRows  int
	// submitted is set when the form was sent (rather than opened).
	submitted bool
	problems  inputProblems
}

// readAllocation reads the form's values (a GET query or a POST form).
func readAllocation(v url.Values, bodies []strategy.Body) allocationInputs {
	in := allocationInputs{mode: modeInternships, submitted: v.Get("berakna") != ""}
	if v.Get("lage") == modeReception {
		in.mode = modeReception
	}
	text := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	whole := func(name, label string, def int) int {
		s := text(name)
		if s == "" {
			return def
		}
		n, ok := parseWholeNumber(s)
		if !ok || n < 0 {
			in.problems.add(name, "must be a whole number", "Ange "+label+" som ett heltal, till exempel 100.")
			return def
		}
		return n
	}
	number := func(name, label string, def float64) float64 {
		s := text(name)
		if s == "" {
			return def
		}
		x, ok := parseDecimal(s)
		if !ok || x < 0 {
			in.problems.add(name, "must be a number ≥ 0", "Ange "+label+" som ett tal som inte är negativt, till exempel 1 eller 0,5.")
			return def
		}
		return x
	}
	percent := func(name, label string) (float64, bool) {
		s := strings.TrimSpace(strings.TrimSuffix(text(name), "%"))
		if s == "" {
			return 0, false
		}
		x, ok := parseDecimal(s)
		if !ok || x < 0 || x > 100 {
			in.problems.add(name, "must be a percentage 0–100", "Ange "+label+" i procent, från 0 till 100, till exempel 8 eller 12,5.")
			return 0, true
		}
		return x / 100, true
	}
	in.params.Total = whole("total", "totalt antal", defaultAllocationTotal)
	in.reception.Total = in.params.Total
	if t, given := percent("target", "målandelen"); given {
		in.params.TargetShare = t
	} else {
		in.params.TargetShare = defaultAllocationTarget / 100.0
	}
	in.params.WeightHeadcount = number("w_headcount", "vikten för antal anställda", 1)
	in.params.WeightGap = number("w_gap", "vikten för avståndet till målandelen", 1)
	in.params.WeightNeed = number("w_need", "vikten för kompetensbehovet", 1)
	in.reception.MaxFactor = number("max_factor", "högsta faktor", allocation.DefaultMaxFactor)

	for _, b := range bodies {
		h, sh, nd := text("headcount."+b.Key), text("share."+b.Key), text("need."+b.Key)
		if h == "" && sh == "" && nd == "" {
			continue // not part of the calculation
		}
		ab := allocation.Body{Key: b.Key, Name: b.Name}
		if h == "" {
			in.problems.add("headcount."+b.Key, "is required", "Ange antal anställda i "+b.Name+", eller lämna hela raden tom.")
		} else {
			ab.Headcount = whole("headcount."+b.Key, "antal anställda i "+b.Name, 0)
		}
		if share, given := percent("share."+b.Key, "andelen utrikes födda i "+b.Name); given {
			ab.BornAbroadShare = share
		} else {
			in.problems.add("share."+b.Key, "is required", "Ange andelen utrikes födda bland de anställda i "+b.Name+" i procent.")
		}
		ab.StatedNeed = number("need."+b.Key, "kompetensbehovet i "+b.Name, 0)
		in.bodies = append(in.bodies, ab)
	}

	in.placeRows = defaultLocalityRows
	if n, ok := parseWholeNumber(text("rader")); ok && n > 0 {
		in.placeRows = min(n, maxLocalityRows)
	}
	taken := map[string]bool{}
	for i := range in.placeRows {
		prefix := "ort." + strconv.Itoa(i) + "."
		name, pop, sh := text(prefix+"name"), text(prefix+"population"), text(prefix+"share")
		if name == "" && pop == "" && sh == "" {
			continue
		}
		if name == "" {
			in.problems.add(prefix+"name", "is required", "Ange ortens namn på rad "+strconv.Itoa(i+1)+", eller lämna hela raden tom.")
		}
		l := allocation.Locality{Name: name, Key: deriveKey(name, "ort", func(k string) bool { return taken[k] })}
		taken[l.Key] = true
		if pop == "" {
			in.problems.add(prefix+"population", "is required", "Ange folkmängden i "+orRow(name, i)+".")
		} else {
			l.Population = whole(prefix+"population", "folkmängden i "+orRow(name, i), 0)
		}
		if share, given := percent(prefix+"share", "andelen utrikes födda i "+orRow(name, i)); given {
			l.BornAbroadShare = share
		} else {
			in.problems.add(prefix+"share", "is required", "Ange andelen utrikes födda i "+orRow(name, i)+" i procent.")
		}
		in.localities = append(in.localities, l)
	}
	return in
}

func orRow(name string, i int) string {
	if name != "" {
		return name
	}
	return "orten på rad " + strconv.Itoa(i+1)
}

// calculate makes the calculation the inputs ask for.
func (in allocationInputs) calculate() (allocation.Calculation, error) {
	if in.mode == modeReception {
		return allocation.Reception(in.localities, in.reception)
	}
	return allocation.Internships(in.bodies, in.params)
}

// calculationProblems names the calculation's problems by the form's
// inputs where it can.
func (in allocationInputs) calculationProblems(err error) (inputProblems, bool) {
	var errs allocation.Errors
	if !errors.As(err, &errs) {
		return nil, false
	}
	var ps inputProblems
	for _, e := range errs {
		field := ""
		switch {
		case e.Row == 0:
			field = map[string]string{"total": "total", "target_share": "target", "weight_headcount": "w_headcount",
				"weight_gap": "w_gap", "weight_need": "w_need", "max_factor": "max_factor"}[e.Field]
		case in.mode == modeInternships && e.Row <= len(in.bodies):
			prefix := map[string]string{"headcount": "headcount.", "born_abroad_share": "share.", "stated_need": "need."}[e.Field]
			if prefix != "" {
				field = prefix + in.bodies[e.Row-1].Key
			}
		}
		ps.add(field, e.English(), e.Swedish())
	}
	return ps, true
}

// allocationOrg is the organisation of the request and the check that the
// user may allocate in it: its samordnare, or an admin.
func (s *server) allocationOrg(r *http.Request, v url.Values) (strategy.Organisation, []strategy.Organisation, error) {
	if userOf(r) == nil {
		return strategy.Organisation{}, nil, errSignInRequired
	}
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return strategy.Organisation{}, nil, err
	}
	code := ""
	if u := userOf(r); u.Org != "" {
		code = u.Org
	} else if want := strings.TrimSpace(v.Get("org")); want != "" {
		code = want
	} else if len(orgs) > 0 {
		code = orgs[0].Code
	}
	i := slices.IndexFunc(orgs, func(o strategy.Organisation) bool { return o.Code == code })
	if i < 0 {
		return strategy.Organisation{}, nil, strategy.Errorf(strategy.CodeNotFound, "Det finns ingen organisation med koden %q.", code)
	}
	if err := s.authorize(r, auth.ActionWrite, auth.Object{Kind: auth.KindActionPlan, Org: code}); err != nil {
		return strategy.Organisation{}, nil, err
	}
	return orgs[i], orgs, nil
}

// pageAllocation handles GET /fordelning.
func (s *server) pageAllocation(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	org, orgs, err := s.allocationOrg(r, q)
	if err != nil {
		return err
	}
	bodies, err := s.st.Bodies(r.Context(), org.Code)
	if err != nil {
		return err
	}
	in := readAllocation(q, bodies)
	if n, ok := parseWholeNumber(q.Get("fler")); ok && n > 0 {
		in.placeRows = min(n, maxLocalityRows)
	}
	page := s.allocationPageOf(r, org, orgs, bodies, q, in)
	status := http.StatusOK
	if in.submitted {
		if len(in.problems) > 0 {
			status = http.StatusUnprocessableEntity
		} else if c, err := in.calculate(); err != nil {
			ps, ok := in.calculationProblems(err)
			if !ok {
				return err
			}
			in.problems = ps
			status = http.StatusUnprocessableEntity
		} else {
			page.Result = allocationResultOf(c, in.mode)
			if in.mode == modeInternships {
				save, err := s.allocationSaveOf(r, org, q, nil)
				if err != nil {
					return err
				}
				page.Save = save
			}
		}
		if status != http.StatusOK {
			page = s.allocationPageOf(r, org, orgs, bodies, q, in)
		}
	}
	if q.Get("sparat") != "" {
		if d, err := s.st.Document(r.Context(), q.Get("dokument")); err == nil && s.canSeeDocument(r, d) {
			year, _ := strconv.Atoi(q.Get("ar"))
			for _, p := range d.ActionPlans {
				if p.Year == year && auth.Can(userOf(r), auth.ActionRead, planObject(d, p)) {
					page.Saved = append(page.Saved, link{URL: planURL(d.Key, p.Key), Text: planTitle(p, bodyNameIn(bodies, p.Body))})
				}
			}
		}
	}
	return render(s, w, r, status, "allocation", page)
}

// allocationPageOf fills the form with what was typed and its problems.
func (s *server) allocationPageOf(r *http.Request, org strategy.Organisation, orgs []strategy.Organisation,
	bodies []strategy.Body, v url.Values, in allocationInputs) allocationPage {
	fe := in.problems.form()
	val := func(name, def string) string {
		if x := v.Get(name); x != "" {
			return x
		}
		return def
	}
	page := allocationPage{
		Title:   "Fördelningstal",
		Org:     org.Code,
		OrgName: org.Name,
		Mode:    in.mode,
		Total: newInput(fe, "total", "Totalt antal att fördela", val("total", strconv.Itoa(defaultAllocationTotal)),
			"Östersunds strategi talar om ”cirka ett hundratal” praktikplatser och subventionerade anställningar om året.").typed("number"),
		Target: newInput(fe, "target", "Målandel utrikes födda bland de anställda (procent)", val("target", strconv.Itoa(defaultAllocationTarget)),
			"Östersunds mål: minst 8 % av de kommunanställda är utomnordiskt födda."),
		WeightH:   newInput(fe, "w_headcount", "Vikt för antal anställda", val("w_headcount", "1"), ""),
		WeightG:   newInput(fe, "w_gap", "Vikt för avståndet till målandelen", val("w_gap", "1"), ""),
		WeightN:   newInput(fe, "w_need", "Vikt för framtida kompetensbehov", val("w_need", "1"), ""),
		MaxFactor: newInput(fe, "max_factor", "Högsta faktor", val("max_factor", strconv.Itoa(allocation.DefaultMaxFactor)), "Hur många gånger sin andel av folkmängden en ort högst kan få, hur låg andel utrikes födda den än har."),
		MoreRows:  min(in.placeRows+3, maxLocalityRows),
	}
	base := "/fordelning"
	if u := userOf(r); u != nil && u.Role == strategy.RoleAdmin {
		base += "?org=" + url.QueryEscape(org.Code) + "&"
		for _, o := range orgs {
			page.OrgChoices = append(page.OrgChoices, choice{Value: o.Code, Label: o.Name, Checked: o.Code == org.Code})
		}
	} else {
		base += "?"
	}
	page.ModeLinks = []modeLink{
		{URL: base + "lage=" + modeInternships, Text: "Praktikplatser per förvaltning", Current: in.mode == modeInternships},
		{URL: base + "lage=" + modeReception, Text: "Mottagande per ort", Current: in.mode == modeReception},
	}
	for _, b := range bodies {
		page.Bodies = append(page.Bodies, allocationBodyRow{
			Name:      b.Name,
			Headcount: newInput(fe, "headcount."+b.Key, "Antal anställda, "+b.Name, v.Get("headcount."+b.Key), "").typed("number"),
			Share:     newInput(fe, "share."+b.Key, "Andel utrikes födda i procent, "+b.Name, v.Get("share."+b.Key), ""),
			Needs:     newInput(fe, "need."+b.Key, "Framtida kompetensbehov, "+b.Name, v.Get("need."+b.Key), ""),
		})
	}
	for i := range in.placeRows {
		p := "ort." + strconv.Itoa(i) + "."
		n := strconv.Itoa(i + 1)
		page.Places = append(page.Places, allocationPlaceRow{N: i + 1,
			Name:       newInput(fe, p+"name", "Ort, rad "+n, v.Get(p+"name"), ""),
			Population: newInput(fe, p+"population", "Folkmängd, rad "+n, v.Get(p+"population"), "").typed("number"),
			Share:      newInput(fe, p+"share", "Andel utrikes födda i procent, rad "+n, v.Get(p+"share"), ""),
		})
	}
	var order []string
	for _, name := range []string{"total", "target", "w_headcount", "w_gap", "w_need", "max_factor"} {
		order = append(order, name)
	}
	for _, b := range bodies {
		order = append(order, "headcount."+b.Key, "share."+b.Key, "need."+b.Key)
	}
	for i := range in.placeRows {
		p := "ort." + strconv.Itoa(i) + "."
		order = append(order, p+"name", p+"population", p+"share")
	}
	page.Errors = errorLinks(fe, order)
	return page
}

// allocationResultOf shows the calculation with Swedish numbers.
func allocationResultOf(c allocation.Calculation, mode string) *allocationResult {
	res := &allocationResult{Method: c.Method, Total: c.Total, Caption: "Fördelning av " + i18n.FormatNumber(float64(c.Total), 0) + " praktikplatser och subventionerade anställningar", RowLabel: "Förvaltning"}
	if mode == modeReception {
		res.Caption, res.RowLabel = "Fördelning av "+i18n.FormatNumber(float64(c.Total), 0)+" platser i mottagandet mellan orterna", "Ort"
	}
	for _, col := range c.Columns {
		res.Columns = append(res.Columns, col.Label)
	}
	for _, row := range c.Rows {
		rv := allocationResultRow{
			Name:      row.Name,
			Weight:    i18n.FormatPercent(row.Weight*100, 2),
			Quota:     i18n.FormatNumber(row.Quota, 3),
			Floor:     strconv.Itoa(row.Floor),
			Remainder: i18n.FormatNumber(row.Remainder, 3),
			Extra:     "nej",
			Count:     row.Count,
		}
		if row.Extra {
			rv.Extra = "ja, 1 till"
		}
		for j, col := range c.Columns {
			if j < len(row.Values) {
				rv.Values = append(rv.Values, formatAllocationValue(row.Values[j], col.Format))
			}
		}
		res.Sum += row.Count
		res.Rows = append(res.Rows, rv)
	}
	for _, f := range c.Factors {
		fv := allocationFactorView{Label: f.Label, Weight: i18n.FormatPercent(f.Weight*100, 1),
			Total: i18n.FormatNumber(f.Total, i18n.Decimals(f.Total)), Used: "ja"}
		if !f.Used() {
			fv.Used = "nej, summan är noll eller vikten noll"
		}
		res.Factors = append(res.Factors, fv)
	}
	if res.Sum == res.Total {
		res.SumCheck = "Kontroll: fördelningstalen summerar till " + strconv.Itoa(res.Sum) + ", precis totalen."
	} else {
		res.SumCheck = "Kontroll: fördelningstalen summerar till " + strconv.Itoa(res.Sum) + ", men totalen är " + strconv.Itoa(res.Total) + "."
	}
	return res
}

func formatAllocationValue(v float64, f allocation.Format) string {
	switch f {
	case allocation.FormatCount:
		return i18n.FormatNumber(v, 0)
	case allocation.FormatShare:
		return i18n.FormatPercent(v*100, min(i18n.Decimals(v*100), 1))
	}
	return i18n.FormatNumber(v, min(i18n.Decimals(v), 2))
}

// allocationSaveOf is the form that saves the numbers: the inputs as
// hidden fields, a document with the plans and a year.
func (s *server) allocationSaveOf(r *http.Request, org strategy.Organisation, v url.Values, fe *formErrors) (*allocationSave, error) {
	docs, err := s.st.Documents(r.Context(), org.Code)
	if err != nil {
		return nil, err
	}
	save := &allocationSave{Action: "/fordelning/spara"}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range v {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range names {
		switch name {
		case "dokument", "ar", "sparat", "fler":
			continue
		}
		for _, x := range v[name] {
			save.Hidden = append(save.Hidden, allocationHidden{Name: name, Value: x})
		}
	}
	if !slices.ContainsFunc(save.Hidden, func(h allocationHidden) bool { return h.Name == "org" }) {
		save.Hidden = append(save.Hidden, allocationHidden{Name: "org", Value: org.Code})
	}
	save.Document = selectInput{input: newInput(fe, "dokument", "Styrdokument vars aktivitetsplaner får aktiviteterna", v.Get("dokument"), ""), None: "Välj styrdokument"}
	for _, d := range s.visibleDocuments(r, docs) {
		save.Document.Options = append(save.Document.Options, choice{Value: d.Key, Label: d.Title, Checked: d.Key == v.Get("dokument")})
	}
	year := v.Get("ar")
	if year == "" {
		year = strconv.Itoa(s.today().Year)
	}
	save.Year = newInput(fe, "ar", "År", year, "Året som platserna gäller; varje organ får aktiviteten i sin plan för året.").typed("number")
	return save, nil
}

// internshipsActivityKey is the key of the activity a saved allocation
// writes, so that saving again updates it instead of adding another.
func internshipsActivityKey(year int) string { return "praktikplatser-" + strconv.Itoa(year) }

// postSaveAllocation handles POST /fordelning/spara: each body's number
// becomes (or updates) an activity of its plan for the year in the chosen
// document, in one edit of the document, with a draft plan created where
// the body has none.
func (s *server) postSaveAllocation(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Formuläret kunde inte läsas.")
	}
	v := r.PostForm
	org, orgs, err := s.allocationOrg(r, v)
	if err != nil {
		return err
	}
	ctx := r.Context()
	bodies, err := s.st.Bodies(ctx, org.Code)
	if err != nil {
		return err
	}
	in := readAllocation(v, bodies)
	in.mode = modeInternships
	in.submitted = true
	c, cerr := in.calculate()
	if len(in.problems) > 0 || cerr != nil {
		if cerr != nil {
			ps, ok := in.calculationProblems(cerr)
			if !ok {
				return cerr
			}
			in.problems = append(in.problems, ps...)
		}
		return render(s, w, r, http.StatusUnprocessableEntity, "allocation", s.allocationPageOf(r, org, orgs, bodies, v, in))
	}
	var ps inputProblems
	year, ok := parseWholeNumber(v.Get("ar"))
	if !ok || year < strategy.FirstPeriodYear || year > strategy.LastPeriodYear {
		ps.add("ar", "must be a year", "Ange året med fyra siffror, till exempel 2026.")
	}
	docKey := strings.TrimSpace(v.Get("dokument"))
	doc, derr := s.st.Document(ctx, docKey)
	if derr == nil && doc.Org != org.Code {
		// Another organisation's document: a permission question before
		// it is a wrong choice in the form.
		if err := s.authorize(r, auth.ActionWrite, documentObject(doc)); err != nil {
			return err
		}
	}
	if docKey == "" || derr != nil || doc.Org != org.Code || !s.canSeeDocument(r, doc) {
		ps.add("dokument", "is required", "Välj det styrdokument vars aktivitetsplaner ska få aktiviteterna.")
	}
	if len(ps) > 0 {
		page := s.allocationPageOf(r, org, orgs, bodies, v, in)
		page.Result = allocationResultOf(c, modeInternships)
		save, err := s.allocationSaveOf(r, org, v, ps.form())
		if err != nil {
			return err
		}
		page.Save = save
		page.Errors = errorLinks(ps.form(), []string{"dokument", "ar"})
		return render(s, w, r, http.StatusUnprocessableEntity, "allocation", page)
	}
	for _, row := range c.Rows {
		if row.Count == 0 {
			continue
		}
		if err := s.authorize(r, auth.ActionWrite, auth.Object{Kind: auth.KindActionPlan, Org: org.Code, Body: row.Key}); err != nil {
			return err
		}
		if err := s.checkUnlocked(ctx, org.Code, row.Key, year, bodies); err != nil {
			return err
		}
	}
	today := s.today()
	_, err = s.st.EditDocument(ctx, strategy.Edit{
		Ref: strategy.ObjectRef{Kind: strategy.ObjDocument, Document: doc.Key},
		Rev: doc.Rev,
		Apply: func(d *strategy.Document) error {
			for i, row := range c.Rows {
				if row.Count == 0 {
					continue
				}
				a := strategy.Activity{
					Key:         internshipsActivityKey(year),
					TargetGroup: "enbart kommunplacerade",
					Title:       "Praktikplatser och subventionerade anställningar: " + strconv.Itoa(row.Count),
					Description: allocationSummary(c, i, in.params, today),
					Time:        strconv.Itoa(year),
					Status:      strategy.ActivityPlanned,
				}
				putAllocatedActivity(d, row.Key, year, a)
			}
			return nil
		},
	})
	if err != nil {
		if strategy.CodeOf(err) == strategy.CodeConflict {
			return strategy.Errorf(strategy.CodeConflict, "Styrdokumentet ändrades av någon annan medan du räknade, så inget har sparats. Spara igen.")
		}
		return err
	}
	q := url.Values{}
	for k, vals := range v {
		if k != "dokument" && k != "ar" {
			q[k] = vals
		}
	}
	q.Set("dokument", doc.Key)
	q.Set("ar", strconv.Itoa(year))
	q.Set("sparat", "1")
	return seeOther(w, r, "/fordelning?"+q.Encode())
}

// putAllocatedActivity puts a in the body's first plan of the year in d,
// creating a draft plan when there is none; an activity with a's key is
// updated (its status, progress, goals and notes stay).
func putAllocatedActivity(d *strategy.Document, body string, year int, a strategy.Activity) {
	i := slices.IndexFunc(d.ActionPlans, func(p strategy.ActionPlan) bool { return p.Body == body && p.Year == year })
	if i < 0 {
		d.ActionPlans = append(d.ActionPlans, strategy.ActionPlan{
			Key: derivePlanKey(*d, body, year), Body: body, Year: year, Status: strategy.PlanDraft,
		})
		i = len(d.ActionPlans) - 1
	}
	p := &d.ActionPlans[i]
	if j := findActivity(p, a.Key); j >= 0 {
		old := &p.Activities[j]
		old.Title, old.Description, old.Time, old.TargetGroup = a.Title, a.Description, a.Time, a.TargetGroup
		return
	}
	p.Activities = append(p.Activities, a)
}

// allocationSummary tells in the activity's description how the body's
// number was reached.
func allocationSummary(c allocation.Calculation, i int, p allocation.Params, today strategy.Date) string {
	row := c.Rows[i]
	var b strings.Builder
	b.WriteString("Fördelningstal beräknat med Inkluderas fördelningshjälp " + today.String() + ": ")
	b.WriteString(strconv.Itoa(row.Count) + " av " + strconv.Itoa(c.Total) + " praktikplatser och subventionerade anställningar. ")
	var facts []string
	for j, col := range c.Columns {
		if !col.Derived && j < len(row.Values) {
			facts = append(facts, lowerFirst(col.Label)+" "+formatAllocationValue(row.Values[j], col.Format))
		}
	}
	if len(facts) > 0 {
		b.WriteString("Underlag: " + strings.Join(facts, ", ") + "; målandel " + i18n.FormatPercent(p.TargetShare*100, 1) + ". ")
	}
	b.WriteString("Andel av den sammanlagda vikten " + i18n.FormatPercent(row.Weight*100, 2) +
		", exakt kvot " + i18n.FormatNumber(row.Quota, 3) + ", heltal " + strconv.Itoa(row.Floor))
	if row.Extra {
		b.WriteString(" plus en enhet för största resten")
	}
	b.WriteString(" (största restmetoden).")
	return b.String()
}

// lowerFirst writes s with a lower-case first letter, to use a heading
// inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
