package web

import (
	"net/http"
	"strconv"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The JSON API of the follow-up cycle: an organisation's periods, and the
// steps of each body's deadline, as on the pages (periods.go). Validation
// problems are a 422 by the period's paths ("deadlines[0].due").

// apiPeriods handles GET /api/v1/organisations/{code}/periods.
func (s *server) apiPeriods(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if userOf(r) == nil {
		return errSignInRequired
	}
	if err := s.authorize(r, auth.ActionRead, followUpObject(code)); err != nil {
		return err
	}
	if _, err := s.st.Organisation(r.Context(), code); err != nil {
		return notFoundAs(err, "no organisation has the code %q", code)
	}
	periods, err := s.st.FollowUpPeriods(r.Context(), code)
	if err != nil {
		return err
	}
	if periods == nil {
		periods = []strategy.FollowUpPeriod{}
	}
	s.writeJSON(w, r, http.StatusOK, periods)
	return nil
}

// apiCreatePeriod handles POST /api/v1/organisations/{code}/periods.
func (s *server) apiCreatePeriod(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if userOf(r) == nil {
		return errSignInRequired
	}
	if err := s.authorize(r, auth.ActionWrite, followUpObject(code)); err != nil {
		return err
	}
	if _, err := s.st.Organisation(r.Context(), code); err != nil {
		return notFoundAs(err, "no organisation has the code %q", code)
	}
	var p strategy.FollowUpPeriod
	if err := decodeJSONBody(w, r, &p); err != nil {
		return err
	}
	if p.Org != "" && p.Org != code {
		return strategy.Errorf(strategy.CodeInvalid, "the body's org %q differs from the path's %q", p.Org, code)
	}
	p.Org = code
	stored, err := s.createPeriod(r, p)
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	w.Header().Set("Location", "/api/v1/periods/"+strconv.FormatInt(stored.ID, 10))
	s.writeJSON(w, r, http.StatusCreated, stored)
	return nil
}

// apiUpdatePeriod handles PUT /api/v1/periods/{id}: title, document and
// deadlines, with the "rev" the period was read at.
func (s *server) apiUpdatePeriod(w http.ResponseWriter, r *http.Request) error {
	stored, err := s.readPeriod(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	var p strategy.FollowUpPeriod
	if err := decodeJSONBody(w, r, &p); err != nil {
		return err
	}
	if p.Rev <= 0 {
		return strategy.Errorf(strategy.CodeInvalid, "\"rev\" is required: the period's rev as last read")
	}
	if (p.Org != "" && p.Org != stored.Org) || (p.Year != 0 && p.Year != stored.Year) {
		return strategy.Errorf(strategy.CodeInvalid, "a period's org and year cannot change; they are %s and %d", stored.Org, stored.Year)
	}
	out, err := s.updatePeriod(r, stored, p)
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// apiDeadlineStep handles POST /api/v1/periods/{id}/bodies/{body}/{step}:
// report, approve, or reopen with {"due"}.
func (s *server) apiDeadlineStep(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPeriod(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	name := r.PathValue("step")
	step, ok := deadlineSteps[name]
	if !ok || (name != "report" && name != "approve" && name != "reopen") {
		return strategy.Errorf(strategy.CodeNotFound, "no step %q: the steps are report, approve and reopen", name)
	}
	var body struct {
		Due strategy.Date `json:"due"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSONBody(w, r, &body); err != nil {
			return err
		}
	}
	if step == strategy.DeadlineReopen && body.Due.IsZero() {
		return s.apiInvalid(w, r, inputProblems{{Field: "due", English: "is required to reopen: the new due date",
			Swedish: "Ange ny sista dag för uppföljningen."}})
	}
	out, err := s.takeStep(r, p, r.PathValue("body"), step, body.Due)
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
