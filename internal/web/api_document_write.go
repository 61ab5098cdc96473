package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/strategy"
)

// maxAPIBody bounds a JSON write: a whole document with its tree is far
// smaller.
const maxAPIBody = 1 << 20

// apiValidationError is the body of a 422: what is wrong, by path in the
// strategy file's vocabulary ("document.areas[0].title"), in English and
// in Swedish.
type apiValidationError struct {
	Code     string            `json:"code"`
	Message  string            `json:"message"`
	Fields   map[string]string `json:"fields"`
	FieldsSV map[string]string `json:"fields_sv"`
}

// decodeJSONBody reads the request's JSON body into v: a body that is not
// one JSON value of the right shape is a 400.
func decodeJSONBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return strategy.Errorf(strategy.CodeInvalid, "the body is larger than %d bytes", maxAPIBody)
		}
		return strategy.Errorf(strategy.CodeInvalid, "the body is not valid JSON for this route: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return strategy.Errorf(strategy.CodeInvalid, "the body has more than one JSON value")
	}
	return nil
}

// apiEditFailed answers a refused edit: validation problems as a 422 with
// the problems by field; everything else (409 for a stale rev, 404, 400)
// goes to the adapter.
func (s *server) apiEditFailed(w http.ResponseWriter, r *http.Request, err error) error {
	var v strategy.ValidationErrors
	if !errors.As(err, &v) {
		return err
	}
	body := apiValidationError{Code: string(strategy.CodeInvalid), Message: "the edit is not valid; nothing was stored",
		Fields: map[string]string{}, FieldsSV: map[string]string{}}
	for _, e := range v {
		add := func(m map[string]string, msg string) {
			if prev, ok := m[e.Path]; ok {
				msg = prev + "; " + msg
			}
			m[e.Path] = msg
		}
		add(body.Fields, e.Message)
		add(body.FieldsSV, swedishMessage(e))
	}
	s.writeJSON(w, r, http.StatusUnprocessableEntity, body)
	return nil
}

// apiWritableDocument reads the document {key} for an API write: 401
// without credentials, 404 when missing or unreadable for the user, 403
// when readable but not theirs to change.
func (s *server) apiWritableDocument(r *http.Request, action auth.Action) (strategy.Document, error) {
	if userOf(r) == nil {
		return strategy.Document{}, errSignInRequired
	}
	d, err := s.visibleDocument(r, r.PathValue("key"), "no document has the key %q")
	if err != nil {
		return d, err
	}
	return d, s.authorize(r, action, documentObject(d))
}

// apiCreateDocument handles POST /api/v1/documents: a new draft document
// of the organisation "org", with the key given or derived from the title.
func (s *server) apiCreateDocument(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) == nil {
		return errSignInRequired
	}
	var in strategy.Document
	if err := decodeJSONBody(w, r, &in); err != nil {
		return err
	}
	if err := s.authorize(r, auth.ActionWrite, auth.Object{Kind: auth.KindDocument, Org: in.Org}); err != nil {
		return err
	}
	if _, err := s.st.Organisation(r.Context(), in.Org); err != nil {
		if strategy.CodeOf(err) != strategy.CodeNotFound {
			return err
		}
		return s.apiEditFailed(w, r, fieldProblem("document.org", fmt.Sprintf("no organisation has the code %q", in.Org),
			"Det finns ingen organisation med den koden."))
	}
	if in.Key == "" && in.Title != "" {
		in.Key = deriveKey(in.Title, "dokument", func(k string) bool { return s.documentExists(r.Context(), k) })
	}
	stored, err := s.st.EditDocument(r.Context(), newDocumentEdit(in.Org, in))
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	w.Header().Set("Location", "/api/v1/documents/"+url.PathEscape(stored.Key))
	s.writeJSON(w, r, http.StatusCreated, stored)
	return nil
}

// apiUpdateDocument handles PUT /api/v1/documents/{key}: the document's
// own fields (not its status, key, organisation or tree) from the body,
// which carries the "rev" it was read at.
func (s *server) apiUpdateDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.apiWritableDocument(r, auth.ActionWrite)
	if err != nil {
		return err
	}
	var in strategy.Document
	if err := decodeJSONBody(w, r, &in); err != nil {
		return err
	}
	if in.Rev <= 0 {
		return strategy.Errorf(strategy.CodeInvalid, "\"rev\" is required: the document's rev as last read")
	}
	stored, err := s.st.EditDocument(r.Context(), documentEdit(d.Key, in.Rev, in))
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, stored)
	return nil
}

