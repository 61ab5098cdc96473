package strategy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrorCode classifies an Error so that every layer can map it the same way:
// the web adapter to an HTTP status, the CLI to an exit code.
type ErrorCode string

// The error codes. Users see the message of every code but CodeInternal,
// which is shown as "internt fel" while the detail goes to the log.
const (
	CodeInvalid      ErrorCode = "invalid"
	CodeNotFound     ErrorCode = "not_found"
	CodeConflict     ErrorCode = "conflict"
	CodeUnauthorized ErrorCode = "unauthorized"
	CodeForbidden    ErrorCode = "forbidden"
	CodeInternal     ErrorCode = "internal"
)

// Error is the error type the domain and the stores return. Message is safe
// to show to a user; Err, when set, is the underlying cause for logs.
type Error struct {
	Code    ErrorCode
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure; its message is not shown to users.
func Internal(err error, what string) *Error {
	return &Error{Code: CodeInternal, Message: what, Err: err}
}

// CodeOf returns the code of the first *Error in err's chain, or
// CodeInternal for any other non-nil error.
func CodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var v ValidationErrors
	if errors.As(err, &v) {
		return CodeInvalid
	}
	return CodeInternal
}

// FieldError is one validation problem. Path names the field in the
// strategy-file vocabulary, e.g. "document.areas[1].goals[0].targets[2].value",
// so that a file decoder can point at the line that holds it.
//
// Message is English, for the CLI, files and logs, and reads after the
// path ("title: is required"). Svenska is the same problem for the web UI:
// a whole sentence in plain Swedish that stands on its own beside the form
// field the path names ("Ange en titel."), so it never repeats the path.
// Every FieldError the domain produces has both.
type FieldError struct {
	Path    string
	Message string
	Svenska string
}

func (e FieldError) Error() string { return e.Path + ": " + e.Message }

// ValidationErrors lists every problem found, not just the first.
type ValidationErrors []FieldError

func (v ValidationErrors) Error() string {
	msgs := make([]string, len(v))
	for i, e := range v {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// ByPath groups the problems by path, in order, for a form that shows each
// field's problems beside it (FieldError.Svenska).
func (v ValidationErrors) ByPath() map[string][]FieldError {
	m := make(map[string][]FieldError, len(v))
	for _, e := range v {
		m[e.Path] = append(m[e.Path], e)
	}
	return m
}

// problems collects FieldErrors under a path while validating. The path is
// kept as a chain of steps and only spelt out when a problem is added:
// formatting it for every observation of a large import was a noticeable
// share of the import's time.
//
// at and index take a pointer so that a step made in a loop (one per
// observation) points at its parent where it lives instead of at a copy on
// the heap; a problems value must therefore not be reassigned while steps
// made from it are in use.
type problems struct {
	list   *ValidationErrors
	parent *problems
	field  string
	pos    int // -1: not a list element
}

func newProblems(root string) problems {
	return problems{list: new(ValidationErrors), field: root, pos: -1}
}

func (p *problems) at(field string) problems {
	return problems{list: p.list, parent: p, field: field, pos: -1}
}

func (p *problems) index(field string, i int) problems {
	return problems{list: p.list, parent: p, field: field, pos: i}
}

// path spells out the chain: "document.areas[1].goals[0]".
func (p *problems) path() string {
	var prefix string
	if p.parent != nil {
		prefix = p.parent.path()
	}
	step := p.field
	if p.pos >= 0 {
		step = p.field + "[" + strconv.Itoa(p.pos) + "]"
	}
	switch {
	case prefix == "":
		return step
	case step == "":
		return prefix
	}
	return prefix + "." + step
}

// add records a problem with field (a step below p, or p itself for "").
// sv is the Swedish sentence for the web UI, already formatted (callers
// use fmt.Sprintf when it shows a value: this runs only for a problem);
// format and args make the English message.
func (p problems) add(field, sv, format string, args ...any) {
	p.put(field, sv, fmt.Sprintf(format, args...))
}

// put records a problem whose messages are both formatted.
func (p problems) put(field, sv, en string) {
	q := p
	if field != "" {
		q = p.at(field)
	}
	*p.list = append(*p.list, FieldError{Path: q.path(), Message: en, Svenska: sv})
}

func (p problems) err() error {
	if len(*p.list) == 0 {
		return nil
	}
	return *p.list
}
