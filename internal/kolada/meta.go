package kolada

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// KPI is a key figure's metadata (GET /v3/kpi).
type KPI struct {
	ID               string
	Title            string // "" when Kolada's title was broken beyond repair
	Description      string
	DividedByGender  bool   // values come as T, K and M; otherwise T only
	MunicipalityType string // "K" kommun, "L" region, "A" both
	Auspice          string // undocumented code; "" when null
	OperatingArea    string
	Perspective      string
	HasOUData        bool
	// PublPeriod is the period the next publication covers; 0 when unknown.
	PublPeriod int
	// PrelPublicationDate and PublicationDate are the next preliminary and
	// final publications (dates, midnight UTC); zero when Kolada gives none.
	PrelPublicationDate time.Time
	PublicationDate     time.Time
	// Warnings tell of repaired or dropped text and unreadable dates.
	Warnings []string
}

// Preliminary reports whether values for period are preliminary at now:
// period is the KPI's publ_period, its preliminary publication has come
// and its final publication has not (datasources §1.4; e.g. N00097 with
// publ_period 2025 is preliminary from 2026-05-04 until 2026-09-30).
// Without a preliminary publication date nothing is preliminary. Dates
// are compared as calendar dates in UTC.
func (k KPI) Preliminary(period int, now time.Time) bool {
	if k.PublPeriod == 0 || period != k.PublPeriod || k.PrelPublicationDate.IsZero() {
		return false
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if today.Before(k.PrelPublicationDate) {
		return false
	}
	return k.PublicationDate.IsZero() || today.Before(k.PublicationDate)
}

// Municipality is a kommun, a region or riket as Kolada lists them.
type Municipality struct {
	ID       string // Kolada's id: "2380", "0023", "0000"
	Code     string // ours: "2380", "23", "00"; "" when ID maps to none
	Title    string
	Type     string // "K" kommun, "L" region (riket is "L" too)
	Warnings []string
}

// Group is a municipality group ("Liknande kommuner …") with its members.
type Group struct {
	ID       string // "G176199"
	Title    string // "" when Kolada's title was broken beyond repair
	Members  []Member
	Warnings []string
}

// Member is a member of a Group.
type Member struct {
	ID    string // Kolada's id
	Code  string // ours; "" when ID maps to none
	Title string
}

type envelope[T any] struct {
	// count is the items on this page, not a total, so it is not read;
	// paging follows next_url.
	Values  []T     `json:"values"`
	NextURL *string `json:"next_url"`
}

type rawKPI struct {
	ID                  string   `json:"id"`
	Title               text     `json:"title"`
	Description         text     `json:"description"`
	IsDividedByGender   flexBool `json:"is_divided_by_gender"`
	MunicipalityType    string   `json:"municipality_type"`
	Auspice             *string  `json:"auspice"`
	OperatingArea       text     `json:"operating_area"`
	Perspective         text     `json:"perspective"`
	HasOUData           flexBool `json:"has_ou_data"`
	PublPeriod          flexInt  `json:"publ_period"`
	PrelPublicationDate *string  `json:"prel_publication_date"`
	PublicationDate     *string  `json:"publication_date"`
}

type rawMunicipality struct {
	ID    string `json:"id"`
	Title text   `json:"title"`
	Type  string `json:"type"`
}

type rawGroup struct {
	ID      string `json:"id"`
	Title   text   `json:"title"`
	Members []struct {
		// member_id/member_title are what v3 sends; the v2 README's
		// id/title are wrong.
		ID    string `json:"member_id"`
		Title text   `json:"member_title"`
	} `json:"members"`
}

// KPIs returns the metadata of the given KPIs, or of all (~6,100) when no
// ids are given. KPIs Kolada does not know are missing from the answer;
// Kolada removes KPIs without notice, so compare.
func (c *Client) KPIs(ctx context.Context, ids ...string) ([]KPI, error) {
	return c.kpis(ctx, &call{}, ids)
}

func (c *Client) kpis(ctx context.Context, st *call, ids []string) ([]KPI, error) {
	raws, err := list[rawKPI](ctx, c, st, "kpi", ids)
	if err != nil {
		return nil, err
	}
	out := make([]KPI, 0, len(raws))
	for _, r := range raws {
		k := KPI{
			ID:               r.ID,
			DividedByGender:  bool(r.IsDividedByGender),
			MunicipalityType: r.MunicipalityType,
			HasOUData:        bool(r.HasOUData),
		}
		if r.Auspice != nil {
			k.Auspice = *r.Auspice
		}
		k.Title = k.text(r.Title, "title of KPI "+r.ID)
		k.Description = k.text(r.Description, "description of KPI "+r.ID)
		k.OperatingArea = k.text(r.OperatingArea, "operating_area of KPI "+r.ID)
		k.Perspective = k.text(r.Perspective, "perspective of KPI "+r.ID)
		if r.PublPeriod.ok {
			k.PublPeriod = r.PublPeriod.n
		} else if r.PublPeriod.raw != "" && r.PublPeriod.raw != "null" {
			k.Warnings = append(k.Warnings, fmt.Sprintf("kolada: KPI %s: unreadable publ_period %s", r.ID, r.PublPeriod.raw))
		}
		k.PrelPublicationDate = k.date(r.PrelPublicationDate, "prel_publication_date")
		k.PublicationDate = k.date(r.PublicationDate, "publication_date")
		out = append(out, k)
	}
	return out, nil
}

func (k *KPI) text(t text, what string) string {
	s, w := t.clean(what)
	if w != "" {
		k.Warnings = append(k.Warnings, w)
	}
	return s
}

// date reads "2026-09-30", tolerating a time part after it.
func (k *KPI) date(s *string, field string) time.Time {
	if s == nil || *s == "" {
		return time.Time{}
	}
	v := *s
	if len(v) > 10 {
		v = v[:10]
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		k.Warnings = append(k.Warnings, fmt.Sprintf("kolada: KPI %s: unreadable %s %q", k.ID, field, truncate(*s, 40)))
		return time.Time{}
	}
	return t
}

// Municipalities returns every kommun and region Kolada knows, riket
// included (312 rows in 2026).
func (c *Client) Municipalities(ctx context.Context) ([]Municipality, error) {
	raws, err := list[rawMunicipality](ctx, c, &call{}, "municipality", nil)
	if err != nil {
		return nil, err
	}
	out := make([]Municipality, 0, len(raws))
	for _, r := range raws {
		m := Municipality{ID: r.ID, Type: r.Type}
		m.Code, _ = OrgCode(r.ID)
		if m.Code == "" {
			m.Warnings = append(m.Warnings, fmt.Sprintf("kolada: municipality id %q maps to no organisation code", truncate(r.ID, 40)))
		}
		var w string
		if m.Title, w = r.Title.clean("title of municipality " + r.ID); w != "" {
			m.Warnings = append(m.Warnings, w)
		}
		out = append(out, m)
	}
	return out, nil
}

// MunicipalityGroups returns the given groups with their members, or all
// groups (several thousand) when no ids are given. Titles of groups have
// been seen double-encoded; they are repaired or left out (see Warnings).
func (c *Client) MunicipalityGroups(ctx context.Context, ids ...string) ([]Group, error) {
	raws, err := list[rawGroup](ctx, c, &call{}, "municipality_groups", ids)
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(raws))
	for _, r := range raws {
		g := Group{ID: r.ID, Members: make([]Member, 0, len(r.Members))}
		var w string
		if g.Title, w = r.Title.clean("title of group " + r.ID); w != "" {
			g.Warnings = append(g.Warnings, w)
		}
		for _, rm := range r.Members {
			m := Member{ID: rm.ID}
			m.Code, _ = OrgCode(rm.ID)
			if m.Code == "" {
				g.Warnings = append(g.Warnings, fmt.Sprintf("kolada: member %q of group %s maps to no organisation code", truncate(rm.ID, 40), r.ID))
			}
			if m.Title, w = rm.Title.clean("title of member " + rm.ID + " of group " + r.ID); w != "" {
				g.Warnings = append(g.Warnings, w)
			}
			g.Members = append(g.Members, m)
		}
		out = append(out, g)
	}
	return out, nil
}

// list fetches /{resource}[/{ids}] in chunks of at most 25 ids, every page.
func list[T any](ctx context.Context, c *Client, st *call, resource string, ids []string) ([]T, error) {
	ids, err := checkIDs(resource, ids)
	if err != nil {
		return nil, err
	}
	chunks := [][]string{nil}
	if len(ids) > 0 {
		chunks = chunk(ids)
	}
	var out []T
	for _, ch := range chunks {
		u := c.base + "/" + resource
		if len(ch) > 0 {
			u += "/" + strings.Join(ch, ",")
		}
		u += "?" + url.Values{"per_page": {strconv.Itoa(perPage)}}.Encode()
		err := c.walk(ctx, st, u, func(_ string, body []byte, _ time.Time) (*string, error) {
			var env envelope[T]
			if err := json.Unmarshal(body, &env); err != nil {
				return nil, fmt.Errorf("decoding %s page: %w", resource, err)
			}
			out = append(out, env.Values...)
			return env.NextURL, nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
