package strategy

import (
	"encoding/json"
	"time"
)

// AuditAction is what a change did.
type AuditAction string

const (
	AuditCreate  AuditAction = "create"
	AuditUpdate  AuditAction = "update"
	AuditDelete  AuditAction = "delete"
	AuditPublish AuditAction = "publish" // a document adopted, a plan decided, a follow-up approved
	AuditImport  AuditAction = "import"  // a document written by importing a file
	AuditReport  AuditAction = "report"  // a body reported its follow-up for a period
	AuditReopen  AuditAction = "reopen"  // an admin reopened a locked period
	AuditRevoke  AuditAction = "revoke"  // an API token revoked
)

// AuditEntry is one recorded change: who, when, what (the object before
// and after, as JSON; null when it did not or no longer exists) and from
// where. Entries are written in the transaction of the change they record
// and are never changed or deleted: the store refuses it.
type AuditEntry struct {
	ID     int64           `json:"id"`
	At     time.Time       `json:"at"`
	Actor  Actor           `json:"actor"`
	Action AuditAction     `json:"action"`
	Object ObjectRef       `json:"object"`
	Org    string          `json:"org,omitempty"` // organisation the object belongs to; "" for users and indicators
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// AuditFilter selects audit entries. Empty fields match everything. Kind,
// Document and Key match the object's exactly, except that a Key ending in
// "/" matches every key it prefixes (an activity's notes: "plan/act/").
type AuditFilter struct {
	Kind     ObjectKind
	Document string
	Key      string
	Org      string
	UserID   int64
	// BeforeID pages backwards: only entries with a smaller ID.
	BeforeID int64
	// Limit caps the number of entries; 0 means 100.
	Limit int
}