// apiPublishDocument handles POST /api/v1/documents/{key}/publish with
// {"rev": N}: the draft becomes adopted.
func (s *server) apiPublishDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.apiWritableDocument(r, auth.ActionPublish)
	if err != nil {
		return err
	}
	var in struct {
		Rev int64 `json:"rev"`
	}
	if err := decodeJSONBody(w, r, &in); err != nil {
		return err
	}
	if in.Rev <= 0 {
		return strategy.Errorf(strategy.CodeInvalid, "\"rev\" is required: the document's rev as last read")
	}
	if d.Status != strategy.StatusDraft {
		return strategy.Errorf(strategy.CodeConflict, "the document is already published (status %s)", d.Status)
	}
	stored, err := s.st.EditDocument(r.Context(), publishEdit(d.Key, in.Rev))
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, stored)
	return nil
}

// apiNewResponsibility is the {obj} that creates a responsibility.
const apiNewResponsibility = "new"

// apiTreeObject is one object of a document's tree as the API answers
// it; a responsibility, which has no key of its own, carries its ref's.
type apiResponsibility struct {
	Key string `json:"key"`
	strategy.Responsibility
}

// apiPutObject handles PUT /api/v1/documents/{key}/{kind}/{obj}: the
// object in the body, with "rev" (0 creates it with the key {obj}) and,
// for a new goal, target, commitment or responsibility, "parent":
// {"area": KEY} or {"goal": KEY}.
func (s *server) apiPutObject(w http.ResponseWriter, r *http.Request) error {
	d, err := s.apiWritableDocument(r, auth.ActionWrite)
	if err != nil {
		return err
	}
	kind, ok := treeKindByAPI(r.PathValue("kind"))
	if !ok {
		return strategy.Errorf(strategy.CodeNotFound, "no kind of object %q; use areas, goals, targets, commitments, terms or responsibilities", r.PathValue("kind"))
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err != nil {
		return strategy.Errorf(strategy.CodeInvalid, "the body could not be read (at most %d bytes)", maxAPIBody)
	}
	obj, rev, key, err := decodeTreeObject(kind.obj, raw)
	if err != nil {
		return err
	}
	var under placement
	if kind.placed {
		var env struct {
			Parent placement `json:"parent"`
		}
		if err := json.Unmarshal(raw, &env); err != nil {
			return strategy.Errorf(strategy.CodeInvalid, "\"parent\" must be {\"area\": KEY} or {\"goal\": KEY}: %v", err)
		}
		under = env.Parent
		if under.Area != "" && under.Goal != "" {
			return strategy.Errorf(strategy.CodeInvalid, "\"parent\" names an area or a goal, not both")
		}
	}
	objKey := r.PathValue("obj")
	ref := strategy.ObjectRef{Kind: kind.obj, Document: d.Key, Key: objKey}
	switch {
	case kind.obj == strategy.ObjResponsibility && objKey == apiNewResponsibility:
		if rev != 0 {
			return strategy.Errorf(strategy.CodeInvalid, "a new responsibility has \"rev\" 0")
		}
		list := responsibilityList(&d, under.String())
		if list == nil {
			return s.apiEditFailed(w, r, placementProblem("no area or goal of the document is "+under.String(),
				"Välj vad ansvaret gäller: dokumentet, ett område eller ett mål."))
		}
		ref = strategy.ResponsibilityRef(d.Key, under.String(), len(*list))
	case kind.obj == strategy.ObjResponsibility:
		if _, _, ok := splitResponsibility(objKey); !ok {
			return strategy.Errorf(strategy.CodeNotFound, "%q is not a responsibility's key (owner#n, e.g. area:work#0) nor %q", objKey, apiNewResponsibility)
		}
	case key != "" && key != objKey:
		return s.apiEditFailed(w, r, fieldProblem("key", fmt.Sprintf("%q differs from the key in the path, %q; keys do not change", key, objKey),
			"Nyckeln kan inte ändras."))
	}
	stored, err := s.st.EditDocument(r.Context(), treeObjectEdit(ref, rev, obj, under))
	if err != nil {
		return s.apiEditFailed(w, r, err)
	}
	out, _, found := stored.Lookup(ref)
	if !found {
		return strategy.Internal(fmt.Errorf("%s missing after its edit", ref), "reading the stored object")
	}
	if resp, ok := out.(strategy.Responsibility); ok {
		out = apiResponsibility{Key: ref.Key, Responsibility: resp}
	}
	status := http.StatusOK
	if rev == 0 {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/documents/"+url.PathEscape(d.Key)+"/"+kind.api+"/"+url.PathEscape(ref.Key))
	}
	s.writeJSON(w, r, status, out)
	return nil
}

// decodeTreeObject reads an object of the kind from JSON, with its rev
// and key (empty for a responsibility).
func decodeTreeObject(k strategy.ObjectKind, raw []byte) (obj any, rev int64, key string, err error) {
	switch k {
	case strategy.ObjArea:
		return decodeAs(k, raw, func(v strategy.Area) (int64, string) { return v.Rev, v.Key })
	case strategy.ObjGoal:
		return decodeAs(k, raw, func(v strategy.Goal) (int64, string) { return v.Rev, v.Key })
	case strategy.ObjTarget:
		return decodeAs(k, raw, func(v strategy.Target) (int64, string) { return v.Rev, v.Key })
	case strategy.ObjCommitment:
		return decodeAs(k, raw, func(v strategy.Commitment) (int64, string) { return v.Rev, v.Key })
	case strategy.ObjTerm:
		return decodeAs(k, raw, func(v strategy.Term) (int64, string) { return v.Rev, v.Key })
	case strategy.ObjResponsibility:
		return decodeAs(k, raw, func(v strategy.Responsibility) (int64, string) { return v.Rev, "" })
	}
	return nil, 0, "", strategy.Errorf(strategy.CodeNotFound, "no kind of object %q", k)
}

// decodeAs reads a T of the kind k from JSON and returns it as decodeTreeObject
// does, with the rev and key that revKey reads from it.
func decodeAs[T any](k strategy.ObjectKind, raw []byte, revKey func(T) (int64, string)) (obj any, rev int64, key string, err error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, 0, "", strategy.Errorf(strategy.CodeInvalid, "the body is not a valid %s: %v", k, err)
	}
	rev, key = revKey(v)
	return v, rev, key, nil
}

