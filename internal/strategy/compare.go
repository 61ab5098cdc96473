package strategy

import (
	"context"
	"fmt"
)

// GroupKind says what an organisation group is for.
type GroupKind string

const (
	// GroupPeers is a kommun's peer group: the kommuner most like it, as in
	// Kolada's "Liknande kommuner socioekonomi, <kommun>, <år>", which
	// Kolada computes from socio-economic structure. Of names the kommun.
	GroupPeers GroupKind = "peers"
	// GroupOther is any other named set of organisations: a Kolada
	// kommungrupp, a network of kommuner.
	GroupOther GroupKind = "other"
)

// Valid reports whether k is a known group kind.
func (k GroupKind) Valid() bool { return k == GroupPeers || k == GroupOther }

// OrgGroup is a named set of organisations to compare with.
// Invariants: ID is unique and stable (Kolada's group id "G176199", or the
// generator's); Members are organisation codes, each once, in the group's
// order, and need not be stored organisations (as observations' need
// not); a peer group's Of is the kommun it is the peer group of, which
// comparisons leave out of the group's figures even when it is a member.
type OrgGroup struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Kind    GroupKind `json:"kind"`
	Of      string    `json:"of,omitempty"`
	Year    int       `json:"year,omitempty"`   // the year the group was formed for; 0 when not given
	Source  string    `json:"source,omitempty"` // "kolada", "demo"
	Members []string  `json:"members"`
}

// Validate checks the group on its own.
func (g OrgGroup) Validate() error {
	p := newProblems("")
	if g.ID == "" || len(g.ID) > 100 {
		p.add("id", "Ange gruppens id, högst 100 tecken.", "is required, at most 100 characters")
	}
	if g.Title == "" {
		p.add("title", "Ange gruppens namn.", "is required")
	}
	if !g.Kind.Valid() {
		p.add("kind", "Välj typ av grupp: peers (liknande kommuner) eller other.", "must be peers or other, got %q", g.Kind)
	}
	switch {
	case g.Kind == GroupPeers && !kommunCode.MatchString(g.Of):
		p.add("of", "En grupp av liknande kommuner ska ange kommunen den gäller, med fyra siffror.",
			"a peer group names the kommun it is for (four digits), got %q", g.Of)
	case g.Kind != GroupPeers && g.Of != "":
		p.add("of", "Bara en grupp av liknande kommuner gäller en viss kommun.", "only a peer group is of a kommun")
	}
	if g.Year != 0 && (g.Year < firstYear || g.Year > lastYear) {
		p.add("year", yearSv(firstYear, lastYear), "%d is not a plausible year", g.Year)
	}
	if len(g.Members) == 0 {
		p.add("members", "Gruppen måste ha minst en medlem.", "a group has at least one member")
	}
	seen := map[string]bool{}
	for i, m := range g.Members {
		q := p.index("members", i)
		switch {
		case !ValidOrgCode(m):
			q.add("", fmt.Sprintf("”%s” är ingen kommun-, läns- eller rikskod.", m), "%q is not a kommun, län or riket code", m)
		case seen[m]:
			q.add("", fmt.Sprintf("%s finns redan i gruppen.", m), "%s is listed twice", m)
		}
		seen[m] = true
	}
	return p.err()
}

// RankedOrg is a kommun's place among all kommuner on one indicator, year
// and gender. Rank is competition ranking in the indicator's good
// direction: kommuner with the same value share a rank and the next rank
// skips (1, 2, 2, 4). A kommun without a value has Value nil and Rank 0.
type RankedOrg struct {
	Rank   int      `json:"rank,omitempty"`
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	County string   `json:"county"`
	Value  *float64 `json:"value"`
}

// Ranking is every kommun with a value on an indicator, year and gender,
// best first: highest first unless the indicator's polarity is lower (a
// neutral indicator is ordered highest first too, which then means
// nothing good or bad). Ties are ordered by code. A kommun is an
// organisation code of four digits: one whose observations are stored
// without its organisation (a neighbour fetched from Kolada) is ranked,
// with an empty Name and the län of its code.
type Ranking struct {
	Indicator Indicator   `json:"indicator"`
	Year      int         `json:"year"`
	Gender    Gender      `json:"gender"`
	Rows      []RankedOrg `json:"rows"`
	// Missing counts the stored kommuner with no value: none stored for
	// the year, or one stored as missing. They are not ranked last, since
	// a missing value is not a bad one.
	Missing int `json:"missing"`
	// FirstYear and LastYear span the years with any stored observation
	// of the indicator; both are 0 when it has none.
	FirstYear int `json:"first_year,omitempty"`
	LastYear  int `json:"last_year,omitempty"`
}

