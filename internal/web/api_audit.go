package web

import (
	"net/http"
	"strconv"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Bounds of the audit API's limit parameter.
const (
	auditDefaultLimit = 100
	auditMaxLimit     = 1000
)

// apiAudit handles GET /api/v1/audit: recorded changes, newest first, as
// strategy.AuditEntry JSON. With object=kind:document/key, the changes of
// that object (everything in it, for a document); with org=CODE, of that
// organisation; before=ID pages backwards, limit caps the count. Readers:
// administrators, and a samordnare for their own organisation's objects
// (users, indicators and tokens, and the log as a whole, are the
// administrators').
func (s *server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := auditDefaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > auditMaxLimit {
			return strategy.Errorf(strategy.CodeInvalid, "limit must be a number from 1 to %d, got %q", auditMaxLimit, v)
		}
		limit = n
	}
	before, err := optionalID(q.Get("before"))
	if err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "before must be the id of an audit entry, got %q", q.Get("before"))
	}
	org := q.Get("org")
	var entries []strategy.AuditEntry
	if v := q.Get("object"); v != "" {
		ref, err := strategy.ParseObjectRef(v)
		if err != nil {
			return err // CodeInvalid: 400 with the expected form
		}
		if _, err := s.auditSubject(r, ref, "no audit entries for %s"); err != nil {
			return err
		}
		if entries, err = s.auditEntries(r.Context(), ref, org, before, limit); err != nil {
			return err
		}
	} else {
		if err := s.authorize(r, auth.ActionRead, auth.Object{Kind: auth.KindAudit, Org: org}); err != nil {
			return err
		}
		if entries, err = s.st.Audit(r.Context(), strategy.AuditFilter{Org: org, BeforeID: before, Limit: limit}); err != nil {
			return err
		}
	}
	if entries == nil {
		entries = []strategy.AuditEntry{}
	}
	s.writeJSON(w, r, http.StatusOK, entries)
	return nil
}
