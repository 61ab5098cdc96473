package store

import (
	"context"
	"database/sql"

	"github.com/inkludera/inkludera/internal/strategy"
)

// The comparisons' statements are exported so that bench/national can
// time the very text the store runs, in sqlite3 and psql.
//
// A kommun is an observation's organisation with a four-digit code (the
// strategy package's invariant), stored or not: observations of
// neighbouring kommuner come from Kolada without their organisations, and
// are kommuner all the same. Testing the code rather than joining the
// organisations lets every count run on the index observations_ranking
// (migration 00010) alone. Ranks are competition ranks in the indicator's
// good direction: lower values first for polarity lower, higher first
// otherwise.

// RankingHeadSQL reads what a ranking needs besides its rows: the
// indicator ($1 key; its columns in scanIndicator's order), the span of
// its years, the latest year with a value for the gender ($2), how many
// kommuner are stored, and the indicator's id. Each MIN and MAX is its own
// subquery: SQLite answers a lone MIN or MAX from the index's end, but
// scans for both in one.
const RankingHeadSQL = `SELECT i.key, i.title, i.description, i.unit, i.polarity, i.source, i.breakdowns, i.translations, i.rev,
    (SELECT MIN(o.year) FROM observations o WHERE o.indicator_id = i.id),
    (SELECT MAX(o.year) FROM observations o WHERE o.indicator_id = i.id),
    (SELECT MAX(o.year) FROM observations o WHERE o.indicator_id = i.id AND o.gender = $2 AND o.value IS NOT NULL),
    (SELECT COUNT(*) FROM organisations k WHERE k.kind = 'kommun'),
    i.id
FROM indicators i
WHERE i.key = $1`

// rankedCTE ranks the kommuner with a value: $1 indicator id, $2 year,
// $3 gender.
const rankedCTE = `WITH ranked AS (
    SELECT o.org_code, o.value,
        RANK() OVER (ORDER BY CASE WHEN i.polarity = 'lower' THEN o.value ELSE -o.value END) AS rank
    FROM indicators i
    JOIN observations o ON o.indicator_id = i.id
    WHERE i.id = $1 AND o.year = $2 AND o.gender = $3 AND o.value IS NOT NULL AND length(o.org_code) = 4
)`

// RankingSQL lists the ranked kommuner with their names and län when they
// are stored: $1 indicator id, $2 year, $3 gender.
const RankingSQL = rankedCTE + `
SELECT r.rank, r.org_code, COALESCE(k.name, ''), COALESCE(k.county, substr(r.org_code, 1, 2)), r.value,
    k.code IS NOT NULL
FROM ranked r LEFT JOIN organisations k ON k.code = r.org_code AND k.kind = 'kommun'
ORDER BY r.rank, r.org_code`

// RegionRowsSQL lists a region's stored kommuner ($4 länskod) with their
// ranks among all kommuner, those without a value last.
const RegionRowsSQL = rankedCTE + `
SELECT r.rank, k.code, k.name, k.county, r.value, (SELECT COUNT(*) FROM ranked)
FROM organisations k LEFT JOIN ranked r ON r.org_code = k.code
WHERE k.kind = 'kommun' AND k.county = $4
ORDER BY CASE WHEN r.rank IS NULL THEN 1 ELSE 0 END, r.rank, k.code`

// regionValuesSQL reads the region's ($4) and riket's values.
const regionValuesSQL = `SELECT o.org_code, o.value FROM observations o
WHERE o.indicator_id = $1 AND o.year = $2 AND o.gender = $3 AND (o.org_code = $4 OR o.org_code = '00')`

// OrganisationSQL reads one organisation: $1 code.
const OrganisationSQL = `SELECT code, name, kind, county FROM organisations WHERE code = $1`

// ProfileSQL is a kommun's profile but the medians: $1 the kommun, $2 the
// year (each indicator's latest value at or before it), $3 the peer
// group's id (empty for none). latest seeks the primary key once per
// indicator (there is no index by organisation); each count is a range of
// observations_ranking. The rank counts the kommuner with a better value,
// so that no window function sorts every kommun's value of every
// indicator: that took four fifths of the time. The peers' values are
// read once per member and indicator in one aggregate, a quarter faster
// than a subquery each for their mean and count; CROSS JOIN keeps SQLite
// seeking each member's value, where at 10 M observations it chose to
// scan every kommun's and look each up among the members. The kommun
// itself is left out of its peers' mean.
const ProfileSQL = `WITH latest AS (
    SELECT o.indicator_id, MAX(o.year) AS year
    FROM observations o
    WHERE o.org_code = $1 AND o.year <= $2 AND o.gender = 'T' AND o.value IS NOT NULL
      AND o.indicator_id IN (SELECT id FROM indicators)
    GROUP BY o.indicator_id
),
peers AS (
    SELECT l.indicator_id, AVG(o.value) AS mean, COUNT(o.value) AS n
    FROM latest l
    CROSS JOIN organisation_group_members m
    CROSS JOIN observations o
    WHERE m.group_id = $3 AND m.org_code <> $1
      AND o.indicator_id = l.indicator_id AND o.org_code = m.org_code AND o.year = l.year AND o.gender = 'T'
    GROUP BY l.indicator_id
)
SELECT i.id, i.key, i.title, i.unit, i.polarity, l.year, me.value,
    (SELECT COUNT(*) FROM observations o
     WHERE o.indicator_id = l.indicator_id AND o.year = l.year AND o.gender = 'T'
       AND o.value IS NOT NULL AND length(o.org_code) = 4),
    (SELECT COUNT(*) FROM observations o
     WHERE o.indicator_id = l.indicator_id AND o.year = l.year AND o.gender = 'T' AND length(o.org_code) = 4
       AND CASE WHEN i.polarity = 'lower' THEN o.value < me.value ELSE o.value > me.value END),
    p.mean, p.n
FROM indicators i
LEFT JOIN latest l ON l.indicator_id = i.id
LEFT JOIN observations me ON me.indicator_id = i.id AND me.org_code = $1 AND me.year = l.year AND me.gender = 'T'
LEFT JOIN peers p ON p.indicator_id = i.id
ORDER BY i.id`

