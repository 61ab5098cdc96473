package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/inkludera/inkludera/internal/strategy"
)

// internalMessage is all a user learns of an internal error; the log gets
// the detail.
const internalMessage = "Internt fel"

// statusError carries an HTTP status that no strategy.ErrorCode expresses
// (405 for a known path asked with the wrong method).
type statusError struct {
	status  int
	code    string
	message string
	allow   string // Allow header for 405
	// authenticate is the WWW-Authenticate header of a 401.
	authenticate string
}

func (e *statusError) Error() string { return e.message }

// statusOf maps an error to its HTTP status, its code for the JSON body and
// the message a user may see.
func statusOf(err error) (status int, code, message string) {
	var se *statusError
	if errors.As(err, &se) {
		return se.status, se.code, se.message
	}
	c := strategy.CodeOf(err)
	message = err.Error()
	var e *strategy.Error
	if errors.As(err, &e) {
		message = e.Message // Err is for the log only
	}
	switch c {
	case strategy.CodeInvalid:
		status = http.StatusBadRequest
	case strategy.CodeNotFound:
		status = http.StatusNotFound
	case strategy.CodeConflict:
		status = http.StatusConflict
	case strategy.CodeUnauthorized:
		status = http.StatusUnauthorized
	case strategy.CodeForbidden:
		status = http.StatusForbidden
	default:
		return http.StatusInternalServerError, string(strategy.CodeInternal), internalMessage
	}
	return status, string(c), message
}

// adapt is the one adapter between handlers and net/http: it runs the
// handler, recovers a panic as an internal error, logs, and renders any
// error as the route's kind asks (Swedish HTML page or JSON).
func (s *server) adapt(rt route) http.Handler {
	handler := limitBody(rt, requireUTF8(rt, s.cache.handler(rt)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					err = strategy.Internal(fmt.Errorf("panic: %v", p), "handler panicked")
				}
			}()
			return handler(s, w, r)
		}()
		if err == nil {
			return
		}
		status, code, message := statusOf(err)
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", status, "code", code, "err", err.Error()}
		if status >= 500 {
			s.log.ErrorContext(r.Context(), "request failed", attrs...)
		} else {
			s.log.InfoContext(r.Context(), "request refused", attrs...)
		}
		var se *statusError
		if errors.As(err, &se) && se.allow != "" {
			w.Header().Set("Allow", se.allow)
		}
		if se != nil && se.authenticate != "" {
			w.Header().Set("WWW-Authenticate", se.authenticate)
		}
		// The public asking a page for what needs a user is sent to sign
		// in, and brought back afterwards (to the page, for a form post).
		if status == http.StatusUnauthorized && rt.kind == pageRoute {
			next := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				next = r.Referer()
				if u, err := url.Parse(next); err != nil || u.Host != r.Host {
					next = "/"
				} else {
					next = u.RequestURI()
				}
			}
			http.Redirect(w, r, signInURL(next), http.StatusSeeOther)
			return
		}
		if rt.kind == apiRoute {
			s.writeJSON(w, r, status, apiError{Code: code, Message: message})
			return
		}
		s.renderError(w, r, status, message)
	})
}

// apiError is the JSON body of every API error.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorPage is the data of the Swedish error page.
type errorPage struct {
	Title   string
	Status  int
	Message string
	Hint    string
}

func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	p := errorPage{Status: status, Message: message}
	switch status {
	case http.StatusNotFound:
		p.Title = "Sidan finns inte"
		p.Hint = "Kontrollera adressen eller gå till startsidan."
	case http.StatusBadRequest:
		p.Title = "Felaktig förfrågan"
	case http.StatusMethodNotAllowed:
		p.Title = "Metoden stöds inte"
	case http.StatusUnauthorized:
		p.Title = "Inloggning krävs"
	case http.StatusForbidden:
		p.Title = "Åtkomst nekad"
	case http.StatusConflict:
		p.Title = "Konflikt"
	case http.StatusRequestEntityTooLarge:
		p.Title = "För mycket data"
	case http.StatusRequestURITooLong:
		p.Title = "För lång adress"
	default:
		p.Title = "Något gick fel"
		p.Hint = "Försök igen om en stund."
	}
	if err := render(s, w, r, status, "error", p); err != nil {
		// The error page itself failed: say so plainly rather than nothing.
		s.log.ErrorContext(r.Context(), "rendering error page", "err", err.Error())
		http.Error(w, internalMessage, http.StatusInternalServerError)
	}
}
