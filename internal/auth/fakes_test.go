package auth

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// memUsers is an in-memory OIDCUsers and FirstRunUsers that keeps the
// UserStore contract's rules that matter here: users validate, e-mails are
// unique regardless of case, issuer and subject are unique, UpdateUser
// keeps issuer, subject and creation time and writes nothing unchanged.
type memUsers struct {
	mu      sync.Mutex
	users   []strategy.User
	hashes  map[int64]string
	updates int // UpdateUser calls
	listErr error
}

func (m *memUsers) CreateUser(_ context.Context, u strategy.User, hash string) (strategy.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := u.Validate(); err != nil {
		return strategy.User{}, &strategy.Error{Code: strategy.CodeInvalid, Message: "invalid user", Err: err}
	}
	if err := m.taken(u, 0); err != nil {
		return strategy.User{}, err
	}
	u.ID = int64(len(m.users) + 1)
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	m.users = append(m.users, u)
	if m.hashes == nil {
		m.hashes = map[int64]string{}
	}
	m.hashes[u.ID] = hash
	return u, nil
}

// taken is the conflict of u with a user other than id.
func (m *memUsers) taken(u strategy.User, id int64) error {
	for _, o := range m.users {
		if o.ID == id {
			continue
		}
		if strings.EqualFold(o.Email, u.Email) {
			return strategy.Errorf(strategy.CodeConflict, "e-mail %s taken", u.Email)
		}
		if u.Issuer != "" && o.Issuer == u.Issuer && o.Subject == u.Subject {
			return strategy.Errorf(strategy.CodeConflict, "identity taken")
		}
	}
	return nil
}

func (m *memUsers) UserByIdentity(_ context.Context, issuer, subject string) (strategy.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.users {
		if u.Issuer == issuer && u.Subject == subject {
			return u, nil
		}
	}
	return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "no such identity")
}

func (m *memUsers) UpdateUser(_ context.Context, u strategy.User) (strategy.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.updates++
	for i, o := range m.users {
		if o.ID != u.ID {
			continue
		}
		u.Issuer, u.Subject, u.CreatedAt = o.Issuer, o.Subject, o.CreatedAt
		if err := u.Validate(); err != nil {
			return strategy.User{}, &strategy.Error{Code: strategy.CodeInvalid, Message: "invalid user", Err: err}
		}
		if err := m.taken(u, u.ID); err != nil {
			return strategy.User{}, err
		}
		m.users[i] = u
		return u, nil
	}
	return strategy.User{}, strategy.Errorf(strategy.CodeNotFound, "no user %d", u.ID)
}

func (m *memUsers) ListUsers(context.Context) ([]strategy.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.listErr != nil {
		return nil, m.listErr
	}
	return append([]strategy.User(nil), m.users...), nil
}

func (m *memUsers) byID(id int64) strategy.User {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.users {
		if u.ID == id {
			return u
		}
	}
	return strategy.User{}
}

func (m *memUsers) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.users)
}

// memSessions is an in-memory strategy.SessionStore. Expired sessions are
// not found, as the contract says.
type memSessions struct {
	mu       sync.Mutex
	sessions map[string]memSession
	cleanups int
	fail     error // returned by every method when set
}

type memSession struct {
	data   []byte
	expiry time.Time
}

func newMemSessions() *memSessions { return &memSessions{sessions: map[string]memSession{}} }

func (m *memSessions) FindSession(_ context.Context, id string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, false, m.fail
	}
	s, ok := m.sessions[id]
	if !ok || !time.Now().Before(s.expiry) {
		return nil, false, nil
	}
	return s.data, true, nil
}

func (m *memSessions) CommitSession(_ context.Context, id string, data []byte, expiry time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.sessions[id] = memSession{data: append([]byte(nil), data...), expiry: expiry}
	return nil
}

func (m *memSessions) DeleteSession(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	delete(m.sessions, id)
	return nil
}

func (m *memSessions) DeleteExpiredSessions(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cleanups++
	if m.fail != nil {
		return m.fail
	}
	for id, s := range m.sessions {
		if !time.Now().Before(s.expiry) {
			delete(m.sessions, id)
		}
	}
	return nil
}

// snapshot copies the stored sessions.
func (m *memSessions) snapshot() map[string]memSession {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]memSession{}
	for k, v := range m.sessions {
		out[k] = v
	}
	return out
}

func (m *memSessions) set(id string, s memSession) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[id] = s
}

func (m *memSessions) setFail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

func (m *memSessions) cleanupCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cleanups
}

// The narrow interfaces are what a real store has, so the web layer can
// pass its strategy.Store.
var (
	_ OIDCUsers             = (*memUsers)(nil)
	_ FirstRunUsers         = (*memUsers)(nil)
	_ strategy.SessionStore = (*memSessions)(nil)
	_ OIDCUsers             = strategy.UserStore(nil)
	_ FirstRunUsers         = strategy.UserStore(nil)
)
