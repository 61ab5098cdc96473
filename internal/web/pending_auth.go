package web

import "net/http"

// Handlers not written yet; each is replaced by its real file and this file deleted.
func (s *server) pageSignIn(w http.ResponseWriter, r *http.Request) error      { return errPending }
func (s *server) postSignIn(w http.ResponseWriter, r *http.Request) error      { return errPending }
func (s *server) startOIDC(w http.ResponseWriter, r *http.Request) error       { return errPending }
func (s *server) oidcCallback(w http.ResponseWriter, r *http.Request) error    { return errPending }
func (s *server) postSignOut(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) pageAccount(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) postCreateToken(w http.ResponseWriter, r *http.Request) error { return errPending }
func (s *server) postRevokeToken(w http.ResponseWriter, r *http.Request) error { return errPending }
func (s *server) pageHistory(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) pageUsers(w http.ResponseWriter, r *http.Request) error       { return errPending }
func (s *server) postCreateUser(w http.ResponseWriter, r *http.Request) error  { return errPending }
func (s *server) postUpdateUser(w http.ResponseWriter, r *http.Request) error  { return errPending }
func (s *server) apiAudit(w http.ResponseWriter, r *http.Request) error        { return errPending }

// errPending answers routes whose handler is not written yet.
var errPending = &statusError{status: http.StatusNotImplemented, code: "internal", message: "Inte klart än"}
