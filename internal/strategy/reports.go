package strategy

import (
	"context"
	"time"
)

// ReportApproval is an approved follow-up report frozen as it was approved:
// the report's content as JSON and every rendering of it, each with its
// SHA-256. Nothing that happens to the data afterwards changes it. A new
// approval of the same report (organisation, document, year, since) is a
// new Version that supersedes the earlier ones without deleting them.
type ReportApproval struct {
	ID       int64  `json:"id"`
	Org      string `json:"org"`
	Document string `json:"document"` // key
	// DocumentTitle is the document's title when approved, kept so that
	// the list still reads right after the document is renamed or removed.
	DocumentTitle string `json:"document_title"`
	Year          int    `json:"year"`
	Since         int    `json:"since,omitempty"` // first year of a deep follow-up; 0 for a yearly one
	Version       int    `json:"version"`
	// Decision is the decision reference that approved the report
	// ("KS 2022-04-05 § 45"); DecidedOn its date when given.
	Decision  string `json:"decision"`
	DecidedOn Date   `json:"decided_on,omitzero"`
	// ApprovedBy is the actor who recorded the approval.
	ApprovedBy   string    `json:"approved_by"`
	ApprovedByID int64     `json:"approved_by_id,omitempty"`
	ApprovedAt   time.Time `json:"approved_at"`
	// SupersededBy is the ID of the newest later version, 0 while this is
	// the current one.
	SupersededBy int64 `json:"superseded_by,omitempty"`
	// Files are the frozen files, in the order stored; their Content is
	// only filled by ReportFile.
	Files []ReportFile `json:"files"`
}

// ReportFile is one frozen file of an approved report: the JSON of the
// report's content or one of its renderings.
type ReportFile struct {
	// Format is "json", "html", "pdf", "docx" or "xlsx".
	Format    string `json:"format"`
	Name      string `json:"name"`       // file name to download as
	MediaType string `json:"media_type"` // Content-Type
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"` // hex
	Content   []byte `json:"-"`
}

// ReportStore keeps approved reports. Errors: an unknown organisation,
// document, approval or file is CodeNotFound; an approval without a
// decision, without files, with a file whose SHA256 does not match its
// Content or with two files of one format is CodeInvalid.
type ReportStore interface {
	// ApproveReport stores a as the next version of its report (a.ID,
	// Version, ApprovedAt and SupersededBy are set by the store; the
	// approver comes from the actor of ctx), supersedes the earlier
	// versions, and records an AuditPublish entry, all in one transaction.
	// It returns the stored approval without file contents.
	ApproveReport(ctx context.Context, a ReportApproval) (ReportApproval, error)
	// ReportApprovals lists an organisation's approvals, newest year
	// first, then by document, then newest version first, without file
	// contents.
	ReportApprovals(ctx context.Context, org string) ([]ReportApproval, error)
	ReportApproval(ctx context.Context, id int64) (ReportApproval, error)
	// ReportFile returns one frozen file of an approval with its Content.
	ReportFile(ctx context.Context, id int64, format string) (ReportFile, error)
}
