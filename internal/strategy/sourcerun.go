package strategy

import "time"

// RunOutcome is how a fetch or file import ended.
type RunOutcome string

const (
	RunOK     RunOutcome = "ok"     // everything fetched and stored
	RunFailed RunOutcome = "failed" // nothing stored: the data is as before the run
)

// SourceRun is one fetch from an external source (Kolada, SCB) or one
// uploaded observation file: what was asked, how it went and what it
// changed. A run is stored in the same transaction as its data, so a run
// recorded as ok is exactly what the data shows; a failed run changed
// nothing.
type SourceRun struct {
	ID         int64       `json:"id"`
	Source     string      `json:"source"` // "kolada", "scb", "file"
	Scope      string      `json:"scope"`  // what was asked, in words: "N02926, N01951 för 2380 sedan 2026-01-01"
	StartedAt  time.Time   `json:"started_at"`
	FinishedAt time.Time   `json:"finished_at"`
	Outcome    RunOutcome  `json:"outcome"`
	Error      string      `json:"error,omitempty"`
	Requests   int         `json:"requests"`
	Changes    ChangeCount `json:"changes"`
	Warnings   []string    `json:"warnings,omitempty"`
}
