package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// Sessions are single statements on the writer (or reads on the pool):
// they need no transaction of their own, and are not audited.

// FindSession implements strategy.SessionStore; an expired session is not
// found, whether or not DeleteExpiredSessions has removed it yet.
func (s *Store) FindSession(ctx context.Context, id string) ([]byte, bool, error) {
	var data []byte
	err := s.r.QueryRowContext(ctx, `SELECT data FROM sessions WHERE id = $1 AND expiry > $2`,
		id, s.d.timeArg(time.Now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, strategy.Internal(err, "reading a session")
	}
	return data, true, nil
}

// CommitSession implements strategy.SessionStore.
func (s *Store) CommitSession(ctx context.Context, id string, data []byte, expiry time.Time) error {
	if data == nil {
		data = []byte{}
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (id, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		id, data, s.d.timeArg(expiry))
	if err != nil {
		return strategy.Internal(err, "storing a session")
	}
	return nil
}

// DeleteSession implements strategy.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
		return strategy.Internal(err, "deleting a session")
	}
	return nil
}

// DeleteExpiredSessions implements strategy.SessionStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, s.d.timeArg(time.Now())); err != nil {
		return strategy.Internal(err, "deleting expired sessions")
	}
	return nil
}

func tokenRef(id int64) strategy.ObjectRef {
	return strategy.ObjectRef{Kind: strategy.ObjAPIToken, Key: fmt.Sprint(id)}
}

// lastUsedStep is how stale a token's LastUsed may get: noting every use
// would put a write on the single writer for every API request.
const lastUsedStep = time.Minute

// CreateAPIToken implements strategy.TokenStore. t.ID, LastUsed and
// Revoked are ignored; a zero CreatedAt becomes now.
func (s *Store) CreateAPIToken(ctx context.Context, t strategy.APIToken, hash string) (strategy.APIToken, error) {
	var v strategy.ValidationErrors
	if strings.TrimSpace(t.Name) == "" {
		v = append(v, fieldError("name", "Ange vad nyckeln ska användas till, till exempel ”rapportverktyg”.",
			"is required: what the token is for"))
	}
	if hash == "" {
		v = append(v, fieldError("hash", "Nyckeln saknas.", "is required"))
	}
	if len(v) > 0 {
		return strategy.APIToken{}, invalid("the API token", v)
	}
	t.ID, t.LastUsed, t.Revoked = 0, time.Time{}, false
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	t.CreatedAt = normTime(t.CreatedAt)
	err := s.inImport(ctx, func(im *importer) error {
		var n int
		if err := im.tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = $1`, t.UserID).Scan(&n); err != nil {
			return strategy.Internal(err, "looking up a user")
		}
		if n == 0 {
			return strategy.Errorf(strategy.CodeNotFound, "no user %d", t.UserID)
		}
		if err := im.tx.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE hash = $1`, hash).Scan(&n); err != nil {
			return strategy.Internal(err, "looking up a token")
		}
		if n > 0 {
			return strategy.Errorf(strategy.CodeConflict, "another API token has the same hash")
		}
		id, err := im.insertID(`INSERT INTO api_tokens (user_id, name, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			t.UserID, t.Name, hash, im.d.timeArg(t.CreatedAt))
		if err != nil {
			return strategy.Internal(err, "storing an API token")
		}
		t.ID = id
		return im.audit(strategy.AuditCreate, tokenRef(id), "", nil, t)
	})
	if err != nil {
		return strategy.APIToken{}, err
	}
	return t, nil
}

const tokenColumns = `id, user_id, name, created_at, last_used, revoked`

func scanToken(row interface{ Scan(...any) error }) (strategy.APIToken, error) {
	var t strategy.APIToken
	var created, used sql.NullTime
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &created, &used, &t.Revoked)
	t.CreatedAt, t.LastUsed = timeOf(created), timeOf(used)
	return t, err
}

// APITokenUser implements strategy.TokenStore. Noting the use is not
// audited: it changes nothing anyone edits.
func (s *Store) APITokenUser(ctx context.Context, hash string) (strategy.User, strategy.APIToken, error) {
	fail := func(msg string) (strategy.User, strategy.APIToken, error) {
		return strategy.User{}, strategy.APIToken{}, strategy.Errorf(strategy.CodeUnauthorized, "%s", msg)
	}
	if hash == "" {
		return fail("no API token was given")
	}
	t, err := scanToken(s.r.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return fail("the API token is not known")
	}
	if err != nil {
		return strategy.User{}, strategy.APIToken{}, strategy.Internal(err, "reading an API token")
	}
	if t.Revoked {
		return fail("the API token has been revoked")
	}
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, t.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return fail("the API token's user no longer exists")
	}
	if err != nil {
		return strategy.User{}, strategy.APIToken{}, strategy.Internal(err, "reading a user")
	}
	if u.Disabled {
		return fail("the API token's user is disabled")
	}
	now := normTime(time.Now())
	if t.LastUsed.IsZero() || now.Sub(t.LastUsed) >= lastUsedStep {
		// The condition repeats the check so that requests racing here
		// write once.
		_, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET last_used = $2
			WHERE id = $1 AND (last_used IS NULL OR last_used <= $3)`,
			t.ID, s.d.timeArg(now), s.d.timeArg(now.Add(-lastUsedStep)))
		if err != nil {
			return strategy.User{}, strategy.APIToken{}, strategy.Internal(err, "noting the use of an API token")
		}
		t.LastUsed = now
	}
	return u, t, nil
}

// APITokens implements strategy.TokenStore, in order of creation.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]strategy.APIToken, error) {
	var out []strategy.APIToken
	err := queryEach(ctx, s.r, `SELECT `+tokenColumns+` FROM api_tokens WHERE ($1 = 0 OR user_id = $1) ORDER BY id`,
		[]any{userID}, func(rows *sql.Rows) error {
			t, err := scanToken(rows)
			out = append(out, t)
			return err
		})
	if err != nil {
		return nil, strategy.Internal(err, "listing API tokens")
	}
	return out, nil
}

// RevokeAPIToken implements strategy.TokenStore. Revoking a revoked token
// changes nothing and records nothing.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	return s.inImport(ctx, func(im *importer) error {
		t, err := scanToken(im.tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return strategy.Errorf(strategy.CodeNotFound, "no API token %d", id)
		}
		if err != nil {
			return strategy.Internal(err, "reading an API token")
		}
		if t.Revoked {
			return nil
		}
		if _, err := im.exec(`UPDATE api_tokens SET revoked = TRUE WHERE id = $1`, id); err != nil {
			return strategy.Internal(err, "revoking an API token")
		}
		after := t
		after.Revoked = true
		return im.audit(strategy.AuditRevoke, tokenRef(id), "", t, after)
	})
}