// MedianSQL reads the middle value, or the middle two ($3 = 2), of the
// kommuner's totals of an indicator ($1 id) in a year ($2), skipping the
// $4 below them: a walk along observations_ranking, which holds them in
// value order. One statement per indicator: SQLite does not let a
// subquery's LIMIT depend on the row of the query around it.
const MedianSQL = `SELECT o.value FROM observations o
WHERE o.indicator_id = $1 AND o.year = $2 AND o.gender = 'T' AND o.value IS NOT NULL AND length(o.org_code) = 4
ORDER BY o.value
LIMIT $3 OFFSET $4`

// noYearCap is the year a Profile of year 0 reads up to: every value.
const noYearCap = 9999

// rankingHead is what RankingHeadSQL reads.
type rankingHead struct {
	id                  int64
	ind                 strategy.Indicator
	first, last, latest int
	kommuner            int
}

// readRankingHead reads the indicator and its years; CodeNotFound for an
// unknown key, CodeInvalid for a gender it does not have.
func readRankingHead(ctx context.Context, q queryer, key string, gender strategy.Gender) (rankingHead, error) {
	if !gender.Valid() {
		return rankingHead{}, strategy.Errorf(strategy.CodeInvalid, "gender must be T, K or M, got %q", gender)
	}
	var h rankingHead
	found := false
	err := queryEach(ctx, q, RankingHeadSQL, []any{key, string(gender)}, func(rows *sql.Rows) error {
		var first, last, latest sql.NullInt64
		ind, err := scanIndicator(rows, &first, &last, &latest, &h.kommuner, &h.id)
		h.ind, h.first, h.last, h.latest, found = ind, intOf(first), intOf(last), intOf(latest), true
		return err
	})
	if err != nil {
		return h, strategy.Internal(err, "reading indicator "+key)
	}
	if !found {
		return h, strategy.Errorf(strategy.CodeNotFound, "no indicator has the key %q", key)
	}
	if gender != strategy.Total && !h.ind.ByGender() {
		return h, strategy.Errorf(strategy.CodeInvalid, "indicator %q has no breakdown by gender, so only T is allowed", key)
	}
	return h, nil
}

// Ranking implements strategy.ComparisonStore.
func (s *Store) Ranking(ctx context.Context, key string, year int, gender strategy.Gender) (strategy.Ranking, error) {
	h, err := readRankingHead(ctx, s.rs, key, gender)
	if err != nil {
		return strategy.Ranking{}, err
	}
	if year == 0 {
		year = h.latest
	}
	out := strategy.Ranking{Indicator: h.ind, Year: year, Gender: gender, FirstYear: h.first, LastYear: h.last,
		Rows: []strategy.RankedOrg{}}
	if year == 0 { // no value at all: nothing to rank
		out.Missing = h.kommuner
		return out, nil
	}
	stored := 0
	err = queryEach(ctx, s.rs, RankingSQL, []any{h.id, year, string(gender)}, func(rows *sql.Rows) error {
		var r strategy.RankedOrg
		var v float64
		var isStored bool
		if err := rows.Scan(&r.Rank, &r.Code, &r.Name, &r.County, &v, &isStored); err != nil {
			return err
		}
		r.Value = &v
		out.Rows = append(out.Rows, r)
		if isStored {
			stored++
		}
		return nil
	})
	if err != nil {
		return strategy.Ranking{}, strategy.Internal(err, "ranking the kommuner on "+key)
	}
	out.Missing = h.kommuner - stored
	return out, nil
}

