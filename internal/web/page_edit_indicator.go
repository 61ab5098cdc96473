package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// editIndicatorURL is the form of an indicator's mapping to its source.
func editIndicatorURL(key string) string { return "/redigera/indikatorer/" + url.PathEscape(key) }

// indicatorUse maps each indicator that documents (published or not)
// use to the codes of their organisations, in the store's order.
func (s *server) indicatorUse(ctx context.Context) (map[string][]string, error) {
	orgs, err := s.st.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	use := map[string][]string{}
	for _, o := range orgs {
		docs, err := s.st.Documents(ctx, o.Code)
		if err != nil {
			return nil, err
		}
		for _, summary := range docs {
			d, err := s.st.Document(ctx, summary.Key)
			if err != nil {
				return nil, err
			}
			for _, k := range d.IndicatorKeys() {
				if !slices.Contains(use[k], o.Code) {
					use[k] = append(use[k], o.Code)
				}
			}
		}
	}
	return use, nil
}

// indicatorOrgs are the organisations whose documents use the indicator.
func (s *server) indicatorOrgs(ctx context.Context, key string) ([]string, error) {
	use, err := s.indicatorUse(ctx)
	return use[key], err
}

// indicatorObject is an indicator as auth.Can sees it: the observations
// of the one organisation that uses it, or of none (admins only) when
// several or none do.
func indicatorObject(orgs []string) auth.Object {
	obj := auth.Object{Kind: auth.KindObservations}
	if len(orgs) == 1 {
		obj.Org = orgs[0]
	}
	return obj
}

// editableIndicator reads the indicator {key} for an edit and checks that
// the user may change it: indicators are shared, so only the organisation
// whose documents alone use it may, through whoever writes its
// observations (its samordnare); one that several or no organisations use
// is the admins'.
func (s *server) editableIndicator(r *http.Request, notFound string) (strategy.Indicator, []string, error) {
	if userOf(r) == nil {
		return strategy.Indicator{}, nil, errSignInRequired
	}
	key := r.PathValue("key")
	ind, err := s.st.Indicator(r.Context(), key)
	if err != nil {
		return ind, nil, notFoundAs(err, notFound, key)
	}
	orgs, err := s.indicatorOrgs(r.Context(), key)
	if err != nil {
		return ind, nil, err
	}
	return ind, orgs, s.authorize(r, auth.ActionWrite, indicatorObject(orgs))
}

func indicatorValues(ind strategy.Indicator) url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("title", ind.Title)
	set("description", ind.Description)
	set("unit", ind.Unit)
	set("polarity", string(ind.Polarity))
	set("source", ind.Source)
	if len(ind.Breakdowns) > 0 {
		v["breakdowns"] = append([]string(nil), ind.Breakdowns...)
	}
	return v
}

func decodeIndicator(vals url.Values, fe *formErrors) strategy.Indicator {
	ind := strategy.Indicator{
		Title:       formText(vals, "title"),
		Description: formText(vals, "description"),
		Unit:        formText(vals, "unit"),
		Polarity:    strategy.Polarity(formText(vals, "polarity")),
		Source:      formText(vals, "source"),
		Breakdowns:  formValues(vals, "breakdowns"),
	}
	if ind.Title == "" {
		fe.Add("title", "Ange indikatorns namn.")
	}
	return ind
}

func indicatorFields(b *formBuilder, key string) {
	b.required("title", "Namn", "")
	b.readonly("Nyckel", key)
	b.textarea("description", "Beskrivning", "Vad indikatorn mäter och hur.", 3)
	b.required("unit", "Enhet", "Till exempel %, antal eller personer.")
	b.choice("radios", "polarity", "Vilket håll är bättre?", "", []formOption{
		{Value: string(strategy.HigherIsBetter), Label: "Högre värden är bättre"},
		{Value: string(strategy.LowerIsBetter), Label: "Lägre värden är bättre"},
		{Value: string(strategy.Neutral), Label: "Neutral – varken högre eller lägre är bättre i sig"},
	})
	b.required("source", "Källa", "kolada: och nyckeltalets id (kolada:N02926), scb: och tabellen med urval (scb:BE0101/BefolkningNy?Region=2380), eller manual för värden som förs in för hand.")
	b.checkboxes("breakdowns", "Uppdelningar", "", []formOption{{Value: strategy.BreakdownGender, Label: "Kön (kvinnor och män utöver totalt)"}})
}

