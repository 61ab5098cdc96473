package store

// Backup and restore. A SQLite backup is itself an Inkludera database,
// written by VACUUM INTO in a read transaction: a consistent snapshot while
// a running server goes on reading and writing (WAL). A PostgreSQL backup
// is pg_dump's custom format of the store's schema, dumped in the snapshot
// in which the rows were counted. Restore checks the file, brings an older
// schema up to date and replaces the database in one step, SQLite by
// renaming a checked copy over the file, PostgreSQL in one transaction, so
// a failed restore leaves the database as it was.
//
// Both are functions of a DSN rather than methods of an open Store: Open
// migrates, and a backup taken before an upgrade must keep the old schema;
// a SQLite restore must find its database closed.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Archive describes a backup: the file, and what the database it holds (or
// the database it was restored into) contains.
type Archive struct {
	Engine string // "sqlite" or "postgres"
	Path   string // the backup file
	Bytes  int64  // the size of the backup file
	// BackupVersion is the schema version (the newest applied migration)
	// of the backup; SchemaVersion that of the database after a restore,
	// newer when the restore migrated it. A backup has both equal.
	BackupVersion int64
	SchemaVersion int64
	// Schema is the PostgreSQL schema dumped or restored into; "" on SQLite.
	Schema string
	Tables []TableRows // every table, by name
}

// TableRows is the number of rows of one table.
type TableRows struct {
	Name string
	Rows int64
}

// Rows is the number of rows of all tables.
func (a Archive) Rows() int64 {
	var n int64
	for _, t := range a.Tables {
		n += t.Rows
	}
	return n
}

// BackupOptions are the settings of Backup and Restore.
type BackupOptions struct {
	// PGBin is the folder of pg_dump, pg_restore and psql; "" finds them
	// on PATH. Only PostgreSQL uses them.
	PGBin string
	// Progress, when set, hears each step as it starts.
	Progress func(step string)
}

func (o BackupOptions) step(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

// Backup writes a consistent copy of the database named by dsn to path,
// replacing path atomically: a failed backup leaves no file behind and an
// older backup at path as it was. The copy is checked before it is
// renamed into place: SQLite's integrity_check, pg_restore --list for a
// dump. The file is readable by its owner only; it holds password hashes.
func Backup(ctx context.Context, dsn, path string, opt BackupOptions) (Archive, error) {
	if path == "" {
		return Archive{}, strategy.Errorf(strategy.CodeInvalid, "the backup file is not named")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return Archive{}, strategy.Internal(err, "creating the backup folder")
	}
	if IsPostgres(dsn) {
		return backupPostgres(ctx, dsn, path, opt)
	}
	return backupSQLite(ctx, dsn, path, opt)
}

// Restore replaces the content of the database named by dsn with the
// backup at path, which must be of the same engine. The backup is checked
// first; one made by an older Inkludera is migrated, one by a newer is
// refused. A SQLite database must not be in use (CodeConflict): stop the
// server first. On PostgreSQL servers may keep running: the restore is one
// transaction that holds the write lock of the servers' writes and
// raises and announces the content version, so their caches notice. After any error the database is as it was.
func Restore(ctx context.Context, dsn, path string, opt BackupOptions) (Archive, error) {
	fileEngine, err := backupFileEngine(path)
	if err != nil {
		return Archive{}, err
	}
	dbEngine := "sqlite"
	if IsPostgres(dsn) {
		dbEngine = "postgres"
	}
	if fileEngine != dbEngine {
		return Archive{}, strategy.Errorf(strategy.CodeInvalid,
			"%s is a %s backup and the database is %s: a backup restores only into the engine it was made from. "+
				"To move between engines, export every organisation (inkludera export --org CODE -o FILE) "+
				"and import the files into the new database (inkludera import FILE…)",
			path, engineTitle(fileEngine), engineTitle(dbEngine))
	}
	if fileEngine == "postgres" {
		return restorePostgres(ctx, dsn, path, opt)
	}
	return restoreSQLite(ctx, dsn, path, opt)
}

func engineTitle(engine string) string {
	if engine == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// The first bytes of the two kinds of backup file.
var (
	sqliteMagic = []byte("SQLite format 3\x00")
	pgDumpMagic = []byte("PGDMP")
)

// backupFileEngine names the engine a backup file is for by its first
// bytes, whatever the file is called.
func backupFileEngine(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", strategy.Errorf(strategy.CodeNotFound, "there is no backup file %s", path)
	}
	if err != nil {
		return "", strategy.Internal(err, "opening the backup file "+path)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", strategy.Internal(err, "reading the backup file "+path)
	}
	switch head = head[:n]; {
	case bytes.HasPrefix(head, sqliteMagic):
		return "sqlite", nil
	case bytes.HasPrefix(head, pgDumpMagic):
		return "postgres", nil
	}
	return "", strategy.Errorf(strategy.CodeInvalid,
		"%s is not an Inkludera backup: it is neither a SQLite database nor a pg_dump archive in the custom format", path)
}

// newestMigration is the version of the newest migration of an engine,
// the schema version Open brings a database to.
func newestMigration(folder string) (int64, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+folder)
	if err != nil {
		return 0, strategy.Internal(err, "reading the migrations")
	}
	var newest int64
	for _, e := range entries {
		digits, _, ok := strings.Cut(e.Name(), "_")
		if !ok || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return 0, strategy.Internal(err, "reading the version of migration "+e.Name())
		}
		newest = max(newest, v)
	}
	return newest, nil
}

