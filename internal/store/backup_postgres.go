package store

// The PostgreSQL side of Backup and Restore runs the client programs
// pg_dump, pg_restore and psql.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/inkludera/inkludera/internal/strategy"
)

// pgTarget is a database as the PostgreSQL client tools are told of it.
type pgTarget struct {
	uri string   // a libpq URI: no password, no parameters only pgx knows
	env []string // PGPASSWORD, so that the password is not in the process list
	// searchPath is the first schema of the URL's search_path, "" if none.
	searchPath string
}

// libpqParams are the URI parameters libpq knows; pgx takes others (as
// search_path, which names the schema here) that would make libpq fail.
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"channel_binding": true, "connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "fallback_application_name": true, "keepalives": true,
	"keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true,
	"tcp_user_timeout": true, "gssencmode": true, "sslmode": true, "sslcompression": true,
	"sslcert": true, "sslkey": true, "sslpassword": true, "sslcertmode": true, "sslrootcert": true,
	"sslcrl": true, "sslcrldir": true, "sslsni": true, "requirepeer": true,
	"ssl_min_protocol_version": true, "ssl_max_protocol_version": true, "krbsrvname": true,
	"gsslib": true, "gssdelegation": true, "service": true, "target_session_attrs": true,
	"load_balance_hosts": true,
}

func pgTargetOf(dsn string) (pgTarget, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return pgTarget{}, strategy.Errorf(strategy.CodeInvalid, "the database URL does not parse: %v", err)
	}
	var t pgTarget
	if u.User != nil {
		if password, ok := u.User.Password(); ok {
			t.env = append(t.env, "PGPASSWORD="+password)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	for _, s := range strings.Split(q.Get("search_path"), ",") {
		if s = strings.Trim(strings.TrimSpace(s), `"`); s != "" && s != "$user" {
			t.searchPath = s
			break
		}
	}
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	t.uri = u.String()
	return t, nil
}

// pgTool finds a PostgreSQL client program in bin, or on PATH when bin is
// "".
func pgTool(bin, name string) (string, error) {
	if bin != "" {
		path, err := exec.LookPath(filepath.Join(bin, name))
		if err != nil {
			return "", strategy.Errorf(strategy.CodeNotFound, "%s was not found in %s", name, bin)
		}
		return path, nil
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", strategy.Errorf(strategy.CodeNotFound,
			"%s was not found on PATH: it comes with the PostgreSQL client programs (apt-get install postgresql-client, "+
				"or postgresql-client-N for the server's version N)", name)
	}
	return path, nil
}

var pgVersionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)(\.\d+)?`)

// pgToolVersion reads the version a client program prints: "pg_dump
// (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" is major 15, "15.18".
func pgToolVersion(ctx context.Context, path string) (major int, version string, err error) {
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return 0, "", strategy.Internal(err, "asking "+path+" for its version")
	}
	m := pgVersionRE.FindStringSubmatch(string(out))
	if m == nil {
		return 0, "", strategy.Errorf(strategy.CodeInvalid, "%s printed no PostgreSQL version: %q", path, strings.TrimSpace(string(out)))
	}
	major, _ = strconv.Atoi(m[1])
	return major, m[1] + m[2], nil
}

// checkPGDumpVersion refuses a pg_dump older than the server: it could not
// read the server's catalogue. serverNum is server_version_num, 150018 for
// 15.18.
func checkPGDumpVersion(dumpMajor int, dumpVersion string, serverNum int, serverVersion string) error {
	if serverMajor := serverNum / 10000; dumpMajor < serverMajor {
		return strategy.Errorf(strategy.CodeInvalid,
			"pg_dump %s is older than the server, PostgreSQL %s: a backup needs pg_dump %d or newer "+
				"(apt-get install postgresql-client-%d; with several versions installed, --pg-bin /usr/lib/postgresql/%d/bin)",
			dumpVersion, serverVersion, serverMajor, serverMajor, serverMajor)
	}
	return nil
}

// pgConnectError is the first failure to reach the database, whose
// message the driver may have given the URL's password.
func pgConnectError(err error, dsn string) error {
	return &strategy.Error{Code: strategy.CodeInternal, Message: "cannot connect to PostgreSQL at " + Redact(dsn),
		Err: errors.New(redactErr(err, dsn))}
}

// runTool runs a client program and makes its complaint the error.
func runTool(cmd *exec.Cmd, what string) error {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return toolError(what, err, stderr.String())
	}
	return nil
}

func toolError(what string, err error, stderr string) error {
	msg := strings.TrimSpace(stderr)
	if msg == "" {
		msg = err.Error()
	}
	return &strategy.Error{Code: strategy.CodeInternal, Message: what + ": " + msg, Err: err}
}

func backupPostgres(ctx context.Context, dsn, path string, opt BackupOptions) (Archive, error) {
	pgDump, err := pgTool(opt.PGBin, "pg_dump")
	if err != nil {
		return Archive{}, err
	}
	dumpMajor, dumpVersion, err := pgToolVersion(ctx, pgDump)
	if err != nil {
		return Archive{}, err
	}
	target, err := pgTargetOf(dsn)
	if err != nil {
		return Archive{}, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return Archive{}, strategy.Internal(err, "opening the database")
	}
	defer db.Close()

	// The rows are counted in the snapshot pg_dump dumps, which lives as
	// long as this transaction.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return Archive{}, pgConnectError(err, dsn)
	}
	defer tx.Rollback()
	var (
		schema                  sql.NullString
		serverNum               int
		serverVersion, snapshot string
	)
	if err := tx.QueryRowContext(ctx, `SELECT current_schema(), CAST(current_setting('server_version_num') AS INTEGER),
		current_setting('server_version'), pg_export_snapshot()`).Scan(&schema, &serverNum, &serverVersion, &snapshot); err != nil {
		return Archive{}, pgConnectError(err, dsn)
	}
	if !schema.Valid {
		return Archive{}, strategy.Errorf(strategy.CodeNotFound, "the database has no schema to back up (its search_path names none that exists)")
	}
	if err := checkPGDumpVersion(dumpMajor, dumpVersion, serverNum, serverVersion); err != nil {
		return Archive{}, err
	}
	version, tables, err := inspectPostgres(ctx, tx, schema.String)
	if err != nil {
		return Archive{}, err
	}

	tmp, err := tempBeside(path, "backup")
	if err != nil {
		return Archive{}, strategy.Internal(err, "creating the backup file")
	}
	defer os.Remove(tmp)
	opt.step("Dumping schema %s with pg_dump %s…", schema.String, dumpVersion)
	dump := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-password",
		"--schema="+backupIdent(schema.String), "--snapshot="+snapshot, "--file="+tmp, "--dbname="+target.uri)
	dump.Env = append(os.Environ(), target.env...)
	if err := runTool(dump, "pg_dump failed"); err != nil {
		return Archive{}, err
	}
	if err := tx.Commit(); err != nil {
		return Archive{}, strategy.Internal(err, "ending the backup's snapshot")
	}

	opt.step("Checking the dump…")
	if engine, err := backupFileEngine(tmp); err != nil || engine != "postgres" {
		return Archive{}, strategy.Errorf(strategy.CodeInvalid, "pg_dump wrote no archive in the custom format")
	}
	// pg_restore reads the table of contents back, when it is at hand.
	if pgRestore, err := pgTool(opt.PGBin, "pg_restore"); err == nil {
		if _, err := pgDumpSchema(ctx, pgRestore, tmp); err != nil {
			return Archive{}, err
		}
	}
	if err := placeFile(tmp, path); err != nil {
		return Archive{}, strategy.Internal(err, "writing the backup file "+path)
	}
	size, err := fileSize(path)
	if err != nil {
		return Archive{}, strategy.Internal(err, "reading the size of "+path)
	}
	return Archive{Engine: "postgres", Path: path, Bytes: size, BackupVersion: version, SchemaVersion: version,
		Schema: schema.String, Tables: tables}, nil
}

// inspectPostgres reads the schema version and row counts of an Inkludera
// schema.
func inspectPostgres(ctx context.Context, q queryer, schema string) (version int64, tables []TableRows, err error) {
	var names []string
	err = queryEach(ctx, q, `SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, []any{schema},
		func(r *sql.Rows) error {
			var name string
			err := r.Scan(&name)
			names = append(names, name)
			return err
		})
	if err != nil {
		return 0, nil, strategy.Internal(err, "listing the tables of schema "+schema)
	}
	if !slices.Contains(names, "goose_db_version") {
		return 0, nil, strategy.Errorf(strategy.CodeNotFound, "schema %s holds no Inkludera database: it has no goose_db_version table", schema)
	}
	prefix := backupIdent(schema) + "."
	if err := q.QueryRowContext(ctx, `SELECT MAX(version_id) FROM `+prefix+`goose_db_version`).Scan(&version); err != nil {
		return 0, nil, strategy.Internal(err, "reading the schema version")
	}
	if tables, err = countTables(ctx, q, prefix, names); err != nil {
		return 0, nil, strategy.Internal(err, "counting rows")
	}
	return version, tables, nil
}

// pgSchemaEntryRE matches the schema in pg_restore --list: "6; 2615 16390
// SCHEMA - t_1a2b inkludera", the last word the owner.
var pgSchemaEntryRE = regexp.MustCompile(`(?m)^\d+; \d+ \d+ SCHEMA - (.+) \S+$`)

