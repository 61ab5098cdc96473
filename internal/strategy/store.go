package strategy

import (
	"context"
	"time"
)

// Store keeps strategies, indicators and observations. Implementations:
// internal/store (SQLite, PostgreSQL). Every method is safe for concurrent use.
//
// Errors: a missing organisation, document or indicator is an *Error with
// CodeNotFound; a bundle that is not valid on its own or against what is
// stored (a reference to an unknown indicator, bundles of one call that
// disagree about the same organisation, body or indicator) is CodeInvalid
// with the ValidationErrors reachable through errors.As; a document key
// owned by another organisation is CodeConflict; anything else is
// CodeInternal.
type Store interface {
	// Import stores the bundles in one transaction: after any error nothing
	// has changed. Organisations, bodies and indicators are upserted by key;
	// a document replaces the stored document of the same key in place,
	// children matched by key (those no longer in the file are deleted);
	// observations are upserted, never deleted. Importing what is already
	// stored changes nothing and reports everything as unchanged.
	Import(ctx context.Context, bundles []Bundle) (ImportSummary, error)

	// Export returns the organisation's content as bundles: one per document
	// (with the indicators the document refers to and the organisation's
	// observations of them), then, when any remain, one bundle with the
	// organisation's other indicators and observations. With documentKey set,
	// only that document's bundle. Import(Export(x)) reproduces x.
	Export(ctx context.Context, orgCode, documentKey string) ([]Bundle, error)

	// ApplySourceRun stores what one fetch or file brought, in one
	// transaction: the observations are upserted, the deleted keys removed
	// (a source's deletion, e.g. Kolada's isdeleted), and the run recorded
	// with its outcome RunOK and the counts. Observations must refer to
	// stored indicators. After any error nothing has changed and nothing is
	// recorded; record the failure with RecordRun.
	ApplySourceRun(ctx context.Context, run SourceRun, obs []Observation, deleted []ObservationKey) (SourceRun, error)
	// RecordRun records a run that changed no data, typically a failed one.
	RecordRun(ctx context.Context, run SourceRun) (SourceRun, error)
	// SourceRuns lists recorded runs, newest first; source "" means all.
	SourceRuns(ctx context.Context, source string, limit int) ([]SourceRun, error)

	ListOrganisations(ctx context.Context) ([]Organisation, error)
	Organisation(ctx context.Context, code string) (Organisation, error)
	Bodies(ctx context.Context, orgCode string) ([]Body, error)

	// Documents lists an organisation's documents without their trees
	// (Areas, Terms, ActionPlans and Responsibilities are nil), newest first.
	Documents(ctx context.Context, orgCode string) ([]Document, error)
	// Document returns a document with its whole tree.
	Document(ctx context.Context, key string) (Document, error)

	ListIndicators(ctx context.Context) ([]Indicator, error)
	Indicator(ctx context.Context, key string) (Indicator, error)

	// Observations returns the observations matching the filter ordered by
	// indicator, organisation, year and gender (T, K, M).
	Observations(ctx context.Context, f ObservationFilter) ([]Observation, error)

	// EditDocument makes one change to a stored document in one
	// transaction: it reads the document, checks e.Rev against the stored
	// Rev of e.Ref (CodeConflict when they differ, or when e.Rev is 0 and
	// the object exists; CodeNotFound when e.Rev > 0 and it does not),
	// calls e.Apply, validates the whole document (CodeInvalid with
	// ValidationErrors in the strategy file's paths, "document.areas[0].
	// title"), stores it as Import would (changed rows get Rev+1, new rows
	// Rev 1), and records an AuditEntry for e.Ref with the object before
	// and after and the actor of ctx. It returns the stored document.
	EditDocument(ctx context.Context, e Edit) (Document, error)
	// EditIndicator changes a stored indicator likewise: rev must equal
	// its Rev, apply may change everything but the key, the result must
	// validate; audited as ObjIndicator.
	EditIndicator(ctx context.Context, key string, rev int64, apply func(*Indicator) error) (Indicator, error)
	// AddNote appends a follow-up note to the activity named by an
	// ObjActivity ref and returns it with its ID and CreatedAt; audited as
	// ObjNote. The text must not be empty and Date must be set.
	AddNote(ctx context.Context, activity ObjectRef, n Note) (Note, error)
	// Audit lists recorded changes matching f, newest first.
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	// ContentVersion is a number that grows with every committed write
	// that changed something, but those of sessions and of an API token's
	// last use, whichever process made it: what was read from the store
	// is current while the number stays the same. A page cache polls it;
	// it is one row's read.
	ContentVersion(ctx context.Context) (int64, error)

	UserStore
	FollowUpStore
	SessionStore
	TokenStore
	ReportStore
	BarrierStore

	Close() error
}

// Every write of the stores below, and of UserStore, EditDocument,
// EditIndicator, AddNote and Import, records AuditEntries with the actor of
// its context (ActorFrom) in its own transaction. Sessions are not audited.

