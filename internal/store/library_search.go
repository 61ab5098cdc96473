package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/strategy"
)

// LibrarySearcher is the library's search on PostgreSQL: the Swedish
// tsvector of library_search, written in the transaction that adds a
// document, so every server sharing the database searches the same index.
// It implements search.Searcher; on SQLite it finds nothing (the library
// uses bleve there).
func (s *Store) LibrarySearcher() search.Searcher { return &pgSearcher{s: s} }

type pgSearcher struct{ s *Store }

// Index rewrites the vectors of docs (their text as stored).
func (p *pgSearcher) Index(ctx context.Context, docs ...search.Document) error {
	if len(docs) == 0 {
		return nil
	}
	return p.s.inImport(ctx, func(im *importer) error {
		for _, d := range docs {
			_, err := im.exec(`INSERT INTO library_search (doc_id, expansions, tsv)
				SELECT d.id, $2, `+librarySearchVector+` FROM library_documents d WHERE d.id = $1
				ON CONFLICT (doc_id) DO UPDATE SET expansions = EXCLUDED.expansions, tsv = EXCLUDED.tsv`,
				d.ID, search.Expand(d.Title+"\n"+d.Text))
			if err != nil {
				return strategy.Internal(err, "indexing library document "+strconv.FormatInt(d.ID, 10))
			}
		}
		return nil
	})
}

// Delete removes documents from the index (not from the library).
func (p *pgSearcher) Delete(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return p.s.inImport(ctx, func(im *importer) error {
		for _, id := range ids {
			if _, err := im.exec(`DELETE FROM library_search WHERE doc_id = $1`, id); err != nil {
				return strategy.Internal(err, "removing a library document from the index")
			}
		}
		return nil
	})
}

func (p *pgSearcher) Count(ctx context.Context) (int, error) {
	var n int
	if err := p.s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM library_search`).Scan(&n); err != nil {
		return 0, strategy.Internal(err, "counting the indexed library documents")
	}
	return n, nil
}

func (p *pgSearcher) Close() error { return nil }

// librarySearchMatches is the matching documents of a query: $1 the
// query text (websearch syntax: words, "phrases", -excluded), ” for all,
// $2–$5 the facet filters (” or 0 for none).
const librarySearchMatches = `WITH q AS (SELECT websearch_to_tsquery('swedish', $1) AS q),
m AS (
    SELECT d.id, d.title, d.org_code, d.org_name, d.county, d.kind, d.year, d.added_at,
        CASE WHEN $1 = '' THEN 0 ELSE ts_rank_cd(s.tsv, q.q, 1) END AS score
    FROM library_documents d JOIN library_search s ON s.doc_id = d.id, q
    WHERE ($1 = '' OR s.tsv @@ q.q)
      AND ($2 = '' OR d.org_code = $2) AND ($3 = '' OR d.county = $3)
      AND ($4 = '' OR d.kind = $4) AND ($5 = 0 OR d.year = $5)
)`

// Search runs q: the page of hits, ranked by ts_rank_cd (the newest first
// without words), with snippets, and the facet counts over every match.
// The query's syntax is websearch_to_tsquery's, which is the one bleve's
// side reads too: words, "phrases", -excluded.
func (p *pgSearcher) Search(ctx context.Context, q search.Query) (search.Result, error) {
	text := strings.TrimSpace(q.Text)
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = 10
	case limit > 100:
		limit = 100
	}
	out := search.Result{Hits: []search.Hit{}}
	tx, err := p.s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, strategy.Internal(err, "starting a search")
	}
	defer tx.Rollback()
	if text != "" {
		var nodes int
		if err := tx.QueryRowContext(ctx, `SELECT numnode(websearch_to_tsquery('swedish', $1))`, text).Scan(&nodes); err != nil {
			return out, strategy.Internal(err, "reading the query")
		}
		if nodes == 0 {
			return out, strategy.Errorf(strategy.CodeInvalid, "the query %q has no words to search for (only stop words or punctuation)", text)
		}
	}
	args := []any{text, q.OrgCode, q.Region, q.Kind, q.Year}
	err = queryEach(ctx, tx, librarySearchMatches+`
		SELECT m.id, m.title, m.score, d.body
		FROM m JOIN library_documents d ON d.id = m.id
		ORDER BY m.score DESC, m.added_at DESC, m.id DESC LIMIT $6 OFFSET $7`,
		append(args, limit, max(q.Offset, 0)), func(rows *sql.Rows) error {
			var h search.Hit
			var body string
			if err := rows.Scan(&h.ID, &h.Title, &h.Score, &body); err != nil {
				return err
			}
			// Marked in Go, not by ts_headline: PostgreSQL's parser sees
			// whole words only, so a compound found by its part
			// ("arbetsmarknadsinsatser" for "arbetsmarknad") would go
			// unmarked, and it drops text that looks like a tag.
			h.Snippets = search.Highlight(body, text)
			out.Hits = append(out.Hits, h)
			return nil
		})
	if err != nil {
		return out, strategy.Internal(err, "searching the library")
	}
	// One pass over the matches counts every facet and the total.
	err = queryEach(ctx, tx, librarySearchMatches+`
		SELECT GROUPING(m.org_code), GROUPING(m.county), GROUPING(m.kind), GROUPING(m.year),
			m.org_code, MAX(m.org_name), m.county, m.kind, COALESCE(m.year, 0), COUNT(*)
		FROM m GROUP BY GROUPING SETS ((), (m.org_code), (m.county), (m.kind), (m.year))`,
		args, func(rows *sql.Rows) error {
			var gOrg, gCounty, gKind, gYear int
			var org, county, kind sql.NullString
			var orgName sql.NullString
			var year, n int
			if err := rows.Scan(&gOrg, &gCounty, &gKind, &gYear, &org, &orgName, &county, &kind, &year, &n); err != nil {
				return err
			}
			switch {
			case gOrg == 1 && gCounty == 1 && gKind == 1 && gYear == 1:
				out.Total = n
			case gOrg == 0 && org.String != "":
				out.Facets.Org = append(out.Facets.Org, search.FacetCount{Value: org.String, Label: orgName.String, Count: n})
			case gCounty == 0 && county.String != "":
				out.Facets.Region = append(out.Facets.Region, search.FacetCount{Value: county.String, Label: regionLabel(county.String), Count: n})
			case gKind == 0 && kind.String != "":
				out.Facets.Kind = append(out.Facets.Kind, search.FacetCount{Value: kind.String, Label: kind.String, Count: n})
			case gYear == 0 && year != 0:
				y := strconv.Itoa(year)
				out.Facets.Year = append(out.Facets.Year, search.FacetCount{Value: y, Label: y, Count: n})
			}
			return nil
		})
	if err != nil {
		return out, strategy.Internal(err, "counting the library's facets")
	}
	for _, list := range []*[]search.FacetCount{&out.Facets.Org, &out.Facets.Region, &out.Facets.Kind, &out.Facets.Year} {
		slices.SortFunc(*list, func(a, b search.FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
	}
	return out, nil
}

// regionLabel names a län by its code.
func regionLabel(code string) string {
	if name, _ := libraryOrgName(code); name != "" {
		return name
	}
	return code
}
