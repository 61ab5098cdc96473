package web

import (
	"net/http"
	"net/url"
)

// startPage lists every organisation with its documents.
type startPage struct {
	Title string
	Orgs  []startOrg
	// FollowUps are the signed-in nämndredaktör's or samordnare's due and
	// late follow-ups (start_followup.go).
	FollowUps []startFollowUp
}

type startOrg struct {
	ID        string // id of the section heading, for captions and links
	Name      string
	KindLabel string
	Code      string
	Documents []startDocument
}

type startDocument struct {
	URL         string
	Title       string
	KindLabel   string
	StatusLabel string
	AdoptedOn   string
}

// pageStart handles GET /.
func (s *server) pageStart(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.st.ListOrganisations(r.Context())
	if err != nil {
		return err
	}
	p := startPage{Title: "Styrdokument för integration"}
	if p.FollowUps, err = s.startFollowUps(r); err != nil {
		return err
	}
	for _, o := range orgs {
		docs, err := s.st.Documents(r.Context(), o.Code)
		if err != nil {
			return err
		}
		so := startOrg{ID: "org-" + o.Code, Name: o.Name, KindLabel: orgKindLabel(o.Kind), Code: o.Code}
		for _, d := range s.visibleDocuments(r, docs) {
			so.Documents = append(so.Documents, startDocument{
				URL:         documentURL(d.Key),
				Title:       d.Title,
				KindLabel:   documentKindLabel(d.Kind),
				StatusLabel: documentStatusLabel(d.Status),
				AdoptedOn:   d.Adopted.On.String(),
			})
		}
		p.Orgs = append(p.Orgs, so)
	}
	return render(s, w, r, http.StatusOK, "start", p)
}

// documentURL is the page of a document.
func documentURL(key string) string { return "/dokument/" + url.PathEscape(key) }

// indicatorURL is the page of an indicator for an organisation.
func indicatorURL(key, org string) string {
	return "/indikatorer/" + url.PathEscape(key) + "?org=" + url.QueryEscape(org)
}
