package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

const userColumns = `id, email, name, role, org_code, body_key, disabled, created_at, issuer, subject`

// CreateUser implements strategy.UserStore. The checks for a taken e-mail
// or identity run in the write transaction, and writes are serialised on
// one connection, so two calls cannot both pass them; the unique indexes
// stand behind that all the same.
func (s *Store) CreateUser(ctx context.Context, u strategy.User, passwordHash string) (strategy.User, error) {
	u.ID = 0
	if err := u.Validate(); err != nil {
		return strategy.User{}, invalidUser(err)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now()
	}
	u.CreatedAt = normTime(u.CreatedAt)
	err := s.inImport(ctx, func(im *importer) error {
		if err := im.userReferences(u); err != nil {
			return err
		}
		if err := im.userTaken(u); err != nil {
			return err
		}
		id, err := im.insertID(`INSERT INTO users (email, name, role, org_code, body_key, disabled, created_at,
			issuer, subject, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			u.Email, u.Name, u.Role, u.Org, u.Body, u.Disabled, im.d.timeArg(u.CreatedAt), u.Issuer, u.Subject, passwordHash)
		if err != nil {
			return strategy.Internal(err, "storing user "+u.Email)
		}
		u.ID = id
		return im.audit(strategy.AuditCreate, userRef(id), "", nil, u)
	})
	if err != nil {
		return strategy.User{}, err
	}
	return u, nil
}

// userRef names a user in the audit trail.
func userRef(id int64) strategy.ObjectRef {
	return strategy.ObjectRef{Kind: strategy.ObjUser, Key: fmt.Sprint(id)}
}

// invalidUser is the error of a user that does not validate.
func invalidUser(err error) error {
	return &strategy.Error{Code: strategy.CodeInvalid, Message: "the user is not valid", Err: err}
}

// userReferences checks that the user's organisation and body are stored.
func (im *importer) userReferences(u strategy.User) error {
	if u.Org == "" {
		return nil
	}
	var n int
	if err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM organisations WHERE code = $1`, u.Org).Scan(&n); err != nil {
		return strategy.Internal(err, "looking up organisation "+u.Org)
	}
	if n == 0 {
		return invalidUser(strategy.ValidationErrors{fieldError("org", fmt.Sprintf("Organisationen %s finns inte i Inkludera.", u.Org),
			"no organisation %q is stored", u.Org)})
	}
	if u.Body == "" {
		return nil
	}
	err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM bodies WHERE org_code = $1 AND key = $2`, u.Org, u.Body).Scan(&n)
	if err != nil {
		return strategy.Internal(err, "looking up body "+u.Body)
	}
	if n == 0 {
		return invalidUser(strategy.ValidationErrors{fieldError("body", fmt.Sprintf("Organisationen har inget organ ”%s”.", u.Body),
			"organisation %s has no body %q", u.Org, u.Body)})
	}
	return nil
}

// userTaken refuses an e-mail or an OpenID Connect identity that another
// user (than u.ID, when set) has.
func (im *importer) userTaken(u strategy.User) error {
	var n int
	if err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM users WHERE lower(email) = lower($1) AND id <> $2`,
		u.Email, u.ID).Scan(&n); err != nil {
		return strategy.Internal(err, "looking up e-mail "+u.Email)
	}
	if n > 0 {
		return strategy.Errorf(strategy.CodeConflict, "a user with e-mail %s already exists", u.Email)
	}
	if u.Issuer == "" {
		return nil
	}
	err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM users WHERE issuer = $1 AND subject = $2 AND id <> $3`,
		u.Issuer, u.Subject, u.ID).Scan(&n)
	if err != nil {
		return strategy.Internal(err, "looking up an identity")
	}
	if n > 0 {
		return strategy.Errorf(strategy.CodeConflict, "a user with subject %s of %s already exists", u.Subject, u.Issuer)
	}
	return nil
}

// UserByEmail implements strategy.UserStore.
func (s *Store) UserByEmail(ctx context.Context, email string) (strategy.User, error) {
	return s.oneUser(ctx, `SELECT `+userColumns+` FROM users WHERE lower(email) = lower($1)`, email,
		"no user with e-mail "+email)
}

// UserByID implements strategy.UserStore.
func (s *Store) UserByID(ctx context.Context, id int64) (strategy.User, error) {
	return s.oneUser(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id, fmt.Sprintf("no user %d", id))
}

func (s *Store) oneUser(ctx context.Context, query string, arg any, missing string) (strategy.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "%s", missing)
	}
	if err != nil {
		return strategy.User{}, strategy.Internal(err, "reading a user")
	}
	return u, nil
}

// ListUsers implements strategy.UserStore.
func (s *Store) ListUsers(ctx context.Context) ([]strategy.User, error) {
	var users []strategy.User
	err := queryEach(ctx, s.r, `SELECT `+userColumns+` FROM users ORDER BY lower(email), id`, nil,
		func(rows *sql.Rows) error {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u)
			return nil
		})
	if err != nil {
		return nil, strategy.Internal(err, "listing users")
	}
	return users, nil
}

// PasswordHash implements strategy.UserStore.
func (s *Store) PasswordHash(ctx context.Context, id int64) (string, error) {
	var hash string
	err := s.r.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", strategy.Errorf(strategy.CodeNotFound, "no user %d", id)
	}
	if err != nil {
		return "", strategy.Internal(err, "reading a password hash")
	}
	return hash, nil
}

// SetPasswordHash implements strategy.UserStore. The audit trail records
// that a password was set or removed, never the hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return s.inImport(ctx, func(im *importer) error {
		var old string
		err := im.tx.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, id).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return strategy.Errorf(strategy.CodeNotFound, "no user %d", id)
		}
		if err != nil {
			return strategy.Internal(err, "reading a password hash")
		}
		if _, err := im.exec(`UPDATE users SET password_hash = $2 WHERE id = $1`, id, hash); err != nil {
			return strategy.Internal(err, "storing a password hash")
		}
		return im.audit(strategy.AuditUpdate, userRef(id), "", passwordState(old), passwordState(hash))
	})
}

// passwordState is what the audit trail shows of a password hash.
func passwordState(hash string) map[string]string {
	if hash == "" {
		return map[string]string{"password": "removed"}
	}
	return map[string]string{"password": "set"}
}

// UserByIdentity implements strategy.UserStore.
func (s *Store) UserByIdentity(ctx context.Context, issuer, subject string) (strategy.User, error) {
	missing := fmt.Sprintf("no user with subject %s of %s", subject, issuer)
	if issuer == "" || subject == "" {
		// Local accounts have '' for both; they are not identities.
		return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "%s", missing)
	}
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE issuer = $1 AND subject = $2`,
		issuer, subject))
	if errors.Is(err, sql.ErrNoRows) {
		return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "%s", missing)
	}
	if err != nil {
		return strategy.User{}, strategy.Internal(err, "reading a user")
	}
	return u, nil
}