// ProfileRow is a kommun's latest value of one indicator at or before the
// profile's year, set against all kommuner that same year. Year says which
// year it is, since it need not be the profile's: an older value is never
// passed off as current. Everything but the indicator is empty (Year 0,
// nil values) when the kommun has no value at or before the profile's year.
type ProfileRow struct {
	Indicator string   `json:"indicator"` // key
	Title     string   `json:"title"`
	Unit      string   `json:"unit"`
	Polarity  Polarity `json:"polarity"`
	Year      int      `json:"year,omitempty"`
	Value     *float64 `json:"value"`
	Rank      int      `json:"rank,omitempty"`   // among the kommuner with a value that year
	Ranked    int      `json:"ranked,omitempty"` // how many kommuner have a value that year
	Median    *float64 `json:"median"`           // of those kommuner's values
	// PeerMean is the mean of the peer group's values that year, the
	// kommun itself left out; PeerCount says how many had one.
	PeerMean  *float64 `json:"peer_mean"`
	PeerCount int      `json:"peer_count"`
}

// Profile is one kommun on every indicator (totals, gender T) as of a
// year. Median and peer mean are our own processing of the values.
type Profile struct {
	Org  Organisation `json:"org"`
	Year int          `json:"year"`
	// Peers is the kommun's peer group; nil when it has none.
	Peers *OrgGroup    `json:"peers"`
	Rows  []ProfileRow `json:"rows"` // one per indicator, in the order of ListIndicators
}

// RegionView is a region's kommuner on one indicator, year and gender,
// each with its rank among all kommuner, beside the region's own value and
// riket's when they are stored.
type RegionView struct {
	Region    Organisation `json:"region"`
	Indicator Indicator    `json:"indicator"`
	Year      int          `json:"year"`
	Gender    Gender       `json:"gender"`
	// Rows are the region's kommuner: ranked ones by rank, then those
	// without a value, each group by code.
	Rows          []RankedOrg `json:"rows"`
	Ranked        int         `json:"ranked"` // kommuner with a value in the whole country
	RegionValue   *float64    `json:"region_value"`
	NationalValue *float64    `json:"national_value"`
	// FirstYear and LastYear are the indicator's, as in Ranking.
	FirstYear int `json:"first_year,omitempty"`
	LastYear  int `json:"last_year,omitempty"`
}

// ComparisonStore compares organisations on indicators. Implementations:
// internal/store. Every method is safe for concurrent use.
//
// A year of 0 asks for the latest: in Ranking and RegionView the latest
// year in which any organisation has a value for the gender, in Profile
// each indicator's latest value. Only kommuner are ranked.
//
// Errors: an unknown indicator, organisation, region or group is
// CodeNotFound, as is a kommun without a peer group in PeerGroup; a gender
// that is not T, K or M, K or M for an indicator without a breakdown by
// gender, a Profile of what is not a kommun, and groups that do not
// validate are CodeInvalid (with ValidationErrors for groups); anything
// else is CodeInternal.
type ComparisonStore interface {
	// PutGroups upserts the groups by ID in one transaction, replacing a
	// stored group's members; groups not given are left alone. Storing
	// what is stored changes nothing and counts as unchanged.
	PutGroups(ctx context.Context, groups []OrgGroup) (ChangeCount, error)
	// PeerGroup returns the kommun's peer group: of the GroupPeers groups
	// whose Of is org, the one of the latest Year, then the lowest ID.
	PeerGroup(ctx context.Context, org string) (OrgGroup, error)
	Ranking(ctx context.Context, indicator string, year int, gender Gender) (Ranking, error)
	Profile(ctx context.Context, org string, year int) (Profile, error)
	RegionView(ctx context.Context, region, indicator string, year int, gender Gender) (RegionView, error)
}
