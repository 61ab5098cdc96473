package web

import "net/http"

// Handlers not written yet; each is replaced by its real file and this file deleted.
func (s *server) pagePlans(w http.ResponseWriter, r *http.Request) error          { return errPending }
func (s *server) pagePlan(w http.ResponseWriter, r *http.Request) error           { return errPending }
func (s *server) exportPlanXLSX(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) pageEditPlan(w http.ResponseWriter, r *http.Request) error       { return errPending }
func (s *server) postEditPlan(w http.ResponseWriter, r *http.Request) error       { return errPending }
func (s *server) postDecidePlan(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) postImportPlanXLSX(w http.ResponseWriter, r *http.Request) error { return errPending }
func (s *server) pageEditActivity(w http.ResponseWriter, r *http.Request) error   { return errPending }
func (s *server) postEditActivity(w http.ResponseWriter, r *http.Request) error   { return errPending }
func (s *server) postDeleteActivity(w http.ResponseWriter, r *http.Request) error { return errPending }
func (s *server) postAddNote(w http.ResponseWriter, r *http.Request) error        { return errPending }
func (s *server) pageFollowUp(w http.ResponseWriter, r *http.Request) error       { return errPending }
func (s *server) pageNewPeriod(w http.ResponseWriter, r *http.Request) error      { return errPending }
func (s *server) postNewPeriod(w http.ResponseWriter, r *http.Request) error      { return errPending }
func (s *server) pagePeriod(w http.ResponseWriter, r *http.Request) error         { return errPending }
func (s *server) postEditPeriod(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) postRemind(w http.ResponseWriter, r *http.Request) error         { return errPending }
func (s *server) postDeadlineStep(w http.ResponseWriter, r *http.Request) error   { return errPending }
func (s *server) pageAllocation(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) postSaveAllocation(w http.ResponseWriter, r *http.Request) error { return errPending }
func (s *server) apiPutPlan(w http.ResponseWriter, r *http.Request) error         { return errPending }
func (s *server) apiDecidePlan(w http.ResponseWriter, r *http.Request) error      { return errPending }
func (s *server) apiPutActivity(w http.ResponseWriter, r *http.Request) error     { return errPending }
func (s *server) apiDeleteActivity(w http.ResponseWriter, r *http.Request) error  { return errPending }
func (s *server) apiAddNote(w http.ResponseWriter, r *http.Request) error         { return errPending }
func (s *server) apiPeriods(w http.ResponseWriter, r *http.Request) error         { return errPending }
func (s *server) apiCreatePeriod(w http.ResponseWriter, r *http.Request) error    { return errPending }
func (s *server) apiUpdatePeriod(w http.ResponseWriter, r *http.Request) error    { return errPending }
func (s *server) apiDeadlineStep(w http.ResponseWriter, r *http.Request) error    { return errPending }
