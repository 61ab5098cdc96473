package strategy

import "context"

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

	UserStore

	Close() error
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
