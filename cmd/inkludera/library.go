package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/search"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

const libraryUsage = `Usage:
  inkludera library add    [--db DB] [--index DIR] [--skip-unreadable] FILE|FOLDER...
                           add documents (txt, md, pdf, docx; folders are searched) in one transaction
  inkludera library list   [--db DB] [--offset N] [--limit N]
  inkludera library search [--db DB] [--index DIR] [--org CODE] [--region CODE] [--kind KIND] [--year YYYY] QUERY...
  inkludera library reindex [--db DB] [--index DIR]   rebuild the search index from the database (SQLite)
`

// runLibrary is `inkludera library`.
func runLibrary(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, libraryUsage)
		return usageError{"library needs a subcommand: add, list, search or reindex"}
	}
	switch args[0] {
	case "add":
		return runLibraryAdd(ctx, args[1:], getenv, stdout, stderr)
	case "list":
		return runLibraryList(ctx, args[1:], getenv, stdout, stderr)
	case "search":
		return runLibrarySearch(ctx, args[1:], getenv, stdout, stderr)
	case "reindex":
		return runLibraryReindex(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, libraryUsage)
		return nil
	}
	fmt.Fprint(stderr, libraryUsage)
	return usageError{fmt.Sprintf("unknown library subcommand %q", args[0])}
}

// libraryFileExts are the files a folder given to library add contributes.
var libraryFileExts = map[string]bool{".txt": true, ".text": true, ".md": true, ".markdown": true, ".pdf": true, ".docx": true}

// libraryFiles expands folders into their document files, in name order.
func libraryFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && libraryFileExts[strings.ToLower(filepath.Ext(path))] {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// openLibrary opens the library of st, telling stderr how the index sync
// goes when it has work to do.
func openLibrary(ctx context.Context, st *store.Store, indexDir string, stderr io.Writer) (*library.Library, error) {
	last := time.Time{}
	return library.Open(ctx, st, indexDir, nil, func(done, total int) {
		if time.Since(last) > time.Second || done == total {
			fmt.Fprintf(stderr, "Indexing for search: %d of %d documents\n", done, total)
			last = time.Now()
		}
	})
}

func runLibraryAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("library add", getenv, stderr)
	db := f.dbFlag()
	index := f.string("library-index", "", "the search index folder of a SQLite database (default: the database file + .bibliotek)")
	skip := f.Bool("skip-unreadable", false, "store the readable files even when some cannot be read")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() == 0 {
		return usageError{"library add needs at least one FILE or FOLDER"}
	}
	names, err := libraryFiles(f.Args())
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return errors.New("no txt, md, pdf or docx files found")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	lib, err := openLibrary(ctx, st, *index, stderr)
	switch {
	case errors.Is(err, search.ErrIndexInUse) && lib != nil:
		fmt.Fprintln(stderr, "The search index is in use by a running server; it will index the new documents itself.")
	case err != nil:
		return err
	}
	defer lib.Close()

	files := make([]library.File, 0, len(names))
	for _, name := range names {
		files = append(files, library.File{Name: name, Path: name})
	}
	start := time.Now()
	last := time.Time{}
	res, err := lib.Add(ctx, files, library.AddOptions{
		SkipUnreadable: *skip,
		Progress: func(done, total int, file string) {
			if time.Since(last) > time.Second || done == total || total <= 20 {
				fmt.Fprintf(stderr, "[%d/%d] %s\n", done, total, file)
				last = time.Now()
			}
		},
	})
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "%s\n", p.Error())
	}
	if err != nil {
		if len(res.Problems) > 0 {
			return fmt.Errorf("%w (add --skip-unreadable to store the others)", err)
		}
		return fmt.Errorf("nothing stored: %w", err)
	}
	for _, d := range res.Added {
		fmt.Fprintf(stdout, "added %d  %s%s\n", d.ID, d.Title, describeLibraryDoc(d))
	}
	for _, d := range res.Duplicates {
		fmt.Fprintf(stdout, "already in the library as %d: %s\n", d.Existing.ID, d.File)
	}
	fmt.Fprintf(stderr, "%d added, %d already in the library, %d unreadable, in %s\n",
		len(res.Added), len(res.Duplicates), len(res.Problems), time.Since(start).Round(time.Millisecond))
	return nil
}

