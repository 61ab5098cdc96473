package web

import (
	"bytes"
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/planxlsx"
	"github.com/inkludera/inkludera/internal/strategy"
)

// maxPlanUpload bounds an uploaded plan: a plan of a few hundred rows is
// tens of kilobytes.
const maxPlanUpload = 5 << 20

// exportPlanXLSX handles GET /dokument/{doc}/planer/{plan}/plan.xlsx: the
// plan in the seed's table layout, for whoever may read the plan.
func (s *server) exportPlanXLSX(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPlan(r, r.PathValue("doc"), r.PathValue("plan"))
	if err != nil {
		return err
	}
	org, err := s.st.Organisation(r.Context(), p.doc.Org)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	meta := planxlsx.Meta{Organisation: org.Name, Body: p.bodyName(p.plan.Body), Document: p.doc.Title,
		GoalTitles: goalTitles(p.doc)}
	if err := planxlsx.Export(&buf, p.plan, meta); err != nil {
		return strategy.Internal(err, "exporting an action plan")
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	// Keys are a-z, 0-9, '.', '_' and '-', safe in a quoted filename.
	h.Set("Content-Disposition", `attachment; filename="`+p.doc.Key+"-"+p.plan.Key+`.xlsx"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

// postImportPlanXLSX handles POST /redigera/dokument/{doc}/planer/{plan}/import:
// the file's activities replace the plan's in one edit, or, when the file
// has any problem, nothing is stored and every problem is shown.
func (s *server) postImportPlanXLSX(w http.ResponseWriter, r *http.Request) error {
	p, err := s.editablePlan(r, r.PathValue("doc"), r.PathValue("plan"), auth.ActionWrite, planObject)
	if err != nil {
		return err
	}
	if err := s.checkUnlocked(r.Context(), p.doc.Org, p.plan.Body, p.plan.Year, p.bodies); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPlanUpload)
	refuse := func(status int, fileName string, problems ...string) error {
		page, err := s.planPageOf(r, p)
		if err != nil {
			return err
		}
		if fileName == "" {
			fileName = "filen"
		}
		page.Import = &planImportProblems{FileName: fileName, Problems: problems}
		return render(s, w, r, status, "plan", page)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return refuse(http.StatusRequestEntityTooLarge, "", "Filen är för stor. En aktivitetsplan får vara högst 5 MB.")
		}
		return refuse(http.StatusBadRequest, "", "Ingen fil kom fram. Välj en Excelfil (XLSX) och försök igen.")
	}
	defer r.MultipartForm.RemoveAll()
	rev, err := postedRev(r)
	if err != nil {
		return err
	}
	files := r.MultipartForm.File["fil"]
	switch {
	case len(files) == 0:
		return refuse(http.StatusUnprocessableEntity, "", "Välj en Excelfil (XLSX) att importera.")
	case len(files) > 1:
		return refuse(http.StatusUnprocessableEntity, "", "Ladda upp en fil i taget.")
	}
	fh := files[0]
	f, err := fh.Open()
	if err != nil {
		return strategy.Internal(err, "opening an uploaded plan")
	}
	defer f.Close()
	acts, err := planxlsx.Import(f)
	if err != nil {
		var ps planxlsx.Problems
		if !errors.As(err, &ps) {
			return strategy.Internal(err, "reading an uploaded plan")
		}
		msgs := make([]string, len(ps))
		for i, pr := range ps {
			msgs[i] = pr.Swedish
		}
		return refuse(http.StatusUnprocessableEntity, fh.Filename, msgs...)
	}
	if _, err := s.replaceActivities(r.Context(), p, acts, rev); err != nil {
		if isLockError(err) {
			return err
		}
		if vs, ok := storeProblems(err); ok {
			return refuse(http.StatusUnprocessableEntity, fh.Filename, importStoreProblems(err, acts, vs)...)
		}
		if strategy.CodeOf(err) == strategy.CodeConflict {
			fresh, ferr := s.readPlan(r, p.doc.Key, p.plan.Key)
			if ferr != nil {
				return ferr
			}
			p = fresh
			return refuse(http.StatusConflict, fh.Filename, "Någon annan har ändrat planen sedan du öppnade sidan, så inget har sparats. Sidan visar nu planen som den är sparad; ladda upp filen igen om den fortfarande ska ersätta aktiviteterna.")
		}
		return err
	}
	return seeOther(w, r, planURL(p.doc.Key, p.plan.Key)+"?sparat=import")
}

// activityPath finds the activity a validation path of a plan is about.
var activityPath = regexp.MustCompile(`activities\[(\d+)\]`)

// importStoreProblems names the document's problems with the file's
// activities by their place in the file: the n-th activity is the n-th row
// under the header.
func importStoreProblems(err error, acts []strategy.Activity, ps inputProblems) []string {
	var v strategy.ValidationErrors
	errors.As(err, &v)
	out := make([]string, 0, len(v))
	for i, e := range v {
		msg := ps[i].Swedish
		if m := activityPath.FindStringSubmatch(e.Path); m != nil {
			if n, _ := strconv.Atoi(m[1]); n < len(acts) {
				msg = "Aktivitet " + strconv.Itoa(n+1) + " i filen (”" + acts[n].Title + "”): " + msg
			}
		}
		out = append(out, msg)
	}
	return out
}
