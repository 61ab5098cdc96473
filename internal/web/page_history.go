package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// historyURL is the page of an object's audit trail; pages that show an
// object link it with this.
func historyURL(ref strategy.ObjectRef) string {
	return "/historik?" + url.Values{"objekt": {ref.String()}}.Encode()
}

// historyPageSize is how many changes the history page shows at once.
const historyPageSize = 50

// historyPage is GET /historik?objekt=…: who changed what of an object,
// when and from where, newest first. For a document it is everything in
// the document.
type historyPage struct {
	Title string
	// Object names the object in words: "Mål: Fler invånare".
	Object string
	// Scope says what the list covers beyond the object itself.
	Scope     string
	BackURL   string // the page showing the object, when there is one
	BackText  string
	Entries   []historyEntry
	OlderURL  string
	NewestURL string // the first page, when this is an older one
}

// historyEntry is one recorded change.
type historyEntry struct {
	ID     string // anchor
	When   timeView
	Who    string
	Via    string // "via webben från 192.0.2.1"
	Action string // "Ändrade"
	What   string // the object, when the page lists several
	// WhatURL is the object's own history, when the page lists several.
	WhatURL string
	// Created and Deleted say the object came or went with the change;
	// Changes then lists its values (After or Before) rather than a diff.
	Created bool
	Deleted bool
	Changes []fieldChange
	// Collapsed folds a long list of fields (a whole imported document)
	// away behind a summary that says how many there are.
	Collapsed bool
}

// collapseAbove is how many fields an entry shows before it folds them.
const collapseAbove = 15

// fieldChange is one field of a change: its flattened name and its values
// before and after, "" for none.
type fieldChange struct {
	Field  string
	Before string
	After  string
}

// pageHistory handles GET /historik?objekt=kind:document/key.
func (s *server) pageHistory(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	ref, err := strategy.ParseObjectRef(q.Get("objekt"))
	if err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Adressen anger inget giltigt objekt. Den ska se ut som /historik?objekt=goal:dokumentets-nyckel/malets-nyckel.")
	}
	before, err := optionalID(q.Get("fore"))
	if err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "Parametern fore ska vara numret på en ändring.")
	}
	subject, err := s.auditSubject(r, ref, "Det finns ingen historik för %s.")
	if err != nil {
		return err
	}
	entries, err := s.auditEntries(ctx, ref, "", before, historyPageSize+1)
	if err != nil {
		return err
	}
	p := historyPage{Title: "Historik", Object: subject.name}
	if ref.Kind == strategy.ObjDocument {
		p.Scope = "Listan tar med ändringar av allt i dokumentet: områden, mål, målvärden, aktivitetsplaner och annat."
	}
	if subject.doc != nil {
		p.BackURL, p.BackText = documentURL(subject.doc.Key), "Till dokumentet "+subject.doc.Title
	}
	if len(entries) > historyPageSize {
		entries = entries[:historyPageSize]
		p.OlderURL = historyURL(ref) + "&fore=" + strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	if before > 0 {
		p.NewestURL = historyURL(ref)
	}
	several := ref.Kind == strategy.ObjDocument || ref.Kind == strategy.ObjActionPlan || ref.Kind == strategy.ObjActivity
	for _, e := range entries {
		p.Entries = append(p.Entries, newHistoryEntry(e, several && e.Object != ref))
	}
	return render(s, w, r, http.StatusOK, "history", p)
}

// auditSubject is what the history of ref is about and who may read it.
type auditSubject struct {
	org  string             // the organisation the object belongs to; "" for users, indicators, tokens
	doc  *strategy.Document // the stored document, for the objects of one
	name string             // the object in words
}