// RegionView implements strategy.ComparisonStore.
func (s *Store) RegionView(ctx context.Context, region, key string, year int, gender strategy.Gender) (strategy.RegionView, error) {
	org, err := readOrg(ctx, s.r, region)
	if err != nil {
		return strategy.RegionView{}, err
	}
	if org.Kind != strategy.OrgRegion {
		return strategy.RegionView{}, strategy.Errorf(strategy.CodeNotFound, "no region has the code %q", region)
	}
	h, err := readRankingHead(ctx, s.rs, key, gender)
	if err != nil {
		return strategy.RegionView{}, err
	}
	if year == 0 {
		year = h.latest
	}
	out := strategy.RegionView{Region: org, Indicator: h.ind, Year: year, Gender: gender, Rows: []strategy.RankedOrg{},
		FirstYear: h.first, LastYear: h.last}
	args := []any{h.id, year, string(gender), region}
	err = queryEach(ctx, s.rs, RegionRowsSQL, args, func(rows *sql.Rows) error {
		var r strategy.RankedOrg
		var rank sql.NullInt64
		var v sql.NullFloat64
		if err := rows.Scan(&rank, &r.Code, &r.Name, &r.County, &v, &out.Ranked); err != nil {
			return err
		}
		r.Rank, r.Value = intOf(rank), floatOf(v)
		out.Rows = append(out.Rows, r)
		return nil
	})
	if err == nil {
		err = queryEach(ctx, s.rs, regionValuesSQL, args, func(rows *sql.Rows) error {
			var code string
			var v sql.NullFloat64
			if err := rows.Scan(&code, &v); err != nil {
				return err
			}
			if code == region {
				out.RegionValue = floatOf(v)
			} else {
				out.NationalValue = floatOf(v)
			}
			return nil
		})
	}
	if err != nil {
		return strategy.RegionView{}, strategy.Internal(err, "reading region "+region+" on "+key)
	}
	return out, nil
}

// Profile implements strategy.ComparisonStore.
func (s *Store) Profile(ctx context.Context, code string, year int) (strategy.Profile, error) {
	org, err := readOrg(ctx, s.r, code)
	if err != nil {
		return strategy.Profile{}, err
	}
	if org.Kind != strategy.OrgKommun {
		return strategy.Profile{}, strategy.Errorf(strategy.CodeInvalid,
			"a profile compares a kommun with the others, and %s is a %s", code, org.Kind)
	}
	out := strategy.Profile{Org: org, Year: year, Rows: []strategy.ProfileRow{}}
	peers, found, err := readPeerGroup(ctx, s.r, code)
	if err != nil {
		return strategy.Profile{}, err
	}
	if found {
		out.Peers = &peers
	}
	upTo := year
	if year == 0 {
		upTo = noYearCap
	}
	// One snapshot for the rows and their medians.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return strategy.Profile{}, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	var ids []int64
	err = queryEach(ctx, tx, ProfileSQL, []any{code, upTo, peers.ID}, func(rows *sql.Rows) error {
		var r strategy.ProfileRow
		var id int64
		var y, better, n sql.NullInt64
		var v, mean sql.NullFloat64
		if err := rows.Scan(&id, &r.Indicator, &r.Title, &r.Unit, &r.Polarity, &y, &v, &r.Ranked, &better, &mean, &n); err != nil {
			return err
		}
		r.Year, r.Value, r.PeerMean, r.PeerCount = intOf(y), floatOf(v), floatOf(mean), intOf(n)
		if r.Value != nil {
			r.Rank = intOf(better) + 1
		} else {
			r.Ranked = 0
		}
		if year == 0 {
			out.Year = max(out.Year, r.Year)
		}
		out.Rows = append(out.Rows, r)
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return strategy.Profile{}, strategy.Internal(err, "reading the profile of "+code)
	}
	if err := readMedians(ctx, tx, out.Rows, ids); err != nil {
		return strategy.Profile{}, strategy.Internal(err, "reading the medians of "+code+"'s profile")
	}
	return out, nil
}

// readMedians sets the median of every row with a value: the middle
// value of the Ranked kommuner's, or the mean of the middle two.
func readMedians(ctx context.Context, tx *sql.Tx, rows []strategy.ProfileRow, ids []int64) error {
	st, err := tx.PrepareContext(ctx, MedianSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range rows {
		r := &rows[i]
		if r.Value == nil || r.Ranked == 0 {
			continue
		}
		take, skip := 2-r.Ranked%2, (r.Ranked-1)/2
		var sum float64
		n := 0
		err := func() error {
			res, err := st.QueryContext(ctx, ids[i], r.Year, take, skip)
			if err != nil {
				return err
			}
			defer res.Close()
			for res.Next() {
				var v float64
				if err := res.Scan(&v); err != nil {
					return err
				}
				sum += v
				n++
			}
			return res.Err()
		}()
		if err != nil {
			return err
		}
		if n > 0 {
			m := sum / float64(n)
			r.Median = &m
		}
	}
	return nil
}

// readOrg reads one organisation with OrganisationSQL; CodeNotFound when
// unknown.
func readOrg(ctx context.Context, q queryer, code string) (strategy.Organisation, error) {
	var o strategy.Organisation
	found := false
	err := queryEach(ctx, q, OrganisationSQL, []any{code}, func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&o.Code, &o.Name, &o.Kind, &o.County)
	})
	if err != nil {
		return o, strategy.Internal(err, "reading organisation "+code)
	}
	if !found {
		return o, strategy.Errorf(strategy.CodeNotFound, "no organisation has the code %q", code)
	}
	return o, nil
}
