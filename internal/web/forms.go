package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// formErrors are the problems of a submitted form: Swedish messages by
// input name, shown beside the field, and messages for the form as a whole.
type formErrors struct {
	Fields  map[string]string
	General []string
}

// Any reports whether there is a problem at all.
func (f *formErrors) Any() bool { return f != nil && (len(f.Fields) > 0 || len(f.General) > 0) }

// Field is the message for an input, "" when it has none.
func (f *formErrors) Field(name string) string {
	if f == nil {
		return ""
	}
	return f.Fields[name]
}

// Add records a message for an input (the first one wins: it is usually
// the most basic, "Ange …").
func (f *formErrors) Add(field, msg string) {
	if f.Fields == nil {
		f.Fields = map[string]string{}
	}
	if _, ok := f.Fields[field]; !ok {
		f.Fields[field] = msg
	}
}

// conflictMessage is what an editor sees when someone else saved the same
// object after they opened the form.
const conflictMessage = "Någon annan har ändrat det här sedan du öppnade formuläret. Dina ändringar har inte sparats. Formuläret visar nu det som är sparat; gör om din ändring och spara igen."

// fieldOfPath maps a validation path in the strategy-file vocabulary to
// the input name of the edited object's form: the part after the last list
// index ("document.areas[1].goals[0].targets[2].value" → "value"), or after
// "document." for the document's own fields ("document.adopted.on" →
// "adopted.on"). An element of a list field is the list's input
// ("…commitments[0].bodies[1]" → "bodies").
func fieldOfPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			path = path[:i]
		}
	}
	if i := strings.LastIndex(path, "]."); i >= 0 {
		return path[i+2:]
	}
	return strings.TrimPrefix(path, "document.")
}

// editProblems turns the error of a store edit into what the form shows:
// validation problems beside their fields (known names that the form has
// an input for; the rest as general messages), a conflict as the conflict
// message. ok is false for any other error, which the caller returns.
func editProblems(err error, inputs map[string]bool) (fe *formErrors, status int, ok bool) {
	fe = &formErrors{}
	var v strategy.ValidationErrors
	switch {
	case errors.As(err, &v):
		for _, e := range v {
			msg := swedishMessage(e)
			if f := fieldOfPath(e.Path); inputs[f] {
				fe.Add(f, msg)
			} else {
				fe.General = append(fe.General, msg)
			}
		}
		return fe, http.StatusUnprocessableEntity, true
	case strategy.CodeOf(err) == strategy.CodeConflict:
		fe.General = append(fe.General, conflictMessage)
		return fe, http.StatusConflict, true
	}
	return nil, 0, false
}

// swedishMessage is a validation problem as the UI says it: the domain's
// Swedish sentence, or its English message when a problem has none.
func swedishMessage(e strategy.FieldError) string {
	if e.Svenska != "" {
		return e.Svenska
	}
	return e.Message
}