// UpdateUser implements strategy.UserStore.
func (s *Store) UpdateUser(ctx context.Context, u strategy.User) (strategy.User, error) {
	var out strategy.User
	err := s.inImport(ctx, func(im *importer) error {
		stored, err := scanUser(im.tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, u.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return strategy.Errorf(strategy.CodeNotFound, "no user %d", u.ID)
		}
		if err != nil {
			return strategy.Internal(err, "reading a user")
		}
		next := stored
		next.Email, next.Name, next.Role, next.Org, next.Body, next.Disabled = u.Email, u.Name, u.Role, u.Org, u.Body, u.Disabled
		out = stored
		if next == stored {
			return nil
		}
		if err := next.Validate(); err != nil {
			return invalidUser(err)
		}
		if err := im.userReferences(next); err != nil {
			return err
		}
		if err := im.userTaken(next); err != nil {
			return err
		}
		_, err = im.exec(`UPDATE users SET email = $2, name = $3, role = $4, org_code = $5, body_key = $6, disabled = $7
			WHERE id = $1`, next.ID, next.Email, next.Name, next.Role, next.Org, next.Body, next.Disabled)
		if err != nil {
			return strategy.Internal(err, "storing user "+next.Email)
		}
		out = next
		return im.audit(strategy.AuditUpdate, userRef(next.ID), "", stored, next)
	})
	if err != nil {
		return strategy.User{}, err
	}
	return out, nil
}

// scanUser reads the userColumns of one row.
func scanUser(row interface{ Scan(...any) error }) (strategy.User, error) {
	var u strategy.User
	var created sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Org, &u.Body, &u.Disabled, &created, &u.Issuer, &u.Subject)
	u.CreatedAt = timeOf(created)
	return u, err
}
