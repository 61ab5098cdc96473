package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The JSON API of action plans: the same edits as the forms (plan_edits.go)
// for clients with an API token. Objects are answered as stored, with
// their "rev"; a validation problem is a 422 naming the fields of the
// request's JSON.

// apiInvalid answers 422 with the problems by field, in English and in
// Swedish.
func (s *server) apiInvalid(w http.ResponseWriter, r *http.Request, ps inputProblems) error {
	body := apiValidationError{Code: string(strategy.CodeInvalid), Message: "the request is not valid; nothing was stored",
		Fields: map[string]string{}, FieldsSV: map[string]string{}}
	for _, p := range ps {
		field := p.Field
		if field == "" {
			field = "_"
		}
		if prev, ok := body.Fields[field]; ok {
			body.Fields[field] = prev + "; " + p.English
			body.FieldsSV[field] = body.FieldsSV[field] + " " + p.Swedish
			continue
		}
		body.Fields[field], body.FieldsSV[field] = p.English, p.Swedish
	}
	s.writeJSON(w, r, http.StatusUnprocessableEntity, body)
	return nil
}

// apiPlanFailed answers a refused plan edit: the store's validation
// problems as a 422 by field; anything else (409, 404, 403) goes to the
// adapter.
func (s *server) apiPlanFailed(w http.ResponseWriter, r *http.Request, err error) error {
	if ps, ok := storeProblems(err); ok {
		return s.apiInvalid(w, r, ps)
	}
	return err
}

// apiPlan finds the plan of the path for an API change: 401 without
// credentials, 404, then 403.
func (s *server) apiPlan(r *http.Request, action auth.Action, obj func(strategy.Document, strategy.ActionPlan) auth.Object) (planAt, error) {
	if userOf(r) == nil {
		return planAt{}, errSignInRequired
	}
	return s.editablePlan(r, r.PathValue("key"), r.PathValue("plan"), action, obj)
}

// apiPutPlan handles PUT /api/v1/documents/{key}/plans/{plan}: the plan's
// head (body, year, title); "rev" 0 creates the plan as an utkast.
func (s *server) apiPutPlan(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		return errSignInRequired
	}
	var h planHead
	if err := decodeJSONBody(w, r, &h); err != nil {
		return err
	}
	key := r.PathValue("plan")
	if h.Key != "" && h.Key != key {
		return strategy.Errorf(strategy.CodeInvalid, "the body's key %q differs from the path's %q; a plan's key cannot change", h.Key, key)
	}
	h.Key = key
	stored, err := s.putPlanHead(r, r.PathValue("key"), h)
	if err != nil {
		return s.apiPlanFailed(w, r, err)
	}
	status := http.StatusOK
	if h.Rev == 0 {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/documents/"+url.PathEscape(r.PathValue("key"))+"/plans/"+url.PathEscape(key))
	}
	s.writeJSON(w, r, status, stored)
	return nil
}

// apiDecidePlan handles POST /api/v1/documents/{key}/plans/{plan}/decision:
// {"reference", "on", "rev"} makes the utkast beslutad.
func (s *server) apiDecidePlan(w http.ResponseWriter, r *http.Request) error {
	p, err := s.apiPlan(r, auth.ActionPublish, planObject)
	if err != nil {
		return err
	}
	var dec planDecision
	if err := decodeJSONBody(w, r, &dec); err != nil {
		return err
	}
	stored, err := s.decidePlan(r, p, dec)
	if err != nil {
		return s.apiPlanFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, stored)
	return nil
}

// apiPutActivity handles PUT …/plans/{plan}/activities/{act}: the activity
// as JSON with the "rev" it was read at; 0 creates it.
func (s *server) apiPutActivity(w http.ResponseWriter, r *http.Request) error {
	p, err := s.apiPlan(r, auth.ActionWrite, planObject)
	if err != nil {
		return err
	}
	var a strategy.Activity
	if err := decodeJSONBody(w, r, &a); err != nil {
		return err
	}
	key := r.PathValue("act")
	if a.Key != "" && a.Key != key {
		return strategy.Errorf(strategy.CodeInvalid, "the body's key %q differs from the path's %q; an activity's key cannot change", a.Key, key)
	}
	a.Key = key
	rev := a.Rev
	stored, err := s.putActivity(r, p, a, rev)
	if err != nil {
		return s.apiPlanFailed(w, r, err)
	}
	status := http.StatusOK
	if rev == 0 {
		status = http.StatusCreated
	}
	s.writeJSON(w, r, status, stored)
	return nil
}

// apiDeleteActivity handles DELETE …/plans/{plan}/activities/{act}; the
// rev is given as ?rev= or as {"rev"} in the body. It answers what was
// deleted, as the document API does.
func (s *server) apiDeleteActivity(w http.ResponseWriter, r *http.Request) error {
	p, err := s.apiPlan(r, auth.ActionWrite, planObject)
	if err != nil {
		return err
	}
	var rev int64
	if q := r.URL.Query().Get("rev"); q != "" {
		rev, err = strconv.ParseInt(q, 10, 64)
		if err != nil {
			return strategy.Errorf(strategy.CodeInvalid, "rev %q is not a number", q)
		}
	} else if r.ContentLength != 0 {
		var body struct {
			Rev int64 `json:"rev"`
		}
		if err := decodeJSONBody(w, r, &body); err != nil {
			return err
		}
		rev = body.Rev
	}
	if rev <= 0 {
		return strategy.Errorf(strategy.CodeInvalid, "\"rev\" is required: the activity's rev as last read (?rev= or {\"rev\": n})")
	}
	key := r.PathValue("act")
	if findActivity(&p.plan, key) < 0 {
		return strategy.Errorf(strategy.CodeNotFound, "the plan has no activity %q", key)
	}
	if err := s.deleteActivity(r, p, key, rev); err != nil {
		return s.apiPlanFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, apiDeleted{Deleted: strategy.ActivityRef(p.doc.Key, p.plan.Key, key)})
	return nil
}

// apiAddNote handles POST …/activities/{act}/notes: {"date", "text"},
// written by the user of the token.
func (s *server) apiAddNote(w http.ResponseWriter, r *http.Request) error {
	p, err := s.apiPlan(r, auth.ActionWrite, noteObject)
	if err != nil {
		return err
	}
	var n noteInput
	if err := decodeJSONBody(w, r, &n); err != nil {
		return err
	}
	if ps := checkNote(n); len(ps) > 0 {
		return s.apiInvalid(w, r, ps)
	}
	stored, err := s.addNote(r, p, r.PathValue("act"), n)
	if err != nil {
		return s.apiPlanFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusCreated, stored)
	return nil
}