// auditSubject finds the organisation of ref, from the store or, for an
// object no longer stored, from its recorded changes, and checks that the
// request's user may read its audit trail (auth.KindAudit of that
// organisation: administrators, and a samordnare for their own). An object
// the user may not even read, or that never existed, is notFound (with
// ref.String() for its %s); a readable one whose trail they may not read
// is 401 for the public and 403 for a user.
func (s *server) auditSubject(r *http.Request, ref strategy.ObjectRef, notFound string) (auditSubject, error) {
	ctx := r.Context()
	subj := auditSubject{name: objectKindLabel(ref.Kind) + " " + ref.Key}
	missing := strategy.Errorf(strategy.CodeNotFound, notFound, ref.String())
	known := false
	switch {
	case ref.Kind.InDocument():
		subj.name = objectKindLabel(ref.Kind) + " " + cmp.Or(ref.Key, ref.Document)
		d, err := s.st.Document(ctx, ref.Document)
		switch {
		case err == nil:
			if !s.canSeeDocument(r, d) {
				return subj, missing
			}
			subj.org, subj.doc, known = d.Org, &d, true
			if obj, _, found := d.Lookup(ref); found {
				if name := objectName(obj); name != "" {
					subj.name = objectKindLabel(ref.Kind) + ": " + name
				}
			}
		case strategy.CodeOf(err) != strategy.CodeNotFound:
			return subj, err
		}
	case ref.Kind == strategy.ObjFollowUpPeriod:
		id, err := strconv.ParseInt(ref.Key, 10, 64)
		if err != nil {
			return subj, missing
		}
		p, err := s.st.FollowUpPeriod(ctx, id)
		switch {
		case err == nil:
			subj.org, subj.name, known = p.Org, objectKindLabel(ref.Kind)+": "+p.Title, true
		case strategy.CodeOf(err) != strategy.CodeNotFound:
			return subj, err
		}
	default:
		// Users, indicators, API tokens and source runs belong to no organisation:
		// their trail is the administrators'. Their names are looked up
		// only for those who may read it.
		known = true
		if !auth.Can(userOf(r), auth.ActionRead, auth.Object{Kind: auth.KindAudit}) {
			break
		}
		switch ref.Kind {
		case strategy.ObjUser:
			if id, err := strconv.ParseInt(ref.Key, 10, 64); err == nil {
				if u, err := s.st.UserByID(ctx, id); err == nil {
					subj.name = objectKindLabel(ref.Kind) + ": " + u.Name
				}
			}
		case strategy.ObjIndicator:
			if ind, err := s.st.Indicator(ctx, ref.Key); err == nil {
				subj.name = objectKindLabel(ref.Kind) + ": " + ind.Title
			}
		}
	}
	if !known {
		// Deleted: the recorded changes still say whose it was. Only its
		// organisation's readers may learn that it existed.
		f := auditFilter(ref, "", 0, 1)
		if ref.Kind.InDocument() {
			f = strategy.AuditFilter{Document: ref.Document, Limit: 1}
		}
		last, err := s.st.Audit(ctx, f)
		if err != nil {
			return subj, err
		}
		if len(last) == 0 || !auth.Can(userOf(r), auth.ActionRead, auth.Object{Kind: auth.KindDocument, Org: last[0].Org}) {
			return subj, missing
		}
		subj.org = last[0].Org
	}
	if err := s.authorize(r, auth.ActionRead, auth.Object{Kind: auth.KindAudit, Org: subj.org}); err != nil {
		return subj, err
	}
	return subj, nil
}

// auditFilter selects the changes of ref itself.
func auditFilter(ref strategy.ObjectRef, org string, before int64, limit int) strategy.AuditFilter {
	return strategy.AuditFilter{Kind: ref.Kind, Document: ref.Document, Key: ref.Key, Org: org, BeforeID: before, Limit: limit}
}

