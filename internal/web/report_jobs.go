package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reportfiles"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Report jobs: a follow-up report is built and rendered in every format in
// the background, because the PDF alone can take seconds, while the page
// of the job reloads itself to show how far it has come. Jobs live in the
// server's memory only: a draft report is not stored until it is
// approved, and then exactly the files of the job are (ApproveReport).

const (
	// maxRunningReportJobs is how many reports one user may have in the
	// making at once: a few, so that a double click does no harm, but not
	// so many that one user keeps the server busy.
	maxRunningReportJobs = 3
	// maxKeptReportJobs bounds the finished jobs kept per user: each holds
	// every file of a report in memory. The oldest finished one goes first.
	maxKeptReportJobs = 10
	// reportJobLifetime is how long a finished job, and its files, is kept
	// for its page and its downloads. Expired jobs are dropped whenever the
	// jobs are next looked at, which every report page does.
	reportJobLifetime = time.Hour
	// reportJobRefreshSeconds is how often the page of a running job
	// reloads itself.
	reportJobRefreshSeconds = 1
)

// Why a job could not be started.
var (
	errTooManyReportJobs = errors.New("too many report jobs running for the user")
	errReportJobsClosed  = errors.New("the server is shutting down")
)

// reportRequest is what a report is made of: the organisation's document,
// the follow-up year and, for a deep follow-up, the first year.
type reportRequest struct {
	Org      string
	Document string
	// DocumentTitle names the report on the pages before it is built.
	DocumentTitle string
	Year          int
	Since         int
	// Today is the report's date, the server's day when it was asked for.
	Today strategy.Date
}

// heading is the report's title as report.Heading writes it, from the
// request alone.
func (q reportRequest) heading() string {
	return report.Heading(&report.FollowUp{Year: q.Year, Since: q.Since, Document: report.Document{Title: q.DocumentTitle}})
}

// reportJob is one report in the making or made. The fields below mu in
// reportJobs change while it runs and are read under that lock.
type reportJob struct {
	id      string
	owner   int64          // the user who started it, the only one who sees it
	actor   strategy.Actor // who asked, for the logs and the job's context
	req     reportRequest
	started time.Time // by the jobs' clock

	step, total int
	stepText    string    // "Skapar PDF"
	finished    time.Time // zero while running
	followUp    *report.FollowUp
	files       []strategy.ReportFile
	err         error

	// approving serialises approvals of the job, so that a form posted
	// twice stores one version; approvalID is the version it became.
	approving  sync.Mutex
	approvalID int64
}

// reportJobState is a snapshot of a job for a page, taken under the lock.
type reportJobState struct {
	ID          string
	Owner       int64
	Req         reportRequest
	Started     time.Time
	Step, Total int
	StepText    string
	Finished    time.Time
	FollowUp    *report.FollowUp
	Files       []strategy.ReportFile
	Err         error
	ApprovalID  int64
}

// Done reports whether the job has ended, well or not.
func (st reportJobState) Done() bool { return !st.Finished.IsZero() }

// reportJobs are the server's report jobs.
type reportJobs struct {
	// ctx ends when the handler is closed, which cancels running jobs.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// now is the jobs' clock for their lifetime: the real one, also in
	// tests, where the server's clock is fixed to judge targets.
	now func() time.Time
	// beforeStep, when set, is called in a job's goroutine before each
	// step (1 is building the report, 2… rendering a format). Tests set it
	// to hold a job at a step; it must return when ctx ends.
	beforeStep func(ctx context.Context, jobID string, step int)

	mu     sync.Mutex
	closed bool
	jobs   map[string]*reportJob
}

func newReportJobs() *reportJobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &reportJobs{ctx: ctx, cancel: cancel, now: time.Now, jobs: map[string]*reportJob{}}
}

// reportJobSteps is how many steps a job takes: building the report, then
// one per format.
func reportJobSteps() int { return 1 + len(reportfiles.Formats) }

// start starts a job for the user that builds and renders the report
// asked for, and returns its id: random and unguessable, since the id is
// the address of the job's page. It refuses when the user already has
// maxRunningReportJobs running or the handler is closed.
func (js *reportJobs) start(s *server, owner int64, actor strategy.Actor, req reportRequest) (string, error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.closed {
		return "", errReportJobsClosed
	}
	now := js.now()
	js.forgetExpired(now)
	var running int
	var finished []*reportJob
	for _, j := range js.jobs {
		switch {
		case j.owner != owner:
		case j.finished.IsZero():
			running++
		default:
			finished = append(finished, j)
		}
	}
	if running >= maxRunningReportJobs {
		return "", errTooManyReportJobs
	}
	// Room for the new job among the user's kept ones: the oldest
	// finished jobs are forgotten first.
	slices.SortFunc(finished, func(a, b *reportJob) int { return a.finished.Compare(b.finished) })
	for i := 0; running+len(finished)-i >= maxKeptReportJobs && i < len(finished); i++ {
		delete(js.jobs, finished[i].id)
	}
	job := &reportJob{id: rand.Text(), owner: owner, actor: actor, req: req, started: now,
		total: reportJobSteps(), step: 1, stepText: "Hämtar uppgifterna och bedömer målen"}
	js.jobs[job.id] = job
	// The job runs in the handler's context, not the request's, which
	// ends with the redirect; the actor goes with it.
	ctx := strategy.WithActor(js.ctx, actor)
	js.wg.Go(func() { js.run(ctx, s, job) })
	return job.id, nil
}

