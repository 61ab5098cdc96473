package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Export returns the organisation's content as bundles, as
// strategy.Store.Export documents: one per document in import order, each
// with the organisation, all its bodies, the indicators the document refers
// to in order of first reference (document, then each area's indicators
// and goal tree) and the organisation's observations of them; then one
// bundle with the organisation's other indicators that have observations,
// in import order. An organisation with neither documents nor observations
// gives one bundle of itself and its bodies, so that it too round-trips.
// Everything is read in one snapshot. Documents come as Document gives
// them, with their Revs and activities' notes, which files leave out and
// Import ignores.
func (s *Store) Export(ctx context.Context, orgCode, documentKey string) ([]strategy.Bundle, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, strategy.Internal(err, "starting the export")
	}
	defer tx.Rollback()
	out, err := export(ctx, tx, orgCode, documentKey)
	var se *strategy.Error
	if err != nil && !errors.As(err, &se) {
		err = strategy.Internal(err, "exporting "+orgCode)
	}
	return out, err
}

func export(ctx context.Context, tx *sql.Tx, orgCode, documentKey string) ([]strategy.Bundle, error) {
	org, err := readOrganisation(ctx, tx, orgCode)
	if err != nil {
		return nil, err
	}
	bodies, err := readBodies(ctx, tx, orgCode)
	if err != nil {
		return nil, err
	}
	var docKeys []string
	if documentKey != "" {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT org_code FROM documents WHERE key = $1`, documentKey).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != orgCode) {
			return nil, strategy.Errorf(strategy.CodeNotFound, "organisation %s has no document %q", orgCode, documentKey)
		}
		if err != nil {
			return nil, err
		}
		docKeys = []string{documentKey}
	} else {
		err := queryEach(ctx, tx, `SELECT key FROM documents WHERE org_code = $1 ORDER BY id`, []any{orgCode},
			func(rows *sql.Rows) error {
				var k string
				err := rows.Scan(&k)
				docKeys = append(docKeys, k)
				return err
			})
		if err != nil {
			return nil, err
		}
	}

	// The organisation's observations by indicator, and the indicators that
	// have any, in import order.
	obs := map[string][]strategy.Observation{}
	var withObs []string
	all, err := readObservations(ctx, tx, observationSelect+` WHERE o.org_code = $1 AND `+byOrg+`
		ORDER BY o.indicator_id, o.year, `+genderOrder, []any{orgCode})
	if err != nil {
		return nil, err
	}
	for _, o := range all {
		if obs[o.Indicator] == nil {
			withObs = append(withObs, o.Indicator)
		}
		obs[o.Indicator] = append(obs[o.Indicator], o)
	}

	defs := map[string]strategy.Indicator{}
	indicator := func(key string) (strategy.Indicator, error) {
		if ind, ok := defs[key]; ok {
			return ind, nil
		}
		list, err := readIndicators(ctx, tx, "WHERE key = $1", []any{key})
		if err != nil {
			return strategy.Indicator{}, err
		}
		if len(list) == 0 {
			return strategy.Indicator{}, errors.New("indicator " + key + " is referred to but not stored")
		}
		defs[key] = list[0]
		return list[0], nil
	}
	bundle := func(doc *strategy.Document, keys []string) (strategy.Bundle, error) {
		o := org
		b := strategy.Bundle{Organisation: &o, Bodies: slices.Clone(bodies), Document: doc}
		for _, k := range keys {
			ind, err := indicator(k)
			if err != nil {
				return b, err
			}
			b.Indicators = append(b.Indicators, ind)
			b.Observations = append(b.Observations, obs[k]...)
		}
		return b, nil
	}

	var out []strategy.Bundle
	referred := map[string]bool{}
	for _, key := range docKeys {
		d, err := readDocument(ctx, tx, key)
		if err != nil {
			return nil, err
		}
		keys := d.IndicatorKeys()
		for _, k := range keys {
			referred[k] = true
		}
		b, err := bundle(&d, keys)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if documentKey != "" {
		return out, nil
	}
	var rest []string
	for _, k := range withObs {
		if !referred[k] {
			rest = append(rest, k)
		}
	}
	if len(rest) > 0 || len(out) == 0 {
		b, err := bundle(nil, rest)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