// auditEntries lists the changes of ref, newest first, with what belongs
// to it: everything in a document; a plan's activities and their notes;
// an activity's notes.
func (s *server) auditEntries(ctx context.Context, ref strategy.ObjectRef, org string, before int64, limit int) ([]strategy.AuditEntry, error) {
	filters := []strategy.AuditFilter{auditFilter(ref, org, before, limit)}
	switch ref.Kind {
	case strategy.ObjDocument:
		filters = []strategy.AuditFilter{{Document: ref.Document, Org: org, BeforeID: before, Limit: limit}}
	case strategy.ObjActionPlan:
		filters = append(filters, strategy.AuditFilter{Document: ref.Document, Key: ref.Key + "/", Org: org, BeforeID: before, Limit: limit})
	case strategy.ObjActivity:
		filters = append(filters, strategy.AuditFilter{Kind: strategy.ObjNote, Document: ref.Document, Key: ref.Key + "/", Org: org, BeforeID: before, Limit: limit})
	}
	var all []strategy.AuditEntry
	for _, f := range filters {
		entries, err := s.st.Audit(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, entries...)
	}
	slices.SortFunc(all, func(a, b strategy.AuditEntry) int { return cmp.Compare(b.ID, a.ID) })
	all = slices.CompactFunc(all, func(a, b strategy.AuditEntry) bool { return a.ID == b.ID })
	if len(all) > limit {
		all = all[:limit]
	}
	return all, nil
}

func optionalID(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, strategy.Errorf(strategy.CodeInvalid, "%q is not a positive number", s)
	}
	return id, nil
}

func newHistoryEntry(e strategy.AuditEntry, showObject bool) historyEntry {
	h := historyEntry{
		ID:     "andring-" + strconv.FormatInt(e.ID, 10),
		When:   newTimeView(e.At),
		Who:    cmp.Or(e.Actor.Name, "okänd"),
		Via:    viaLabel(e.Actor),
		Action: auditActionLabel(e.Action),
	}
	if showObject {
		h.What = objectKindLabel(e.Object.Kind) + " " + cmp.Or(e.Object.Key, e.Object.Document)
		h.WhatURL = historyURL(e.Object)
	}
	before, after := flattenJSON(e.Before), flattenJSON(e.After)
	switch {
	case before == nil && after != nil:
		h.Created = true
		h.Changes = values(after, false)
	case after == nil && before != nil:
		h.Deleted = true
		h.Changes = values(before, true)
	default:
		h.Changes = diff(before, after)
	}
	h.Collapsed = len(h.Changes) > collapseAbove
	return h
}

// hiddenField reports whether a field's values must not be shown, even to
// those who may read the audit trail: secrets and their hashes.
func hiddenField(name string) bool {
	last := name[strings.LastIndexAny(name, ".]")+1:]
	for _, w := range []string{"hash", "secret", "password"} {
		if strings.Contains(strings.ToLower(last), w) {
			return true
		}
	}
	return false
}

// ignoredField is bookkeeping every change touches: the revision.
func ignoredField(name string) bool {
	return name == "rev" || strings.HasSuffix(name, ".rev")
}

// hiddenValue stands for a value that is not shown.
const hiddenValue = "(visas inte)"

// values lists the non-empty fields of a created or deleted object.
func values(fields map[string]string, before bool) []fieldChange {
	var out []fieldChange
	for _, name := range sortedKeys(fields) {
		v := fields[name]
		if v == "" || ignoredField(name) {
			continue
		}
		if hiddenField(name) {
			v = hiddenValue
		}
		c := fieldChange{Field: name, After: v}
		if before {
			c = fieldChange{Field: name, Before: v}
		}
		out = append(out, c)
	}
	return out
}