// pgDumpSchema reads the one schema a dump holds from its table of
// contents.
func pgDumpSchema(ctx context.Context, pgRestore, path string) (string, error) {
	var toc bytes.Buffer
	list := exec.CommandContext(ctx, pgRestore, "--list", path)
	list.Stdout = &toc
	if err := runTool(list, "pg_restore cannot read "+path); err != nil {
		return "", err
	}
	schemas := pgSchemaEntryRE.FindAllStringSubmatch(toc.String(), -1)
	if len(schemas) != 1 {
		return "", strategy.Errorf(strategy.CodeInvalid, "%s holds %d schemas, not the one of an Inkludera backup", path, len(schemas))
	}
	return schemas[0][1], nil
}

// pgDumpVersion reads the schema version of a dump: the highest version_id
// in its data of goose_db_version.
func pgDumpVersion(ctx context.Context, pgRestore, path, schema string) (int64, error) {
	var data bytes.Buffer
	read := exec.CommandContext(ctx, pgRestore, "--data-only", "--schema="+schema, "--table=goose_db_version", "--file=-", path)
	read.Stdout = &data
	if err := runTool(read, "pg_restore cannot read "+path); err != nil {
		return 0, err
	}
	column, found := -1, false
	var version int64
	sc := bufio.NewScanner(&data)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "COPY ") && strings.Contains(line, "goose_db_version ("):
			found = true
			open, close := strings.Index(line, "("), strings.Index(line, ")")
			if open < 0 || close < open {
				break
			}
			for i, c := range strings.Split(line[open+1:close], ",") {
				if strings.TrimSpace(c) == "version_id" {
					column = i
				}
			}
		case line == `\.`:
			found = false
		case found && column >= 0:
			fields := strings.Split(line, "\t")
			if column < len(fields) {
				v, err := strconv.ParseInt(fields[column], 10, 64)
				if err != nil {
					return 0, strategy.Errorf(strategy.CodeInvalid, "%s: goose_db_version has the version %q", path, fields[column])
				}
				version = max(version, v)
			}
		}
	}
	if column < 0 {
		return 0, strategy.Errorf(strategy.CodeInvalid, "%s is a pg_dump archive but not of an Inkludera database: it has no goose_db_version data", path)
	}
	return version, nil
}

func restorePostgres(ctx context.Context, dsn, path string, opt BackupOptions) (Archive, error) {
	pgRestore, err := pgTool(opt.PGBin, "pg_restore")
	if err != nil {
		return Archive{}, err
	}
	psql, err := pgTool(opt.PGBin, "psql")
	if err != nil {
		return Archive{}, err
	}
	target, err := pgTargetOf(dsn)
	if err != nil {
		return Archive{}, err
	}
	opt.step("Reading the backup's table of contents…")
	dumped, err := pgDumpSchema(ctx, pgRestore, path)
	if err != nil {
		return Archive{}, err
	}
	version, err := pgDumpVersion(ctx, pgRestore, path, dumped)
	if err != nil {
		return Archive{}, err
	}
	newest, err := newestMigration("postgres")
	if err != nil {
		return Archive{}, err
	}
	if err := checkBackupVersion(path, version, newest); err != nil {
		return Archive{}, err
	}

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return Archive{}, strategy.Internal(err, "opening the database")
	}
	defer db.Close()
	schema, content, err := pgRestoreTarget(ctx, db, dsn, target, dumped)
	if err != nil {
		return Archive{}, err
	}

	opt.step("Restoring schema %s in one transaction (pg_restore | psql)…", schema)
	// It waits for the servers' write in progress and holds off the next
	// (postgresDialect.beginWrite). The old schema goes first, with
	// everything in it, so that tables the backup lacks do not stay; the
	// dump creates the schema under its own name, which is then given the
	// target's; the content version rises above both the old and the
	// restored one, and the servers hear of it at commit (notify.go).
	lit := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	begin := fmt.Sprintf("SET client_min_messages = warning;\nBEGIN;\n"+
		"SELECT pg_advisory_xact_lock(hashtextextended(%s || '/write', 0));\n"+
		"DROP SCHEMA IF EXISTS %s CASCADE;\n", lit(schema), backupIdent(schema))
	var end strings.Builder
	if dumped != schema {
		fmt.Fprintf(&end, "ALTER SCHEMA %s RENAME TO %s;\n", backupIdent(dumped), backupIdent(schema))
	}
	table := backupIdent(schema) + ".content_version"
	fmt.Fprintf(&end, "DO $$BEGIN IF to_regclass(%s) IS NOT NULL THEN UPDATE %s SET version = GREATEST(version, %d) + 1; END IF; END$$;\n",
		lit(table), table, content)
	fmt.Fprintf(&end, "SELECT pg_notify(%s, %s);\nCOMMIT;\n", lit(contentChannel), lit(schema))
	if err := pgRestorePipe(ctx, pgRestore, psql, path, target, begin, end.String()); err != nil {
		return Archive{}, err
	}

	if version < newest {
		opt.step("Migrating the restored schema from version %d to %d…", version, newest)
		st, err := Open(ctx, dsn)
		if err != nil {
			return Archive{}, fmt.Errorf("the backup is restored but migrating it failed (starting inkludera tries again): %w", err)
		}
		if err := st.Close(); err != nil {
			return Archive{}, strategy.Internal(err, "closing the migrated database")
		}
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return Archive{}, strategy.Internal(err, "reading the restored database")
	}
	defer tx.Rollback()
	schemaVersion, tables, err := inspectPostgres(ctx, tx, schema)
	if err != nil {
		return Archive{}, err
	}
	size, err := fileSize(path)
	if err != nil {
		return Archive{}, strategy.Internal(err, "reading the size of "+path)
	}
	return Archive{Engine: "postgres", Path: path, Bytes: size, BackupVersion: version, SchemaVersion: schemaVersion,
		Schema: schema, Tables: tables}, nil
}

