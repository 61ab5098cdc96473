package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/inkludera/inkludera/internal/strategy"
)

var _ strategy.ComparisonStore = (*Store)(nil)

// PutGroups implements strategy.ComparisonStore: every group is validated
// before anything is written, then each is inserted, updated where it
// differs, or left alone, in one transaction.
func (s *Store) PutGroups(ctx context.Context, groups []strategy.OrgGroup) (strategy.ChangeCount, error) {
	if err := validateGroups(groups); err != nil {
		return strategy.ChangeCount{}, err
	}
	var n strategy.ChangeCount
	err := s.inImport(ctx, func(im *importer) error {
		n = strategy.ChangeCount{}
		for _, g := range groups {
			c, err := im.putGroup(g)
			if err != nil {
				return strategy.Internal(err, "storing group "+g.ID)
			}
			switch c {
			case added:
				n.Added++
			case changed:
				n.Changed++
			default:
				n.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return strategy.ChangeCount{}, err
	}
	return n, nil
}

// validateGroups checks every group and that no ID comes twice; the
// problems' paths are "groups[i].field".
func validateGroups(groups []strategy.OrgGroup) error {
	var all strategy.ValidationErrors
	seen := map[string]int{}
	for i, g := range groups {
		prefix := fmt.Sprintf("groups[%d]", i)
		var v strategy.ValidationErrors
		if err := g.Validate(); errors.As(err, &v) {
			for _, e := range v {
				if e.Path == "" {
					e.Path = prefix
				} else {
					e.Path = prefix + "." + e.Path
				}
				all = append(all, e)
			}
		}
		if first, dup := seen[g.ID]; dup && g.ID != "" {
			all = append(all, strategy.FieldError{Path: prefix + ".id",
				Message: fmt.Sprintf("group %q is also groups[%d]", g.ID, first),
				Svenska: fmt.Sprintf("Gruppen ”%s” finns redan som nummer %d.", g.ID, first+1)})
		}
		seen[g.ID] = i
	}
	if len(all) == 0 {
		return nil
	}
	return &strategy.Error{Code: strategy.CodeInvalid, Message: "the groups are not valid", Err: all}
}

// putGroup stores one group and says what it did.
func (im *importer) putGroup(g strategy.OrgGroup) (change, error) {
	var title, kind, of, source string
	var year sql.NullInt64
	st, err := im.stmt(`SELECT title, kind, of_org, year, source FROM organisation_groups WHERE id = $1`)
	if err != nil {
		return unchanged, err
	}
	err = st.QueryRowContext(im.ctx, g.ID).Scan(&title, &kind, &of, &year, &source)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := im.exec(`INSERT INTO organisation_groups (id, title, kind, of_org, year, source)
			VALUES ($1, $2, $3, $4, $5, $6)`, g.ID, g.Title, g.Kind, g.Of, nullInt(g.Year), g.Source); err != nil {
			return unchanged, err
		}
		return added, im.insertMembers(g)
	}
	if err != nil {
		return unchanged, err
	}
	c := unchanged
	if title != g.Title || kind != string(g.Kind) || of != g.Of || intOf(year) != g.Year || source != g.Source {
		if _, err := im.exec(`UPDATE organisation_groups SET title = $2, kind = $3, of_org = $4, year = $5, source = $6
			WHERE id = $1`, g.ID, g.Title, g.Kind, g.Of, nullInt(g.Year), g.Source); err != nil {
			return unchanged, err
		}
		c = changed
	}
	stored, err := im.groupMembers(g.ID)
	if err != nil {
		return unchanged, err
	}
	if !slices.Equal(stored, g.Members) {
		if _, err := im.exec(`DELETE FROM organisation_group_members WHERE group_id = $1`, g.ID); err != nil {
			return unchanged, err
		}
		if err := im.insertMembers(g); err != nil {
			return unchanged, err
		}
		c = changed
	}
	return c, nil
}

func (im *importer) insertMembers(g strategy.OrgGroup) error {
	for i, m := range g.Members {
		if _, err := im.exec(`INSERT INTO organisation_group_members (group_id, position, org_code) VALUES ($1, $2, $3)`,
			g.ID, i, m); err != nil {
			return err
		}
	}
	return nil
}

// groupMembers reads a stored group's members in order.
func (im *importer) groupMembers(id string) ([]string, error) {
	st, err := im.stmt(`SELECT org_code FROM organisation_group_members WHERE group_id = $1 ORDER BY position, org_code`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(im.ctx, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PeerGroupSQL reads a kommun's peer group with its members, one row per
// member: $1 is the kommun. Of several groups the latest year's wins, then
// the lowest id (COALESCE: the engines sort NULL at opposite ends).
const PeerGroupSQL = `SELECT g.id, g.title, g.kind, g.of_org, g.year, g.source, m.org_code
FROM organisation_groups g
JOIN organisation_group_members m ON m.group_id = g.id
WHERE g.id = (SELECT p.id FROM organisation_groups p WHERE p.of_org = $1 AND p.kind = 'peers'
              ORDER BY COALESCE(p.year, 0) DESC, p.id LIMIT 1)
ORDER BY m.position, m.org_code`

// PeerGroup implements strategy.ComparisonStore.
func (s *Store) PeerGroup(ctx context.Context, org string) (strategy.OrgGroup, error) {
	g, found, err := readPeerGroup(ctx, s.r, org)
	if err != nil {
		return g, err
	}
	if !found {
		return g, strategy.Errorf(strategy.CodeNotFound, "kommun %s has no peer group", org)
	}
	return g, nil
}

func readPeerGroup(ctx context.Context, q queryer, org string) (strategy.OrgGroup, bool, error) {
	var g strategy.OrgGroup
	err := queryEach(ctx, q, PeerGroupSQL, []any{org}, func(rows *sql.Rows) error {
		var year sql.NullInt64
		var member string
		if err := rows.Scan(&g.ID, &g.Title, &g.Kind, &g.Of, &year, &g.Source, &member); err != nil {
			return err
		}
		g.Year = intOf(year)
		g.Members = append(g.Members, member)
		return nil
	})
	if err != nil {
		return strategy.OrgGroup{}, false, strategy.Internal(err, "reading the peer group of "+org)
	}
	return g, g.ID != "", nil
}