// diff lists the fields whose values differ.
func diff(before, after map[string]string) []fieldChange {
	names := map[string]string{}
	for k := range before {
		names[k] = ""
	}
	for k := range after {
		names[k] = ""
	}
	var out []fieldChange
	for _, name := range sortedKeys(names) {
		b, a := before[name], after[name]
		if b == a || ignoredField(name) {
			continue
		}
		if hiddenField(name) {
			b, a = hiddenValue, "(ändrat)"
		}
		out = append(out, fieldChange{Field: name, Before: b, After: a})
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// flattenJSON reads an object's recorded JSON into its fields by dotted
// name ("adopted.on", "activities[2].title"); nil for null or nothing.
// A list of plain values is one field, its values joined by commas.
func flattenJSON(raw json.RawMessage) map[string]string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // numbers exactly as recorded
	var v any
	if err := d.Decode(&v); err != nil {
		return map[string]string{"": string(raw)}
	}
	out := map[string]string{}
	flatten("", v, out)
	return out
}

func flatten(name string, v any, out map[string]string) {
	join := func(k string) string {
		if name == "" {
			return k
		}
		return name + "." + k
	}
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 && name != "" {
			out[name] = ""
		}
		for k, x := range t {
			flatten(join(k), x, out)
		}
	case []any:
		plain := true
		for _, x := range t {
			switch x.(type) {
			case map[string]any, []any:
				plain = false
			}
		}
		if plain {
			parts := make([]string, len(t))
			for i, x := range t {
				parts[i] = scalarText(x)
			}
			out[name] = strings.Join(parts, ", ")
			return
		}
		for i, x := range t {
			flatten(name+"["+strconv.Itoa(i)+"]", x, out)
		}
	default:
		out[name] = scalarText(t)
	}
}

func scalarText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		if t {
			return "ja"
		}
		return "nej"
	case json.Number:
		return t.String()
	}
	return ""
}

// objectName is the title or text by which an object is known, shortened.
func objectName(obj any) string {
	var s string
	switch o := obj.(type) {
	case strategy.Document:
		s = o.Title
	case strategy.Area:
		s = o.Title
	case strategy.Goal:
		s = o.Title
	case strategy.Target:
		s = o.Text
	case strategy.Commitment:
		s = o.Text
	case strategy.Term:
		s = o.Term
	case strategy.Responsibility:
		s = o.Body
	case strategy.ActionPlan:
		s = cmp.Or(o.Title, o.Key)
	case strategy.Activity:
		s = o.Title
	case strategy.Note:
		s = o.Text
	}
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:79]) + "…"
	}
	return s
}

func objectKindLabel(k strategy.ObjectKind) string {
	return label(map[strategy.ObjectKind]string{
		strategy.ObjDocument:        "Dokument",
		strategy.ObjArea:            "Område",
		strategy.ObjGoal:            "Mål",
		strategy.ObjTarget:          "Målvärde",
		strategy.ObjCommitment:      "Åtagande",
		strategy.ObjTerm:            "Begrepp",
		strategy.ObjResponsibility:  "Ansvar",
		strategy.ObjActionPlan:      "Aktivitetsplan",
		strategy.ObjActivity:        "Aktivitet",
		strategy.ObjNote:            "Anteckning",
		strategy.ObjIndicator:       "Indikator",
		strategy.ObjFollowUpPeriod:  "Uppföljningsperiod",
		strategy.ObjUser:            "Användare",
		strategy.ObjAPIToken:        "API-nyckel",
		strategy.ObjSourceRun:       "Hämtning av värden",
		strategy.ObjReport:          "Godkänd rapport",
		strategy.ObjBarrierReport:   "Rapport om tillgänglighet",
		strategy.ObjLibraryDocument: "Dokument i biblioteket",
	}, k)
}

func auditActionLabel(a strategy.AuditAction) string {
	return label(map[strategy.AuditAction]string{
		strategy.AuditCreate:  "Skapade",
		strategy.AuditUpdate:  "Ändrade",
		strategy.AuditDelete:  "Tog bort",
		strategy.AuditPublish: "Publicerade eller beslutade",
		strategy.AuditImport:  "Importerade från fil",
		strategy.AuditReport:  "Rapporterade",
		strategy.AuditReopen:  "Öppnade igen",
		strategy.AuditRevoke:  "Återkallade",
	}, a)
}

// viaLabel says how and from where a change was made.
func viaLabel(a strategy.Actor) string {
	via := label(map[string]string{
		"web":    "via webben",
		"api":    "via API:t",
		"cli":    "via kommandoraden",
		"system": "automatiskt",
	}, a.Via)
	if a.Address != "" {
		via += " från " + a.Address
	}
	return via
}