// apiDeleted is the answer to a deletion.
type apiDeleted struct {
	Deleted strategy.ObjectRef `json:"deleted"`
}

// apiDeleteObject handles DELETE /api/v1/documents/{key}/{kind}/{obj}?rev=N.
func (s *server) apiDeleteObject(w http.ResponseWriter, r *http.Request) error {
	d, err := s.apiWritableDocument(r, auth.ActionWrite)
	if err != nil {
		return err
	}
	kind, ok := treeKindByAPI(r.PathValue("kind"))
	if !ok {
		return strategy.Errorf(strategy.CodeNotFound, "no kind of object %q; use areas, goals, targets, commitments, terms or responsibilities", r.PathValue("kind"))
	}
	revText := strings.TrimSpace(r.URL.Query().Get("rev"))
	rev, err := strconv.ParseInt(revText, 10, 64)
	if err != nil || rev <= 0 {
		return strategy.Errorf(strategy.CodeInvalid, "query parameter \"rev\" is required: the object's rev as last read, got %q", revText)
	}
	ref := strategy.ObjectRef{Kind: kind.obj, Document: d.Key, Key: r.PathValue("obj")}
	if _, _, found := d.Lookup(ref); !found {
		return strategy.Errorf(strategy.CodeNotFound, "the document has no %s %q", kind.obj, ref.Key)
	}
	if _, err := s.st.EditDocument(r.Context(), deleteEdit(ref, rev)); err != nil {
		return s.apiEditFailed(w, r, err)
	}
	s.writeJSON(w, r, http.StatusOK, apiDeleted{Deleted: ref})
	return nil
}
