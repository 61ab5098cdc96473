package store

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/inkludera/inkludera/internal/strategy"
)

func openInternal(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func countRows(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.w.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAuditLogIsAppendOnly: the database itself refuses to change or
// delete audit entries, and deleting what they record leaves them.
func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t)
	b := strategy.Bundle{
		Organisation: &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun},
		Document:     &strategy.Document{Key: "plan", Kind: strategy.KindPlan, Title: "Plan", Status: strategy.StatusDraft},
	}
	if _, err := s.Import(ctx, []strategy.Bundle{b}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != 1 {
		t.Fatalf("%d audit rows after an import, want 1", n)
	}
	for _, stmt := range []string{
		`UPDATE audit_log SET actor_name = 'someone else'`,
		`UPDATE audit_log SET after = 'null' WHERE id = 1`,
		`DELETE FROM audit_log`,
		`DELETE FROM audit_log WHERE id = 1`,
	} {
		_, err := s.w.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "audit_log is append-only") {
			t.Errorf("%s: got %v, want the append-only refusal", stmt, err)
		}
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM documents WHERE key = 'plan'`); err != nil {
		t.Fatal(err)
	}
	list, err := s.Audit(ctx, strategy.AuditFilter{Document: "plan"})
	if err != nil || len(list) != 1 || list[0].Actor.Name != "system" {
		t.Errorf("audit of the deleted document: %+v %v", list, err)
	}
}

// TestExpiredSessionsAreDeleted looks below the interface, where an
// expired session that is merely not found would still show.
func TestExpiredSessionsAreDeleted(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t)
	for id, expiry := range map[string]time.Time{"live": time.Now().Add(time.Hour), "gone": time.Now().Add(-time.Second)} {
		if err := s.CommitSession(ctx, id, []byte(id), expiry); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteExpiredSessions(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM sessions WHERE id = 'gone'`); n != 0 {
		t.Error("the expired session is still stored")
	}
	if n := countRows(t, s, `SELECT count(*) FROM sessions WHERE id = 'live'`); n != 1 {
		t.Error("the live session was deleted")
	}
}

// TestTokenUseNotedAgainAfterAMinute turns the clock of a token's last use
// back, as the contract suite cannot wait a minute.
func TestTokenUseNotedAgainAfterAMinute(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t)
	u, err := s.CreateUser(ctx, strategy.User{Email: "a@kommun.se", Name: "A", Role: strategy.RoleAdmin}, "")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateAPIToken(ctx, strategy.APIToken{UserID: u.ID, Name: "test"}, "h")
	if err != nil {
		t.Fatal(err)
	}
	_, first, err := s.APITokenUser(ctx, "h")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		back    time.Duration
		noticed bool
	}{{30 * time.Second, false}, {61 * time.Second, true}} {
		earlier := first.LastUsed.Add(-c.back)
		if _, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET last_used = $2 WHERE id = $1`, tok.ID, s.d.timeArg(earlier)); err != nil {
			t.Fatal(err)
		}
		_, used, err := s.APITokenUser(ctx, "h")
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.APITokens(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if noticed := !list[0].LastUsed.Equal(earlier); noticed != c.noticed || !used.LastUsed.Equal(list[0].LastUsed) {
			t.Errorf("last use %v ago: stored %v (was %v), returned %v; want noticed %v",
				c.back, list[0].LastUsed, earlier, used.LastUsed, c.noticed)
		}
	}
}

// TestMigrationEditing: migration 5 keeps free-text follow-ups of
// activities stored before it (they no longer read as dates) in the
// description, and goes down and up again.
func TestMigrationEditing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := sql.Open("sqlite", path+"?"+sqlitePragmas)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fsys, err := fs.Sub(migrations, "migrations/sqlite")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO organisations (code, name, kind) VALUES ('2380', 'Östersund', 'kommun')`,
		`INSERT INTO bodies (id, org_code, key, name, kind, position) VALUES (1, '2380', 'ks', 'KS', 'styrelse', 0)`,
		`INSERT INTO documents (id, key, org_code, kind, title, status) VALUES (1, 'd', '2380', 'plan', 'D', 'utkast')`,
		`INSERT INTO action_plans (id, document_id, key, position, body_id, year, status) VALUES (1, 1, 'p', 0, 1, 2017, 'utkast')`,
		`INSERT INTO activities (action_plan_id, key, position, target_group, title, description, follow_up, status) VALUES
			(1, 'month', 0, 'alla', 'A', '', '2017-12', 'planerad'),
			(1, 'words', 1, 'alla', 'B', 'Beskrivning.', 'i bokslutet', 'planerad'),
			(1, 'day', 2, 'alla', 'C', 'Oförändrad.', '2018-01-31', 'planerad'),
			(1, 'none', 3, 'alla', 'D', '', '', 'planerad'),
			(1, 'no-such-day', 4, 'alla', 'E', '', '2017-02-30', 'planerad')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"month":       {"Uppföljning: 2017-12", ""},
		"words":       {"Beskrivning.\nUppföljning: i bokslutet", ""},
		"day":         {"Oförändrad.", "2018-01-31"},
		"none":        {"", ""},
		"no-such-day": {"Uppföljning: 2017-02-30", ""},
	}
	rows, err := db.QueryContext(ctx, `SELECT key, description, follow_up, rev FROM activities`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key, desc, followUp string
		var rev int
		if err := rows.Scan(&key, &desc, &followUp, &rev); err != nil {
			t.Fatal(err)
		}
		if got := [2]string{desc, followUp}; got != want[key] || rev != 1 {
			t.Errorf("activity %s: description %q, follow_up %q, rev %d; want %q", key, desc, followUp, rev, want[key])
		}
	}
	rows.Close()

	if _, err := p.DownTo(ctx, 4); err != nil {
		t.Fatalf("down: %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('audit_log', 'sessions', 'activity_notes')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after going down, %d of the new tables remain (%v)", n, err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