// FollowUpStore keeps reporting periods. Errors: an unknown period or body
// is CodeNotFound; a period that does not validate is CodeInvalid; a Rev
// that is not the stored one, a second period of the same organisation and
// year, or a step that does not fit (approving what is not reported,
// reporting what is locked) is CodeConflict.
type FollowUpStore interface {
	// CreateFollowUpPeriod stores a new period (p.ID, Rev and the
	// Reported/Approved fields are ignored).
	CreateFollowUpPeriod(ctx context.Context, p FollowUpPeriod) (FollowUpPeriod, error)
	// UpdateFollowUpPeriod changes the title, document and deadlines of
	// the period p.ID, whose stored Rev must be p.Rev. Bodies kept keep
	// their Reported and Approved; bodies added start afresh.
	UpdateFollowUpPeriod(ctx context.Context, p FollowUpPeriod) (FollowUpPeriod, error)
	// FollowUpPeriods lists an organisation's periods, newest year first.
	FollowUpPeriods(ctx context.Context, org string) ([]FollowUpPeriod, error)
	FollowUpPeriod(ctx context.Context, id int64) (FollowUpPeriod, error)
	// ChangeDeadline takes one step for one body: report (sets Reported
	// and ReportedBy from the actor), approve (needs Reported; sets
	// Approved), reopen (clears Approved and sets Due to newDue, which
	// must not be in the past). Audited with the action's AuditAction.
	ChangeDeadline(ctx context.Context, periodID int64, body string, action DeadlineAction, newDue Date) (FollowUpPeriod, error)
	// RecordReminder records a reminder sent; Reminders lists those of a
	// period, newest first.
	RecordReminder(ctx context.Context, r Reminder) error
	Reminders(ctx context.Context, periodID int64) ([]Reminder, error)
}

// SessionStore keeps server-side sessions for internal/auth (which hands
// over a hash of the session token, never the token itself). Expired
// sessions are not found.
type SessionStore interface {
	FindSession(ctx context.Context, id string) (data []byte, found bool, err error)
	CommitSession(ctx context.Context, id string, data []byte, expiry time.Time) error
	DeleteSession(ctx context.Context, id string) error
	DeleteExpiredSessions(ctx context.Context) error
}

// APIToken is a credential an API client sends as "Authorization: Bearer
// …" to act as its user. Only a hash of the secret is stored.
type APIToken struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"` // what the token is for, "rapportverktyg"
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	Revoked   bool      `json:"revoked,omitempty"`
}

// TokenStore keeps API tokens. A hash that is unknown, revoked or of a
// disabled user is CodeUnauthorized; an unknown token id CodeNotFound.
type TokenStore interface {
	CreateAPIToken(ctx context.Context, t APIToken, hash string) (APIToken, error)
	// APITokenUser finds the token with the hash and its user, and notes
	// the use (at most once a minute, to spare the writer).
	APITokenUser(ctx context.Context, hash string) (User, APIToken, error)
	// APITokens lists a user's tokens, or everyone's for userID 0.
	APITokens(ctx context.Context, userID int64) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, id int64) error
}

// UserStore keeps accounts. A user's password hash (an argon2id PHC string
// made by internal/auth, or "" for an account with no local password, such
// as one that signs in through OpenID Connect) is stored with the user but
// read and written only through PasswordHash and SetPasswordHash.
//
// Errors: a user that does not validate (User.Validate) is CodeInvalid with
// the ValidationErrors reachable through errors.As; so is an organisation
// or body that is not stored. An e-mail already taken, in any case, or an
// issuer and subject already taken is CodeConflict. An unknown id or e-mail
// is CodeNotFound. Anything else is CodeInternal.
type UserStore interface {
	// CreateUser stores a new user with the given password hash and returns
	// it with its ID and, when u.CreatedAt is zero, the time of creation.
	// u.ID is ignored.
	CreateUser(ctx context.Context, u User, passwordHash string) (User, error)
	// UserByEmail finds a user by e-mail, ignoring case.
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	// ListUsers lists every user, by e-mail.
	ListUsers(ctx context.Context) ([]User, error)
	// PasswordHash returns the user's stored hash, "" when the account has
	// no local password.
	PasswordHash(ctx context.Context, id int64) (string, error)
	// SetPasswordHash replaces the user's hash; "" removes the local
	// password, so that the account can no longer sign in with one.
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	// UserByIdentity finds an OpenID Connect account by issuer and subject.
	UserByIdentity(ctx context.Context, issuer, subject string) (User, error)
	// UpdateUser stores u's e-mail, name, role, org, body and disabled flag
	// for the user u.ID (issuer, subject and creation time stay) and
	// returns the stored user. Unchanged users are not written or audited.
	UpdateUser(ctx context.Context, u User) (User, error)
}

// ObservationFilter selects observations. Empty fields match everything.
type ObservationFilter struct {
	Org        string
	Indicators []string
	FromYear   int
	ToYear     int
}

// ImportSummary counts what an import did, per kind of thing.
type ImportSummary map[string]ChangeCount

// ChangeCount is how many things were added, changed, deleted or left as
// they were.
type ChangeCount struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Deleted   int `json:"deleted"`
	Unchanged int `json:"unchanged"`
}

// Modified reports whether anything was added, changed or deleted.
func (s ImportSummary) Modified() bool {
	for _, c := range s {
		if c.Added+c.Changed+c.Deleted > 0 {
			return true
		}
	}
	return false
}