// pageEditIndicator handles GET /redigera/indikatorer/{key}.
func (s *server) pageEditIndicator(w http.ResponseWriter, r *http.Request) error {
	ind, orgs, err := s.editableIndicator(r, "Det finns ingen indikator med nyckeln %q.")
	if err != nil {
		return err
	}
	return s.renderIndicatorForm(w, r, http.StatusOK, ind, orgs, indicatorValues(ind), nil, ind.Rev)
}

func (s *server) renderIndicatorForm(w http.ResponseWriter, r *http.Request, status int, ind strategy.Indicator, orgs []string, vals url.Values, fe *formErrors, rev int64) error {
	b := newFormBuilder(vals, fe)
	indicatorFields(b, ind.Key)
	p := editPage{
		Title:       "Redigera indikatorn",
		Breadcrumbs: []link{{URL: "/", Text: "Styrdokument"}, {Text: "Redigera indikatorn"}},
		Intro:       ind.Title,
		Notice:      "Indikatorn kan användas av flera styrdokument. En ändring av källan gäller alla värden som hämtas framöver.",
		Action:      editIndicatorURL(ind.Key),
		Rev:         rev,
		Groups:      b.groups,
		Submit:      "Spara",
		CancelURL:   "/",
		Links:       []link{{URL: historyURL(strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: ind.Key}), Text: "Historik för indikatorn"}},
		Translate:   translateLinks(func(lang string) string { return translateIndicatorURL(ind.Key, lang) }, ""),
	}
	for _, code := range orgs {
		org, err := s.st.Organisation(r.Context(), code)
		if err != nil {
			return err
		}
		p.Links = append(p.Links, link{URL: indicatorURL(ind.Key, code), Text: "Indikatorns värden för " + org.Name})
	}
	if len(orgs) == 1 {
		p.CancelURL = indicatorURL(ind.Key, orgs[0])
	}
	p.summarise(b)
	return render(s, w, r, status, "edit", p)
}

// postEditIndicator handles POST /redigera/indikatorer/{key}.
func (s *server) postEditIndicator(w http.ResponseWriter, r *http.Request) error {
	ind, orgs, err := s.editableIndicator(r, "Det finns ingen indikator med nyckeln %q.")
	if err != nil {
		return err
	}
	rev, err := formRev(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	fe := &formErrors{}
	in := decodeIndicator(vals, fe)
	if fe.Any() {
		return s.renderIndicatorForm(w, r, http.StatusUnprocessableEntity, ind, orgs, vals, fe, rev)
	}
	if _, err := s.st.EditIndicator(r.Context(), ind.Key, rev, indicatorEdit(in)); err != nil {
		b := newFormBuilder(nil, nil)
		indicatorFields(b, ind.Key)
		fe, status, ok := editProblems(err, b.inputs())
		if !ok {
			return err
		}
		if status == http.StatusConflict {
			stored, err := s.st.Indicator(r.Context(), ind.Key)
			if err != nil {
				return err
			}
			return s.renderIndicatorForm(w, r, status, stored, orgs, indicatorValues(stored), fe, stored.Rev)
		}
		return s.renderIndicatorForm(w, r, status, ind, orgs, vals, fe, rev)
	}
	s.flash(r, "Indikatorn är sparad.")
	http.Redirect(w, r, editIndicatorURL(ind.Key), http.StatusSeeOther)
	return nil
}

// apiUpdateIndicator handles PUT /api/v1/indicators/{key}: every field
// but the key, from the body with the "rev" it was read at.
func (s *server) apiUpdateIndicator(w http.ResponseWriter, r *http.Request) error {
	ind, _, err := s.editableIndicator(r, "no indicator has the key %q")
	if err != nil {
		return err
	}
	var in strategy.Indicator
	if err := decodeJSONBody(w, r, &in); err != nil {
		return err
	}
	if in.Key != "" && in.Key != ind.Key {
		return s.apiEditFailed(w, r, fieldProblem("key", "differs from the key in the path; keys do not change", "Nyckeln kan inte ändras."))
	}
	if in.Rev <= 0 {
		return strategy.Errorf(strategy.CodeInvalid, "\"rev\" is required: the indicator's rev as last read")
	}
	stored, err := s.st.EditIndicator(r.Context(), ind.Key, in.Rev, indicatorEdit(in))
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, stored)
	return nil
}
