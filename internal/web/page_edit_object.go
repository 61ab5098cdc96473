package web

import (
	"net/http"
	"net/url"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// editedObject is what the object routes share: the document, the kind,
// and the stored object (nil for a new one, {obj} "ny").
type editedObject struct {
	doc   strategy.Document
	kind  treeKind
	key   string // {obj} as in the URL
	isNew bool
	ref   strategy.ObjectRef
	obj   any
	rev   int64
}

// newObjectKey is the {obj} of an empty form.
const newObjectKey = "ny"

// editedObjectOf reads {doc}, {kind} and {obj} for an edit route, in the
// order every edit route checks: signed in, the document readable (404),
// writable (403), then the object (404).
func (s *server) editedObjectOf(r *http.Request) (editedObject, error) {
	d, err := s.editableDocument(r, auth.ActionWrite)
	if err != nil {
		return editedObject{}, err
	}
	kind, ok := treeKindBySegment(r.PathValue("kind"))
	if !ok {
		return editedObject{}, strategy.Errorf(strategy.CodeNotFound, "Det finns inget att redigera under %q.", r.PathValue("kind"))
	}
	e := editedObject{doc: d, kind: kind, key: r.PathValue("obj")}
	if e.key == newObjectKey {
		e.isNew = true
		return e, nil
	}
	e.ref = strategy.ObjectRef{Kind: kind.obj, Document: d.Key, Key: e.key}
	obj, rev, found := d.Lookup(e.ref)
	if !found {
		return e, strategy.Errorf(strategy.CodeNotFound, "Det finns inget %s med nyckeln %q i dokumentet.", kind.noun, e.key)
	}
	e.obj, e.rev = obj, rev
	return e, nil
}

// pageEditObject handles GET /redigera/dokument/{doc}/{kind}/{obj}: the
// form with the stored values, an empty form for "ny" (placed by
// ?under=area:KEY or goal:KEY), or with ?ta-bort the confirmation of a
// deletion.
func (s *server) pageEditObject(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editedObjectOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if _, del := q["ta-bort"]; del && !e.isNew {
		return s.renderDeleteForm(w, r, http.StatusOK, e, e.rev, nil)
	}
	vals := url.Values{}
	if e.isNew {
		under := q.Get("under")
		if under == "" {
			under = q.Get("agare") // a responsibility's owner
		}
		vals.Set("parent", under)
		if e.kind.obj == strategy.ObjGoal {
			level := strategy.GoalLongTerm
			if p, _ := parsePlacement(under); p.Goal != "" {
				level = strategy.GoalSub
			}
			vals.Set("level", string(level))
		}
	} else {
		vals = objectValues(e.obj)
	}
	return s.renderObjectForm(w, r, http.StatusOK, e, vals, nil, e.rev)
}

// postEditObject handles POST /redigera/dokument/{doc}/{kind}/{obj}.
func (s *server) postEditObject(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editedObjectOf(r)
	if err != nil {
		return err
	}
	rev, err := formRev(r)
	if err != nil {
		return err
	}
	vals := r.PostForm
	fe := &formErrors{}
	obj := decodeObject(e.kind.obj, vals, fe)
	ref, under := e.ref, placement{}
	if e.isNew {
		rev = 0
		ref, under = newObjectRef(e.doc, e.kind, obj, vals, fe)
	}
	if fe.Any() {
		return s.renderObjectForm(w, r, http.StatusUnprocessableEntity, e, vals, fe, rev)
	}
	if _, err := s.st.EditDocument(r.Context(), treeObjectEdit(ref, rev, obj, under)); err != nil {
		return s.objectEditFailed(w, r, e, ref, vals, rev, err)
	}
	s.flash(r, "Ändringen är sparad.")
	http.Redirect(w, r, documentURL(e.doc.Key)+objectAnchor(ref), http.StatusSeeOther)
	return nil
}

// newObjectRef names a new object from its form: its place ("parent")
// and its key, given or derived from its text and unique in the document.
// A responsibility's key is its owner and position, the next free one.
func newObjectRef(d strategy.Document, kind treeKind, obj any, vals url.Values, fe *formErrors) (strategy.ObjectRef, placement) {
	ref := strategy.ObjectRef{Kind: kind.obj, Document: d.Key}
	var under placement
	if kind.placed {
		p, ok := parsePlacement(formText(vals, "parent"))
		if !ok {
			fe.Add("parent", "Välj var det nya "+kind.noun+" hör till.")
		}
		under = p
	}
	if kind.obj == strategy.ObjResponsibility {
		list := responsibilityList(&d, under.String())
		if list == nil {
			fe.Add("parent", "Välj vad ansvaret gäller: dokumentet, ett område eller ett mål.")
			return ref, under
		}
		return strategy.ResponsibilityRef(d.Key, under.String(), len(*list)), under
	}
	taken := documentKeys(d)
	key := formText(vals, "key")
	switch {
	case key == "":
		if title := objectTitle(obj); title != "" {
			key = deriveKey(title, kind.segment, func(k string) bool { return taken[k] || k == newObjectKey })
		}
	case !strategy.ValidKey(key) || key == newObjectKey:
		fe.Add("key", "Nyckeln får bara innehålla små bokstäver a–z, siffror, punkt, understreck och bindestreck, och börja med en bokstav eller siffra.")
	case taken[key]:
		fe.Add("key", "Nyckeln används redan i dokumentet. Välj en annan, eller lämna fältet tomt.")
	}
	ref.Key = key
	return ref, under
}

// objectEditFailed shows the form again after a refused save: with the
// entered values beside the problems (422), or after a conflict with what
// is stored now and its Rev (409). Other errors are returned.
func (s *server) objectEditFailed(w http.ResponseWriter, r *http.Request, e editedObject, ref strategy.ObjectRef, vals url.Values, rev int64, err error) error {
	b := newFormBuilder(nil, nil)
	objectFields(e.kind.obj, b, objectForm{doc: e.doc, isNew: e.isNew}, e.key)
	fe, status, ok := editProblems(err, b.inputs())
	if !ok {
		return err
	}
	if status != http.StatusConflict || e.isNew {
		// A new object that collides keeps what was entered: saving it
		// again takes the next free key or place.
		return s.renderObjectForm(w, r, status, e, vals, fe, rev)
	}
	stored, err := s.st.Document(r.Context(), e.doc.Key)
	if err != nil {
		return err
	}
	obj, storedRev, found := stored.Lookup(ref)
	if !found {
		return strategy.Errorf(strategy.CodeNotFound, "Någon annan har tagit bort %s sedan du öppnade formuläret.", e.kind.definite)
	}
	e.doc, e.obj = stored, obj
	return s.renderObjectForm(w, r, status, e, objectValues(obj), fe, storedRev)
}

// renderObjectForm shows the form of e with vals.
func (s *server) renderObjectForm(w http.ResponseWriter, r *http.Request, status int, e editedObject, vals url.Values, fe *formErrors, rev int64) error {
	ctx := r.Context()
	bodies, err := s.st.Bodies(ctx, e.doc.Org)
	if err != nil {
		return err
	}
	inds, err := s.st.ListIndicators(ctx)
	if err != nil {
		return err
	}
	org, err := s.st.Organisation(ctx, e.doc.Org)
	if err != nil {
		return err
	}
	b := newFormBuilder(vals, fe)
	objectFields(e.kind.obj, b, objectForm{doc: e.doc, bodies: bodies, indicators: inds, isNew: e.isNew}, e.key)
	title := "Redigera " + e.kind.definite
	if e.isNew {
		title = e.kind.newTitle
	}
	p := editPage{
		Title:       title,
		Breadcrumbs: documentCrumbs(org, e.doc, title),
		Action:      editObjectURL(e.doc.Key, e.kind.obj, e.key),
		Rev:         rev,
		Groups:      b.groups,
		Submit:      "Spara",
		CancelURL:   documentURL(e.doc.Key) + objectAnchor(e.ref),
	}
	if !e.isNew {
		p.Intro = objectTitle(e.obj)
		if resp, ok := e.obj.(strategy.Responsibility); ok {
			p.Intro = bodyNameIn(bodies, resp.Body) + " (" + roleLabel(resp.Role) + ")"
		}
		p.Links = []link{
			{URL: editObjectURL(e.doc.Key, e.kind.obj, e.key) + "?ta-bort", Text: "Ta bort " + e.kind.definite},
			{URL: historyURL(e.ref), Text: "Historik för " + e.kind.definite},
		}
	}
	p.summarise(b)
	return render(s, w, r, status, "edit", p)
}

// deletionNotice says what a deletion takes with it.
func deletionNotice(k strategy.ObjectKind) string {
	switch k {
	case strategy.ObjArea:
		return "Området tas bort med alla sina mål, målvärden, åtaganden och ansvar."
	case strategy.ObjGoal:
		return "Målet tas bort med sina delmål, målvärden, åtaganden och ansvar."
	case strategy.ObjTarget:
		return "Målvärdet tas bort. Indikatorn och dess värden finns kvar."
	}
	return "Borttagningen syns i historiken."
}

// renderDeleteForm asks to confirm the deletion of e, at rev.
func (s *server) renderDeleteForm(w http.ResponseWriter, r *http.Request, status int, e editedObject, rev int64, fe *formErrors) error {
	org, err := s.st.Organisation(r.Context(), e.doc.Org)
	if err != nil {
		return err
	}
	title := "Ta bort " + e.kind.definite
	p := editPage{
		Title:       title,
		Breadcrumbs: documentCrumbs(org, e.doc, title),
		Intro:       objectTitle(e.obj),
		Notice:      deletionNotice(e.kind.obj),
		Action:      editObjectURL(e.doc.Key, e.kind.obj, e.key) + "/ta-bort",
		Rev:         rev,
		Submit:      "Ta bort",
		Danger:      true,
		CancelURL:   editObjectURL(e.doc.Key, e.kind.obj, e.key),
	}
	if resp, ok := e.obj.(strategy.Responsibility); ok {
		bodies, err := s.st.Bodies(r.Context(), e.doc.Org)
		if err != nil {
			return err
		}
		p.Intro = bodyNameIn(bodies, resp.Body) + " (" + roleLabel(resp.Role) + ")"
	}
	p.summarise(newFormBuilder(nil, fe))
	return render(s, w, r, status, "edit", p)
}

// postDeleteObject handles POST /redigera/dokument/{doc}/{kind}/{obj}/ta-bort.
func (s *server) postDeleteObject(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editedObjectOf(r)
	if err != nil {
		return err
	}
	if e.isNew {
		return strategy.Errorf(strategy.CodeNotFound, "Det finns inget nytt %s att ta bort.", e.kind.noun)
	}
	rev, err := formRev(r)
	if err != nil {
		return err
	}
	if _, err := s.st.EditDocument(r.Context(), deleteEdit(e.ref, rev)); err != nil {
		fe, status, ok := editProblems(err, nil)
		if !ok {
			return err
		}
		if status == http.StatusConflict {
			rev = e.rev // what is stored now: the page shows it, confirming again deletes it
		}
		return s.renderDeleteForm(w, r, status, e, rev, fe)
	}
	s.flash(r, capitalise(e.kind.definite)+" är borttaget.")
	http.Redirect(w, r, documentURL(e.doc.Key), http.StatusSeeOther)
	return nil
}
