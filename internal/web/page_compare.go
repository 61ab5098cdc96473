package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/nation"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The comparison pages set kommuner side by side on the indicators'
// values, which are public, so the pages are too: a ranking of all
// kommuner, a kommun's profile against all kommuner and its peer group,
// and a region's kommuner. Ranks, medians and means are our own
// processing, and the pages say so.

// countyNames are the län by länskod, as SCB names them.
var countyNames = func() map[string]string {
	m := map[string]string{}
	for _, r := range nation.Regions() {
		m[r.Code] = r.County
	}
	return m
}()

func rankingURL(key string, year int, gender strategy.Gender) string {
	q := url.Values{}
	if year != 0 {
		q.Set("ar", strconv.Itoa(year))
	}
	if gender != "" && gender != strategy.Total {
		q.Set("kon", string(gender))
	}
	u := "/jamfor/" + url.PathEscape(key)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func profileURL(code string, year int) string {
	u := "/kommuner/" + url.PathEscape(code) + "/profil"
	if year != 0 {
		u += "?ar=" + strconv.Itoa(year)
	}
	return u
}

func regionURL(code, key string, year int) string {
	q := url.Values{}
	if key != "" {
		q.Set("indikator", key)
	}
	if year != 0 {
		q.Set("ar", strconv.Itoa(year))
	}
	u := "/regioner/" + url.PathEscape(code)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// directionText says which way the indicator's ranking runs.
func directionText(p strategy.Polarity) string {
	switch p {
	case strategy.HigherIsBetter:
		return "Högre värde är bättre: kommunen med högst värde står först."
	case strategy.LowerIsBetter:
		return "Lägre värde är bättre: kommunen med lägst värde står först."
	}
	return "Indikatorn har ingen riktning som är bättre. Listan visar högst värde först."
}

// rankText is "12 av 290", with "delad" when another kommun has the same
// value.
func rankText(rank, of int, shared bool) string {
	if rank == 0 {
		return i18n.Missing
	}
	s := strconv.Itoa(rank) + " av " + strconv.Itoa(of)
	if shared {
		s += " (delad)"
	}
	return s
}

// valueText formats a value with its unit; a missing one as Missing.
func valueText(v *float64, decimals int, unit string) string {
	if v == nil {
		return i18n.Missing
	}
	return i18n.FormatQuantity(*v, decimals, unit)
}

// yearChoices are the years from first to last, newest first, with year
// chosen.
func yearChoices(first, last, year int) []choice {
	var out []choice
	for y := last; y >= first && first > 0; y-- {
		out = append(out, choice{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Checked: y == year})
	}
	return out
}

// genderChoices are T, K and M for an indicator broken down by gender.
func genderChoices(ind strategy.Indicator, g strategy.Gender) []choice {
	if !ind.ByGender() {
		return nil
	}
	out := make([]choice, len(strategy.Genders))
	for i, gg := range strategy.Genders {
		out[i] = choice{Value: string(gg), Label: genderLabel(gg), Checked: gg == g}
	}
	return out
}

// compareIndexPage lists what can be compared.
type compareIndexPage struct {
	Title      string
	Indicators []link
	Regions    []link
}

// pageCompareIndex handles GET /jamfor.
func (s *server) pageCompareIndex(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	inds, err := s.st.ListIndicators(ctx)
	if err != nil {
		return err
	}
	orgs, err := s.st.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	p := compareIndexPage{Title: "Jämför kommuner"}
	for _, ind := range inds {
		p.Indicators = append(p.Indicators, link{URL: rankingURL(ind.Key, 0, ""), Text: ind.Title})
	}
	for _, o := range orgs {
		if o.Kind == strategy.OrgRegion {
			p.Regions = append(p.Regions, link{URL: regionURL(o.Code, "", 0), Text: o.Name})
		}
	}
	return render(s, w, r, http.StatusOK, "compare_index", p)
}

// rankingPage is every kommun on one indicator, year and gender.
type rankingPage struct {
	Title       string
	Key         string
	Unit        string
	Direction   string
	Year        int
	GenderLabel string
	Years       []choice
	Genders     []choice
	Rows        []rankingRow
	Missing     int
	Attribution string
	APIURL      string
}

type rankingRow struct {
	Rank   string
	Kommun link
	County link // the region's page on the same indicator and year
	Value  string
}

// pageRanking handles GET /jamfor/{indicator}?ar=YYYY&kon=T|K|M.
func (s *server) pageRanking(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisons()
	if err != nil {
		return err
	}
	key := r.PathValue("indicator")
	year, err := s.comparisonYear(r, "ar", true)
	if err != nil {
		return err
	}
	gender, err := genderParam(r, "kon", true)
	if err != nil {
		return err
	}
	rk, err := c.Ranking(r.Context(), key, year, gender)
	if err != nil {
		return comparisonError(err, key)
	}
	p := rankingPage{
		Title:       rk.Indicator.Title,
		Key:         key,
		Unit:        rk.Indicator.Unit,
		Direction:   directionText(rk.Indicator.Polarity),
		Year:        rk.Year,
		GenderLabel: genderLabel(gender),
		Years:       yearChoices(rk.FirstYear, rk.LastYear, rk.Year),
		Genders:     genderChoices(rk.Indicator, gender),
		Missing:     rk.Missing,
		Attribution: attribution(rk.Indicator, "", ""),
		APIURL:      "/api/v1/indicators/" + url.PathEscape(key) + "/ranking",
	}
	if rk.Year != 0 {
		p.APIURL += "?year=" + strconv.Itoa(rk.Year)
		if gender != strategy.Total {
			p.APIURL += "&gender=" + string(gender)
		}
	}
	values := make([]float64, len(rk.Rows))
	shared := map[int]int{}
	for i, row := range rk.Rows {
		values[i] = *row.Value
		shared[row.Rank]++
	}
	decimals := i18n.DecimalsFor(values)
	for _, row := range rk.Rows {
		p.Rows = append(p.Rows, rankingRow{
			Rank:   rankText(row.Rank, len(rk.Rows), shared[row.Rank] > 1),
			Kommun: link{URL: profileURL(row.Code, rk.Year), Text: orgLabel(row.Name, row.Code)},
			County: link{URL: regionURL(row.County, key, rk.Year), Text: countyNames[row.County]},
			Value:  valueText(row.Value, decimals, rk.Indicator.Unit),
		})
	}
	return render(s, w, r, http.StatusOK, "compare_ranking", p)
}

// comparisonError says in Swedish what a comparison of the indicator
// could not do.
func comparisonError(err error, key string) error {
	switch strategy.CodeOf(err) {
	case strategy.CodeNotFound:
		return notFoundAs(err, "Det finns ingen indikator med nyckeln %q.", key)
	case strategy.CodeInvalid:
		e := strategy.Errorf(strategy.CodeInvalid, "Indikatorn %q är inte uppdelad på kön. Välj Totalt.", key)
		e.Err = err
		return e
	}
	return err
}

// orgLabel is an organisation's name, or its code when it has none stored.
func orgLabel(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

// profilePage is a kommun on every indicator against all kommuner and its
// peers.
type profilePage struct {
	Title        string
	Code         string
	OrgName      string
	County       link
	Year         int
	YearGiven    bool
	PeerTitle    string
	Peers        []link
	Rows         []profileRow
	HasOlder     bool
	HasMissing   bool
	Attributions []string // "Källa: Kolada" …: of the values shown, each once
	APIURL       string
}

type profileRow struct {
	Indicator link
	Year      string
	Older     bool // the value is of an earlier year than the profile's
	Value     string
	Rank      string
	Median    string
	PeerMean  string
}

// pageProfile handles GET /kommuner/{code}/profil?ar=YYYY.
func (s *server) pageProfile(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisons()
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	year, err := s.comparisonYear(r, "ar", true)
	if err != nil {
		return err
	}
	pr, err := c.Profile(r.Context(), code, year)
	switch strategy.CodeOf(err) {
	case "":
	case strategy.CodeInvalid:
		return strategy.Errorf(strategy.CodeNotFound, "%s är ingen kommun. En profil jämför en kommun med de andra.", code)
	default:
		return notFoundAs(err, "Det finns ingen kommun med koden %s.", code)
	}
	p := profilePage{
		Title:     pr.Org.Name + " jämförd med alla kommuner",
		Code:      code,
		OrgName:   pr.Org.Name,
		County:    link{URL: regionURL(pr.Org.County, "", 0), Text: countyNames[pr.Org.County]},
		Year:      pr.Year,
		YearGiven: year != 0,
		APIURL:    "/api/v1/organisations/" + url.PathEscape(code) + "/profile",
	}
	if year != 0 {
		p.APIURL += "?year=" + strconv.Itoa(year)
	}
	if pr.Peers != nil {
		g, err := s.peerGroup(r, c, code)
		if err != nil {
			return err
		}
		p.PeerTitle = g.Title
		for _, m := range g.Members {
			if m.Code == code {
				continue
			}
			p.Peers = append(p.Peers, link{URL: profileURL(m.Code, year), Text: orgLabel(m.Name, m.Code)})
		}
	}
	inds, err := s.st.ListIndicators(r.Context())
	if err != nil {
		return err
	}
	byKey := make(map[string]strategy.Indicator, len(inds))
	for _, ind := range inds {
		byKey[ind.Key] = ind
	}
	attributions := map[string]bool{}
	for _, row := range pr.Rows {
		var values []float64
		for _, v := range []*float64{row.Value, row.Median, row.PeerMean} {
			if v != nil {
				values = append(values, *v)
			}
		}
		d := i18n.DecimalsFor(values)
		pv := profileRow{
			Indicator: link{URL: rankingURL(row.Indicator, row.Year, ""), Text: row.Title},
			Year:      i18n.Missing,
			Value:     valueText(row.Value, d, row.Unit),
			Rank:      rankText(row.Rank, row.Ranked, false),
			Median:    valueText(row.Median, d, row.Unit),
			PeerMean:  valueText(row.PeerMean, d, row.Unit),
		}
		if row.Year != 0 {
			pv.Year = strconv.Itoa(row.Year)
			pv.Older = row.Year < pr.Year
			p.HasOlder = p.HasOlder || pv.Older
		} else {
			p.HasMissing = true
		}
		if row.PeerMean != nil && pr.Peers != nil {
			pv.PeerMean += " (" + strconv.Itoa(row.PeerCount) + " av " + strconv.Itoa(len(p.Peers)) + ")"
		}
		p.Rows = append(p.Rows, pv)
		if row.Value != nil {
			if a := attribution(byKey[row.Indicator], "", ""); a != "" {
				attributions[a] = true
			}
		}
	}
	p.Attributions = slices.Sorted(maps.Keys(attributions))
	return render(s, w, r, http.StatusOK, "compare_profile", p)
}

// regionPage is a region's kommuner on one indicator.
type regionPage struct {
	Title         string
	Code          string
	County        string
	Indicators    []choice
	Key           string
	IndicatorName string
	Direction     string
	Year          int
	Years         []choice
	Rows          []rankingRow
	Ranked        int
	RegionValue   string
	NationalValue string
	Missing       int
	Attribution   string
	RankingURL    string
	APIURL        string
}

// pageRegion handles GET /regioner/{code}?indikator=KEY&ar=YYYY: the
// region's kommuner on the indicator, by default the first one stored.
func (s *server) pageRegion(w http.ResponseWriter, r *http.Request) error {
	c, err := s.comparisons()
	if err != nil {
		return err
	}
	ctx := r.Context()
	code := r.PathValue("code")
	year, err := s.comparisonYear(r, "ar", true)
	if err != nil {
		return err
	}
	if org, err := s.st.Organisation(ctx, code); err != nil || org.Kind != strategy.OrgRegion {
		if err == nil || strategy.CodeOf(err) == strategy.CodeNotFound {
			return strategy.Errorf(strategy.CodeNotFound, "Det finns ingen region med koden %s.", code)
		}
		return err
	}
	inds, err := s.st.ListIndicators(ctx)
	if err != nil {
		return err
	}
	key := r.URL.Query().Get("indikator")
	if key == "" {
		if len(inds) == 0 {
			return strategy.Errorf(strategy.CodeNotFound, "Det finns inga indikatorer att jämföra ännu.")
		}
		key = inds[0].Key
	}
	view, err := c.RegionView(ctx, code, key, year, strategy.Total)
	if err != nil {
		return comparisonError(err, key)
	}
	p := regionPage{
		Title:         view.Region.Name,
		Code:          code,
		County:        countyNames[code],
		Key:           key,
		IndicatorName: view.Indicator.Title,
		Direction:     directionText(view.Indicator.Polarity),
		Year:          view.Year,
		Years:         yearChoices(view.FirstYear, view.LastYear, view.Year),
		Ranked:        view.Ranked,
		Attribution:   attribution(view.Indicator, "", ""),
		RankingURL:    rankingURL(key, view.Year, ""),
		APIURL:        "/api/v1/regions/" + url.PathEscape(code) + "/indicators/" + url.PathEscape(key),
	}
	if view.Year != 0 {
		p.APIURL += "?year=" + strconv.Itoa(view.Year)
	}
	for _, ind := range inds {
		p.Indicators = append(p.Indicators, choice{Value: ind.Key, Label: ind.Title, Checked: ind.Key == key})
	}
	var values []float64
	for _, v := range append([]*float64{view.RegionValue, view.NationalValue}, valuesOf(view.Rows)...) {
		if v != nil {
			values = append(values, *v)
		}
	}
	d := i18n.DecimalsFor(values)
	if view.RegionValue != nil {
		p.RegionValue = valueText(view.RegionValue, d, view.Indicator.Unit)
	}
	if view.NationalValue != nil {
		p.NationalValue = valueText(view.NationalValue, d, view.Indicator.Unit)
	}
	for _, row := range view.Rows {
		if row.Value == nil {
			p.Missing++
		}
		p.Rows = append(p.Rows, rankingRow{
			Rank:   rankText(row.Rank, view.Ranked, false),
			Kommun: link{URL: profileURL(row.Code, view.Year), Text: orgLabel(row.Name, row.Code)},
			Value:  valueText(row.Value, d, view.Indicator.Unit),
		})
	}
	return render(s, w, r, http.StatusOK, "compare_region", p)
}

func valuesOf(rows []strategy.RankedOrg) []*float64 {
	out := make([]*float64, len(rows))
	for i, r := range rows {
		out[i] = r.Value
	}
	return out
}