// pgRestoreTarget finds the schema a restore replaces, the one the store
// would use (the first of the search_path that exists, else the first
// named, else public), and its content version (0 when it has none). A
// dump of another schema is given the target's name; that schema must not
// exist, as the dump creates it first.
func pgRestoreTarget(ctx context.Context, db *sql.DB, dsn string, target pgTarget, dumped string) (schema string, content int64, err error) {
	var current sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
		return "", 0, pgConnectError(err, dsn)
	}
	switch {
	case current.Valid:
		schema = current.String
	case target.searchPath != "":
		schema = target.searchPath
	default:
		schema = "public"
	}
	if dumped != schema {
		var exists bool
		if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, dumped).Scan(&exists); err != nil {
			return "", 0, strategy.Internal(err, "looking for schema "+dumped)
		}
		if exists {
			return "", 0, strategy.Errorf(strategy.CodeConflict,
				"the backup holds schema %s, which exists in this database too; the restore goes into schema %s and would have to replace %s as well: restore into a database without it",
				dumped, schema, dumped)
		}
	}
	var regclass sql.NullString
	table := backupIdent(schema) + ".content_version"
	if err := db.QueryRowContext(ctx, `SELECT CAST(to_regclass($1) AS TEXT)`, table).Scan(&regclass); err != nil {
		return "", 0, strategy.Internal(err, "looking for the content version")
	}
	if regclass.Valid {
		if err := db.QueryRowContext(ctx, `SELECT version FROM `+table+` WHERE id = 1`).Scan(&content); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", 0, strategy.Internal(err, "reading the content version")
		}
	}
	return schema, content, nil
}

// pgRestorePipe feeds psql begin, the dump as SQL from pg_restore, and
// end, which commits. psql stops at the first error; and it meets the end
// of its input before COMMIT, so that the server rolls back, when
// pg_restore fails, when it is stopped, or when this process dies.
func pgRestorePipe(ctx context.Context, pgRestore, psql, path string, target pgTarget, begin, end string) error {
	var restoreErr, loadErr bytes.Buffer
	restore := exec.CommandContext(ctx, pgRestore, "--no-owner", "--no-privileges", "--file=-", path)
	restore.Stderr = &restoreErr
	dump, err := restore.StdoutPipe()
	if err != nil {
		return strategy.Internal(err, "connecting pg_restore to psql")
	}
	load := exec.CommandContext(ctx, psql, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1",
		"--dbname="+target.uri, "--file=-")
	load.Env = append(os.Environ(), target.env...)
	load.Stdout, load.Stderr = io.Discard, &loadErr
	in, err := load.StdinPipe()
	if err != nil {
		return strategy.Internal(err, "connecting pg_restore to psql")
	}
	if err := load.Start(); err != nil {
		return strategy.Internal(err, "starting psql")
	}
	if err := restore.Start(); err != nil {
		in.Close() // before COMMIT: nothing happens
		load.Wait()
		return strategy.Internal(err, "starting pg_restore")
	}
	_, fed := io.WriteString(in, begin)
	if fed == nil {
		_, fed = io.Copy(in, dump)
	}
	if fed != nil {
		// psql stopped reading: it failed. pg_restore may be waiting to write.
		restore.Process.Kill()
	}
	restored := restore.Wait()
	if fed == nil && restored == nil {
		_, fed = io.WriteString(in, end)
	}
	in.Close()
	loaded := load.Wait()
	switch {
	case loaded != nil || fed != nil:
		return toolError("the restore was rolled back, the database is as it was; psql says", errors.Join(loaded, fed), loadErr.String())
	case restored != nil:
		return toolError("the restore was rolled back, the database is as it was; pg_restore says", restored, restoreErr.String())
	}
	return nil
}
