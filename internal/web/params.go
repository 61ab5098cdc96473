package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/inkludera/inkludera/internal/strategy"
)

// orgParam reads and checks the organisation code in the query parameter
// "org". Page messages are Swedish, API messages English (the API's
// readers are developers who read the parameter names anyway).
func orgParam(r *http.Request, swedish bool) (string, error) {
	code := strings.TrimSpace(r.URL.Query().Get("org"))
	switch {
	case code == "" && swedish:
		return "", strategy.Errorf(strategy.CodeInvalid, "Ange vilken organisation värdena ska visas för, till exempel ?org=2380.")
	case code == "":
		return "", strategy.Errorf(strategy.CodeInvalid, "query parameter \"org\" is required (an SCB code such as 2380)")
	case !strategy.ValidOrgCode(code) && swedish:
		return "", strategy.Errorf(strategy.CodeInvalid, "%q är ingen kommun-, läns- eller rikskod (fyra eller två siffror).", code)
	case !strategy.ValidOrgCode(code):
		return "", strategy.Errorf(strategy.CodeInvalid, "query parameter \"org\": %q is not a kommun, län or riket code (four or two digits)", code)
	}
	return code, nil
}

// yearParam reads an optional year query parameter; 0 means not given.
func yearParam(r *http.Request, name string) (int, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1000 || y > 9999 {
		return 0, strategy.Errorf(strategy.CodeInvalid, "query parameter %q must be a year (YYYY), got %q", name, s)
	}
	return y, nil
}

// notFoundAs replaces a store's not-found message by one for the page's
// readers and leaves other errors as they are.
func notFoundAs(err error, format string, args ...any) error {
	if strategy.CodeOf(err) == strategy.CodeNotFound {
		e := strategy.Errorf(strategy.CodeNotFound, format, args...)
		e.Err = err
		return e
	}
	return err
}

// Evaluation years outside this range are typing mistakes rather than
// follow-ups anyone makes; refusing them keeps "?ar=20025" from quietly
// judging every target as of a year no data reaches.
const (
	minEvaluationYear = 1900
	maxEvaluationYear = 2100
)

// evaluationYear reads the year target statuses are assessed as of from the
// query parameter name ("ar" on pages, "year" in the API). Without it the
// year is the server clock's. given tells whether the request chose a year,
// so that links can carry the choice on.
func (s *server) evaluationYear(r *http.Request, name string, swedish bool) (year int, given bool, err error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return s.now().Year(), false, nil
	}
	y, err := strconv.Atoi(v)
	// Atoi accepts signs; a year is exactly four digits.
	if err != nil || len(v) != 4 || v[0] < '0' || v[0] > '9' || y < minEvaluationYear || y > maxEvaluationYear {
		if swedish {
			// Quoted as typed, but as UTF-8: ?ar=%B1 is a byte that is none.
			return 0, false, strategy.Errorf(strategy.CodeInvalid,
				"Parametern ”%s” ska vara ett årtal med fyra siffror mellan %d och %d, till exempel ?%s=%d, inte ”%s”.",
				name, minEvaluationYear, maxEvaluationYear, name, s.now().Year(), strings.ToValidUTF8(v, "\uFFFD"))
		}
		return 0, false, strategy.Errorf(strategy.CodeInvalid,
			"query parameter %q must be a year (YYYY) between %d and %d, got %q", name, minEvaluationYear, maxEvaluationYear, v)
	}
	return y, true, nil
}