// describeLibraryDoc is the metadata of a document in one parenthesis.
func describeLibraryDoc(d strategy.LibraryDocument) string {
	var parts []string
	if d.OrgName != "" {
		parts = append(parts, d.OrgName+" "+d.OrgCode)
	}
	if d.Kind != "" {
		parts = append(parts, string(d.Kind))
	}
	if d.Year != 0 {
		parts = append(parts, strconv.Itoa(d.Year))
	}
	if d.AdoptedBy != "" {
		a := "adopted by " + d.AdoptedBy
		if !d.AdoptedOn.IsZero() {
			a += " " + d.AdoptedOn.String()
		}
		parts = append(parts, a)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func runLibraryList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("library list", getenv, stderr)
	db := f.dbFlag()
	offset := f.Int("offset", 0, "skip this many documents")
	limit := f.Int("limit", 50, "list at most this many (max 500)")
	if err := f.parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	docs, total, err := st.LibraryDocuments(ctx, *offset, *limit)
	if err != nil {
		return err
	}
	for _, d := range docs {
		fmt.Fprintf(stdout, "%d\t%s%s\n", d.ID, d.Title, describeLibraryDoc(d))
	}
	fmt.Fprintf(stderr, "%d of %d documents\n", len(docs), total)
	return nil
}

func runLibrarySearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("library search", getenv, stderr)
	db := f.dbFlag()
	index := f.string("library-index", "", "the search index folder of a SQLite database (default: the database file + .bibliotek)")
	var q search.Query
	f.StringVar(&q.OrgCode, "org", "", "only this kommun's or region's documents")
	f.StringVar(&q.Region, "region", "", "only documents of this län (two digits)")
	f.StringVar(&q.Kind, "kind", "", "only this kind: strategi, program, plan, policy, riktlinjer")
	f.IntVar(&q.Year, "year", 0, "only this year's documents")
	f.IntVar(&q.Limit, "limit", 10, "show this many hits")
	if err := f.parse(args); err != nil {
		return err
	}
	q.Text = strings.Join(f.Args(), " ")
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	lib, err := openLibrary(ctx, st, *index, stderr)
	if err != nil {
		return err
	}
	defer lib.Close()
	res, err := lib.Search(ctx, q)
	if err != nil {
		return err
	}
	for _, h := range res.Hits {
		fmt.Fprintf(stdout, "%d\t%s\n", h.ID, h.Title)
		for _, s := range h.Snippets {
			var b strings.Builder
			for _, sp := range s {
				if sp.Hit {
					b.WriteString("»" + sp.Text + "«")
				} else {
					b.WriteString(sp.Text)
				}
			}
			fmt.Fprintf(stdout, "\t… %s …\n", strings.Join(strings.Fields(b.String()), " "))
		}
	}
	fmt.Fprintf(stderr, "%d documents match%s\n", res.Total, describeFacets(res.Facets))
	return nil
}

// describeFacets lists the top values of each facet in one line.
func describeFacets(f search.Facets) string {
	var parts []string
	add := func(name string, list []search.FacetCount) {
		var vs []string
		for i, c := range list {
			if i == 5 {
				break
			}
			label := c.Label
			if label == "" {
				label = c.Value
			}
			vs = append(vs, fmt.Sprintf("%s %d", label, c.Count))
		}
		if len(vs) > 0 {
			parts = append(parts, name+": "+strings.Join(vs, ", "))
		}
	}
	add("kind", f.Kind)
	add("year", f.Year)
	add("organisation", f.Org)
	add("län", f.Region)
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}

func runLibraryReindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("library reindex", getenv, stderr)
	db := f.dbFlag()
	index := f.string("library-index", "", "the search index folder of a SQLite database (default: the database file + .bibliotek)")
	if err := f.parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Engine() == "postgres" {
		fmt.Fprintln(stdout, "PostgreSQL indexes the library in the database itself; nothing to rebuild.")
		return nil
	}
	dir := *index
	if dir == "" {
		dir = library.IndexDir(st)
	}
	// A rebuild is a fresh index: the old one is moved aside until the
	// new one is complete, so a failure leaves the old one in place.
	old := dir + ".old"
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("moving the old index aside (is a server using it?): %w", err)
		}
	}
	start := time.Now()
	lib, err := openLibrary(ctx, st, dir, stderr)
	if err != nil {
		os.RemoveAll(dir)
		if _, statErr := os.Stat(old); statErr == nil {
			os.Rename(old, dir)
		}
		return err
	}
	n, _ := lib.Searcher().Count(ctx)
	lib.Close()
	os.RemoveAll(old)
	fmt.Fprintf(stdout, "Indexed %d documents in %s.\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