// run builds the report and renders every format, recording each step.
func (js *reportJobs) run(ctx context.Context, s *server, job *reportJob) {
	began := time.Now()
	var (
		f     *report.FollowUp
		files []strategy.ReportFile
		err   error
	)
	func() {
		// A renderer's panic fails the job instead of the whole server.
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		js.hold(ctx, job, 1)
		q := job.req
		f, err = report.Build(ctx, s.st, q.Org, q.Document, q.Year, q.Since, q.Today)
		if err != nil {
			return
		}
		files, err = reportfiles.RenderAll(f, func(done, _ int, next reportfiles.Format) {
			js.setStep(job, done+2, "Skapar "+next.Label)
			js.hold(ctx, job, done+2)
		})
	}()
	// Rendering does not watch the context, and a store read cut short
	// fails in its own words: a shutdown meanwhile ends the job as
	// cancelled either way.
	if ctx.Err() != nil {
		err = errors.Join(ctx.Err(), err)
	}
	attrs := []any{"org", job.req.Org, "document", job.req.Document, "year", job.req.Year, "since", job.req.Since,
		"user", job.actor.UserID, "duration", time.Since(began).String()}
	if err != nil {
		f, files = nil, nil
		s.log.Warn("report job failed", append(attrs, "err", err.Error())...)
	} else {
		s.log.Info("report job finished", append(attrs, "files", len(files))...)
	}
	js.mu.Lock()
	job.finished, job.followUp, job.files, job.err = js.now(), f, files, err
	job.step = job.total
	js.mu.Unlock()
}

func (js *reportJobs) setStep(job *reportJob, step int, text string) {
	js.mu.Lock()
	job.step, job.stepText = step, text
	js.mu.Unlock()
}

func (js *reportJobs) hold(ctx context.Context, job *reportJob, step int) {
	if js.beforeStep != nil {
		js.beforeStep(ctx, job.id, step)
	}
}

// forgetExpired drops the jobs that finished more than reportJobLifetime
// ago. Call it with mu held.
func (js *reportJobs) forgetExpired(now time.Time) {
	for id, j := range js.jobs {
		if !j.finished.IsZero() && now.Sub(j.finished) > reportJobLifetime {
			delete(js.jobs, id)
		}
	}
}

// lookup returns the job with the id if it exists and is owner's; ok is
// false otherwise, so that another's job looks like none at all.
func (js *reportJobs) lookup(id string, owner int64) (job *reportJob, st reportJobState, ok bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.forgetExpired(js.now())
	job, found := js.jobs[id]
	if !found || owner == 0 || job.owner != owner {
		return nil, reportJobState{}, false
	}
	return job, js.stateOf(job), true
}

// ofUser lists the owner's jobs of an organisation, newest first.
func (js *reportJobs) ofUser(owner int64, org string) []reportJobState {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.forgetExpired(js.now())
	var out []reportJobState
	for _, j := range js.jobs {
		if j.owner == owner && j.req.Org == org {
			out = append(out, js.stateOf(j))
		}
	}
	slices.SortFunc(out, func(a, b reportJobState) int { return b.Started.Compare(a.Started) })
	return out
}

func (js *reportJobs) stateOf(j *reportJob) reportJobState {
	return reportJobState{ID: j.id, Owner: j.owner, Req: j.req, Started: j.started, Step: j.step, Total: j.total,
		StepText: j.stepText, Finished: j.finished, FollowUp: j.followUp, Files: j.files, Err: j.err, ApprovalID: j.approvalID}
}

// setApproved records the approval the job's files became.
func (js *reportJobs) setApproved(job *reportJob, id int64) {
	js.mu.Lock()
	job.approvalID = id
	js.mu.Unlock()
}

// close cancels the running jobs and waits for them to end, so that the
// store can be closed after it.
func (js *reportJobs) close() {
	js.mu.Lock()
	js.closed = true
	js.mu.Unlock()
	js.cancel()
	js.wg.Wait()
}

// reportJobFailure is why a job failed, as its page says it in Swedish;
// the log has the detail.
func reportJobFailure(err error) string {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "Rapporten avbröts eftersom servern startades om medan den skapades."
	case strategy.CodeOf(err) == strategy.CodeNotFound:
		return "Organisationen eller styrdokumentet finns inte längre, så rapporten kunde inte skapas."
	case strategy.CodeOf(err) == strategy.CodeInvalid:
		return "Rapporten kunde inte skapas för de år som valdes. Kontrollera året och året för fördjupad uppföljning."
	}
	return "Rapporten kunde inte skapas på grund av ett internt fel. Försök igen om en stund; kvarstår felet, kontakta en administratör."
}

// stepLine is the progress of a running job in words: "Steg 3 av 6:
// Skapar PDF …".
func (st reportJobState) stepLine() string {
	return "Steg " + strconv.Itoa(st.Step) + " av " + strconv.Itoa(st.Total) + ": " + st.StepText + " …"
}
