package strategy

import "time"

// FollowUpPeriod is an organisation's reporting period: the year whose
// action plans are followed up and, per body, the day its report is due.
// Invariants (Validate): Org is stored, Year is 2000–2100, Title is set,
// every deadline names a distinct body of Org and has a due date.
type FollowUpPeriod struct {
	ID        int64          `json:"id"`
	Org       string         `json:"org"`
	Year      int            `json:"year"`
	Title     string         `json:"title"`              // "Uppföljning 2026"
	Document  string         `json:"document,omitempty"` // the strategy followed up, when one
	Deadlines []BodyDeadline `json:"deadlines"`
	CreatedAt time.Time      `json:"created_at"`
	Rev       int64          `json:"rev,omitempty"`
}

// BodyDeadline is one body's part of a period: when its report is due and
// how far it has come. Reported and Approved are zero until they happen;
// a reopen clears Approved and sets a new Due.
type BodyDeadline struct {
	Body       string    `json:"body"`
	Due        Date      `json:"due"`
	Reported   time.Time `json:"reported,omitzero"`
	ReportedBy string    `json:"reported_by,omitempty"`
	Approved   time.Time `json:"approved,omitzero"`
	ApprovedBy string    `json:"approved_by,omitempty"`
}

// Locked reports whether the body's follow-up can no longer be changed on
// the given day: it has been approved, or its due date has passed. An
// admin reopens it (Store.ChangeDeadline with DeadlineReopen).
func (d BodyDeadline) Locked(today Date) bool {
	return !d.Approved.IsZero() || d.Due.Before(today)
}

// Late reports whether the body's report is overdue on the given day.
func (d BodyDeadline) Late(today Date) bool {
	return d.Reported.IsZero() && d.Due.Before(today)
}

// DeadlineAction is a step in a body's follow-up.
type DeadlineAction string

const (
	DeadlineReport  DeadlineAction = "report"  // the body says its follow-up is done
	DeadlineApprove DeadlineAction = "approve" // the coordinator approves it: locked
	DeadlineReopen  DeadlineAction = "reopen"  // an admin unlocks it until a new due date
)

// Reminder is an e-mail sent about a body's deadline, recorded so that the
// same person is not reminded twice on one day.
type Reminder struct {
	PeriodID int64     `json:"period_id"`
	Body     string    `json:"body"`
	Email    string    `json:"email"`
	SentAt   time.Time `json:"sent_at"`
}
