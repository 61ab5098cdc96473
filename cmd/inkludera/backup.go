package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/store"
)

const backupUsage = `Usage:
  inkludera backup  [--db DB] [--pg-bin DIR] -o FILE
  inkludera restore [--db DB] [--pg-bin DIR] FILE

backup writes a consistent copy of the database, also while the server runs
and writes: for SQLite a database file (VACUUM INTO, checked with
integrity_check), itself an Inkludera database; for PostgreSQL pg_dump's
custom format of the database's schema. FILE is replaced only once the new
backup is whole and checked, and only its owner can read it: it holds
password hashes.

restore replaces all of the database's content with a backup of the same
engine. The backup is checked first; one made by an older Inkludera is
migrated, one by a newer is refused. Stop the server before restoring a
SQLite database: restore refuses one in use. PostgreSQL restores in one
transaction while servers run. A failed restore leaves the database as it
was. To move between SQLite and PostgreSQL, use export and import.

PostgreSQL needs pg_dump (backup), pg_restore and psql (restore) of the
server's version or newer: apt-get install postgresql-client. See
docs/backup.md.
`

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("backup", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, backupUsage); f.PrintDefaults() }
	db := f.dbFlag()
	pgBin := pgBinFlag(f)
	out := f.String("o", "", "the backup file to write (required)")
	if err := f.parse(args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return usageError{"backup needs -o FILE"}
	case *out == "-":
		return usageError{"backup writes a file, not standard output: -o FILE"}
	case f.NArg() > 0:
		return usageError{fmt.Sprintf("backup takes no arguments, got %q (the file is -o FILE)", f.Arg(0))}
	}
	start := time.Now()
	a, err := store.Backup(ctx, *db, *out, store.BackupOptions{PGBin: *pgBin, Progress: printSteps(stderr)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s in %s: %s.\n", store.Redact(*db), a.Path, time.Since(start).Round(time.Millisecond), describeArchive(a))
	return nil
}

func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newFlags("restore", getenv, stderr)
	f.Usage = func() { fmt.Fprint(stderr, backupUsage); f.PrintDefaults() }
	db := f.dbFlag()
	pgBin := pgBinFlag(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageError{fmt.Sprintf("restore needs one FILE, the backup, got %d", f.NArg())}
	}
	start := time.Now()
	a, err := store.Restore(ctx, *db, f.Arg(0), store.BackupOptions{PGBin: *pgBin, Progress: printSteps(stderr)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s into %s in %s: %s.\n", a.Path, store.Redact(*db), time.Since(start).Round(time.Millisecond), describeArchive(a))
	return nil
}

func pgBinFlag(f *flags) *string {
	return f.string("pg-bin", "", "folder of pg_dump, pg_restore and psql, e.g. /usr/lib/postgresql/16/bin (default: found on PATH)")
}

// printSteps writes each step as a line.
func printSteps(w io.Writer) func(string) {
	return func(step string) { fmt.Fprintln(w, step) }
}

// describeArchive says what a backup holds: "SQLite, 1843200 bytes, schema
// version 10, 31 tables with 20512 rows".
func describeArchive(a store.Archive) string {
	var b strings.Builder
	if a.Engine == "postgres" {
		fmt.Fprintf(&b, "PostgreSQL schema %s", a.Schema)
	} else {
		b.WriteString("SQLite")
	}
	fmt.Fprintf(&b, ", %d bytes, schema version %d", a.Bytes, a.BackupVersion)
	if a.SchemaVersion != a.BackupVersion {
		fmt.Fprintf(&b, " migrated to %d", a.SchemaVersion)
	}
	fmt.Fprintf(&b, ", %d tables with %d rows", len(a.Tables), a.Rows())
	return b.String()
}