// checkBackupVersion refuses a backup of a schema this Inkludera does not
// know.
func checkBackupVersion(path string, version, newest int64) error {
	if version > newest {
		return strategy.Errorf(strategy.CodeInvalid,
			"%s was made by a newer Inkludera (schema version %d; this one knows up to %d): restore it with that version or a later one",
			path, version, newest)
	}
	return nil
}

// placeFile makes tmp the file path: it flushes tmp to disk, renames it
// over path and flushes the folder, so that after a crash path is either
// the old file or the whole new one.
func placeFile(tmp, path string) error {
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable. Windows cannot sync a folder and
// does not need to.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}

// tempBeside creates an empty file in the folder of path for a new
// version of it; the file is the caller's to remove.
func tempBeside(path, purpose string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"."+purpose+"-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// removeSQLiteFiles removes a database file with the journal, WAL and
// shared-memory files SQLite may have left beside it.
func removeSQLiteFiles(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

func fileSize(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// backupIdent quotes an SQL identifier; the same rule holds in both
// engines.
func backupIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// countTables counts the rows of the named tables in one read.
func countTables(ctx context.Context, q queryer, prefix string, names []string) ([]TableRows, error) {
	tables := make([]TableRows, 0, len(names))
	for _, name := range names {
		t := TableRows{Name: name}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+prefix+backupIdent(name)).Scan(&t.Rows); err != nil {
			return nil, fmt.Errorf("counting the rows of %s: %w", name, err)
		}
		tables = append(tables, t)
	}
	return tables, nil
}

func backupSQLite(ctx context.Context, dsn, path string, opt BackupOptions) (Archive, error) {
	src, err := sqlitePath(dsn)
	if err != nil {
		return Archive{}, err
	}
	// A backup never creates the database it copies.
	if engine, err := backupFileEngine(src); strategy.CodeOf(err) == strategy.CodeNotFound {
		return Archive{}, strategy.Errorf(strategy.CodeNotFound, "there is no database %s to back up", src)
	} else if err != nil || engine != "sqlite" {
		return Archive{}, strategy.Errorf(strategy.CodeInvalid, "%s is not a SQLite database", src)
	}
	if sameFile(src, path) {
		return Archive{}, strategy.Errorf(strategy.CodeInvalid, "the backup %s would overwrite the database itself", path)
	}
	tmp, err := tempBeside(path, "backup")
	if err != nil {
		return Archive{}, strategy.Internal(err, "creating the backup file")
	}
	defer removeSQLiteFiles(tmp) // nothing left after a rename

	opt.step("Copying %s (VACUUM INTO)…", src)
	if err := sqliteVacuumInto(ctx, src, tmp); err != nil {
		return Archive{}, err
	}
	opt.step("Checking the copy (integrity_check)…")
	version, tables, err := inspectSQLite(ctx, tmp, "the copy of "+src, true)
	if err != nil {
		return Archive{}, err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return Archive{}, strategy.Internal(err, "protecting the backup file")
	}
	if err := placeFile(tmp, path); err != nil {
		return Archive{}, strategy.Internal(err, "writing the backup file "+path)
	}
	size, err := fileSize(path)
	if err != nil {
		return Archive{}, strategy.Internal(err, "reading the size of "+path)
	}
	return Archive{Engine: "sqlite", Path: path, Bytes: size, BackupVersion: version, SchemaVersion: version, Tables: tables}, nil
}

// sqliteVacuumInto writes a compacted copy of src to the empty file tmp. It
// uses a connection of its own: VACUUM INTO is a read transaction, which
// the store's read pool would refuse (query_only) and the writer would
// hold up every write for.
func sqliteVacuumInto(ctx context.Context, src, tmp string) error {
	db, err := sql.Open("sqlite", src+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return strategy.Internal(err, "opening the database "+src)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		return strategy.Internal(err, "copying the database "+src)
	}
	return db.Close()
}

// inspectSQLite reads the schema version and row counts of a database
// file, after PRAGMA integrity_check when check is set (on 1.2 million
// observations it takes 6 s, four times the copy). A file that is damaged
// or not Inkludera's is CodeInvalid; messages call it name.
func inspectSQLite(ctx context.Context, path, name string, check bool) (version int64, tables []TableRows, err error) {
	unsound := func(err error) error {
		return &strategy.Error{Code: strategy.CodeInvalid, Message: name + " is not a sound Inkludera database", Err: err}
	}
	db, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	if err != nil {
		return 0, nil, unsound(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if check {
		if err := sqliteIntegrity(ctx, db, name); err != nil {
			return 0, nil, err
		}
	}
	var names []string
	err = queryEach(ctx, db, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY name`, nil, func(r *sql.Rows) error {
		var name string
		err := r.Scan(&name)
		names = append(names, name)
		return err
	})
	if err != nil {
		return 0, nil, unsound(err)
	}
	if !slices.Contains(names, "goose_db_version") {
		return 0, nil, strategy.Errorf(strategy.CodeInvalid, "%s is a SQLite database but not Inkludera's: it has no goose_db_version table", name)
	}
	if err := db.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&version); err != nil {
		return 0, nil, unsound(err)
	}
	if tables, err = countTables(ctx, db, "", names); err != nil {
		return 0, nil, unsound(err)
	}
	return version, tables, nil
}

// sqliteIntegrity runs PRAGMA integrity_check.
func sqliteIntegrity(ctx context.Context, db *sql.DB, name string) error {
	var problems []string
	err := queryEach(ctx, db, `PRAGMA integrity_check`, nil, func(r *sql.Rows) error {
		var p string
		if err := r.Scan(&p); err != nil {
			return err
		}
		problems = append(problems, p)
		return nil
	})
	if err != nil {
		return &strategy.Error{Code: strategy.CodeInvalid, Message: name + " is not a sound Inkludera database", Err: err}
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return strategy.Errorf(strategy.CodeInvalid, "%s is damaged: integrity_check says %s",
			name, strings.Join(problems[:min(len(problems), 3)], "; "))
	}
	return nil
}

func restoreSQLite(ctx context.Context, dsn, path string, opt BackupOptions) (Archive, error) {
	target, err := sqlitePath(dsn)
	if err != nil {
		return Archive{}, err
	}
	if sameFile(path, target) {
		return Archive{}, strategy.Errorf(strategy.CodeInvalid, "the backup %s is the database itself", path)
	}
	mode := os.FileMode(0o600)
	if st, err := os.Stat(target); err == nil {
		// Replace a database, never some other file that got its name.
		if engine, err := backupFileEngine(target); st.Size() > 0 && (err != nil || engine != "sqlite") {
			return Archive{}, strategy.Errorf(strategy.CodeInvalid, "%s is not a SQLite database: restore does not replace it", target)
		}
		mode = st.Mode().Perm()
	}
	newest, err := newestMigration("sqlite")
	if err != nil {
		return Archive{}, err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return Archive{}, strategy.Internal(err, "creating the database folder")
	}

	// Nobody may use the database from now until it is replaced: a
	// server that starts meanwhile waits, and fails rather than serve the
	// old content.
	release, err := lockSQLiteTarget(ctx, target)
	if err != nil {
		return Archive{}, err
	}
	defer release()

	// The backup file itself stays as it is: the work is done on a copy
	// beside the database, which becomes it by a rename.
	tmp, err := tempBeside(target, "restore")
	if err != nil {
		return Archive{}, strategy.Internal(err, "creating the restored database")
	}
	defer removeSQLiteFiles(tmp)
	opt.step("Copying %s beside %s…", path, target)
	if err := copyFile(path, tmp); err != nil {
		return Archive{}, strategy.Internal(err, "copying the backup "+path)
	}
	opt.step("Checking the backup (integrity_check)…")
	version, _, err := inspectSQLite(ctx, tmp, path, true)
	if err != nil {
		return Archive{}, err
	}
	if err := checkBackupVersion(path, version, newest); err != nil {
		return Archive{}, err
	}
	if version < newest {
		opt.step("Migrating the backup from schema version %d to %d…", version, newest)
		st, err := Open(ctx, tmp)
		if err != nil {
			return Archive{}, err
		}
		if err := st.Close(); err != nil {
			return Archive{}, strategy.Internal(err, "closing the migrated backup")
		}
	}
	// One self-contained file: no WAL of it must be left behind.
	if err := sqliteRollbackJournal(ctx, tmp); err != nil {
		return Archive{}, err
	}
	schema, tables, err := inspectSQLite(ctx, tmp, path, false)
	if err != nil {
		return Archive{}, err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return Archive{}, strategy.Internal(err, "setting the permissions of the restored database")
	}

	opt.step("Replacing %s…", target)
	// A journal or WAL left from the old database would be replayed onto
	// the new one; the lock keeps others from making new ones.
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Archive{}, strategy.Internal(err, "removing the old database's "+suffix+" file")
		}
	}
	if err := placeFile(tmp, target); err != nil {
		return Archive{}, strategy.Internal(err, "replacing the database "+target)
	}
	size, err := fileSize(path)
	if err != nil {
		return Archive{}, strategy.Internal(err, "reading the size of "+path)
	}
	return Archive{Engine: "sqlite", Path: path, Bytes: size, BackupVersion: version, SchemaVersion: schema, Tables: tables}, nil
}

// sqliteRollbackJournal moves what a WAL holds into the database file and
// takes it out of WAL mode; Open puts it back.
func sqliteRollbackJournal(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return strategy.Internal(err, "opening "+path)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode); err != nil {
		return strategy.Internal(err, "leaving WAL mode")
	}
	return db.Close()
}

// lockSQLiteTarget makes sure no one uses the database at path and keeps
// it so until release: it leaves WAL mode, which SQLite allows only when
// no other connection, in any process, has the database open (a running
// server always has), and then takes the exclusive lock. A missing file
// needs no lock.
func lockSQLiteTarget(ctx context.Context, path string) (release func(), err error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return func() {}, nil
	}
	inUse := func(err error) error {
		return &strategy.Error{Code: strategy.CodeConflict, Err: err, Message: fmt.Sprintf(
			"the database %s is in use: stop inkludera serve and any other inkludera command using it, then restore again", path)}
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)")
	if err != nil {
		return nil, strategy.Internal(err, "opening the database "+path)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, strategy.Internal(err, "opening the database "+path)
	}
	fail := func(err error) (func(), error) {
		conn.Close()
		db.Close()
		if sqliteBusy(err) {
			return nil, inUse(err)
		}
		return nil, strategy.Internal(err, "locking the database "+path)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode); err != nil {
		return fail(err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		return fail(err)
	}
	return func() {
		conn.ExecContext(context.Background(), `ROLLBACK`)
		conn.Close()
		db.Close()
	}, nil
}

// sqliteBusy tells whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED.
func sqliteBusy(err error) bool {
	var coded interface{ Code() int }
	if !errors.As(err, &coded) {
		return false
	}
	const busy, locked = 5, 6
	switch coded.Code() & 0xff {
	case busy, locked:
		return true
	}
	return false
}

// sameFile tells whether a and b are one existing file.
func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
