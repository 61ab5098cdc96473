package web

import (
	"net/http"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// documentPublished reports whether the public may see a document: an
// adopted one, or a repealed one (still part of the record). Drafts, and
// any status this version does not know, are unpublished.
func documentPublished(d strategy.Document) bool {
	return d.Status == strategy.StatusAdopted || d.Status == strategy.StatusRepealed
}

// documentObject is a document as auth.Can sees it.
func documentObject(d strategy.Document) auth.Object {
	return auth.Object{Kind: auth.KindDocument, Org: d.Org, Published: documentPublished(d)}
}

// canSeeDocument reports whether the request's user may read the document.
// What they may not read is treated as if it did not exist: 404, left out
// of lists, never linked.
func (s *server) canSeeDocument(r *http.Request, d strategy.Document) bool {
	return auth.Can(userOf(r), auth.ActionRead, documentObject(d))
}

// visibleDocuments keeps the documents the request's user may read, in
// their order. Every list of documents goes through it.
func (s *server) visibleDocuments(r *http.Request, docs []strategy.Document) []strategy.Document {
	out := make([]strategy.Document, 0, len(docs))
	for _, d := range docs {
		if s.canSeeDocument(r, d) {
			out = append(out, d)
		}
	}
	return out
}

// canEditDocument reports whether the request's user may change the
// document's content (samordnare of its organisation, admins).
func (s *server) canEditDocument(r *http.Request, d strategy.Document) bool {
	return auth.Can(userOf(r), auth.ActionWrite, documentObject(d))
}

// visibleDocument reads the document with its tree for the request's user:
// not found, or not readable by them, is the same 404 with the message
// notFound (Swedish on pages, English in the API).
func (s *server) visibleDocument(r *http.Request, key, notFound string) (strategy.Document, error) {
	d, err := s.st.Document(r.Context(), key)
	if err != nil {
		return strategy.Document{}, notFoundAs(err, notFound, key)
	}
	if !s.canSeeDocument(r, d) {
		return strategy.Document{}, strategy.Errorf(strategy.CodeNotFound, notFound, key)
	}
	return d, nil
}

// canSeePlan reports whether the request's user may read an action plan
// of the document: a decided plan is public with its document, a draft is
// for the organisation.
func (s *server) canSeePlan(r *http.Request, d strategy.Document, p strategy.ActionPlan) bool {
	return auth.Can(userOf(r), auth.ActionRead, auth.Object{
		Kind: auth.KindActionPlan, Org: d.Org, Body: p.Body,
		Published: documentPublished(d) && p.Status == strategy.PlanDecided,
	})
}

// withVisiblePlans returns the document without the action plans the
// request's user may not read.
func (s *server) withVisiblePlans(r *http.Request, d strategy.Document) strategy.Document {
	if d.ActionPlans == nil {
		return d
	}
	plans := make([]strategy.ActionPlan, 0, len(d.ActionPlans))
	for _, p := range d.ActionPlans {
		if s.canSeePlan(r, d, p) {
			plans = append(plans, p)
		}
	}
	d.ActionPlans = plans
	return d
}
