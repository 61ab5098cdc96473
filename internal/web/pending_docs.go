package web

import "net/http"

// Handlers not written yet; each is replaced by its real file and this file deleted.
func (s *server) pageNewDocument(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) postNewDocument(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) pageEditDocument(w http.ResponseWriter, r *http.Request) error    { return errPending }
func (s *server) postEditDocument(w http.ResponseWriter, r *http.Request) error    { return errPending }
func (s *server) postPublishDocument(w http.ResponseWriter, r *http.Request) error { return errPending }
func (s *server) pageEditObject(w http.ResponseWriter, r *http.Request) error      { return errPending }
func (s *server) postEditObject(w http.ResponseWriter, r *http.Request) error      { return errPending }
func (s *server) postDeleteObject(w http.ResponseWriter, r *http.Request) error    { return errPending }
func (s *server) pageEditIndicator(w http.ResponseWriter, r *http.Request) error   { return errPending }
func (s *server) postEditIndicator(w http.ResponseWriter, r *http.Request) error   { return errPending }
func (s *server) apiCreateDocument(w http.ResponseWriter, r *http.Request) error   { return errPending }
func (s *server) apiUpdateDocument(w http.ResponseWriter, r *http.Request) error   { return errPending }
func (s *server) apiPublishDocument(w http.ResponseWriter, r *http.Request) error  { return errPending }
func (s *server) apiPutObject(w http.ResponseWriter, r *http.Request) error        { return errPending }
func (s *server) apiDeleteObject(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) apiUpdateIndicator(w http.ResponseWriter, r *http.Request) error  { return errPending }
