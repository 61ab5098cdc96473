// Package followup reminds bodies of their follow-up deadlines by e-mail.
// Due decides, as a pure function, who is to be reminded of what on a
// day; Send writes the Swedish messages, sends them and records each, so
// that nobody is reminded of the same deadline twice on one day;
// RunReminders does that for every organisation at an interval, for serve.
package followup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Sweden's calendar on hosts without a zone database

	"github.com/inkludera/inkludera/internal/mail"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Store is what reminders read and write; strategy.Store has it all.
type Store interface {
	ListOrganisations(ctx context.Context) ([]strategy.Organisation, error)
	Bodies(ctx context.Context, orgCode string) ([]strategy.Body, error)
	ListUsers(ctx context.Context) ([]strategy.User, error)
	FollowUpPeriods(ctx context.Context, org string) ([]strategy.FollowUpPeriod, error)
	Reminders(ctx context.Context, periodID int64) ([]strategy.Reminder, error)
	RecordReminder(ctx context.Context, r strategy.Reminder) error
}

// WindowDays is how many days before its due date a body is first
// reminded; it is reminded every day after that until it has reported.
const WindowDays = 7

// Recipient is someone to remind, and why them.
type Recipient struct {
	Name  string
	Email string
	// Stand-in is set when the body has no active nämndredaktör, so the
	// organisation's samordnare is reminded instead.
	StandIn bool
}

// Reminder is one body's deadline that one person is to be reminded of.
type Reminder struct {
	Period   strategy.FollowUpPeriod
	Body     string
	BodyName string
	Due      strategy.Date
	// DaysLate is how many days the due date has passed; 0 when it has not.
	DaysLate int
	To       Recipient
}

// Due lists who is to be reminded of what on the day of now: every
// deadline of p that is neither reported nor approved and is due within
// WindowDays days or already passed, for each active nämndredaktör of the
// body — or, when it has none, each active samordnare of the organisation
// — who has not been reminded of it on that day according to sent. The
// order is the deadlines' (then the users' by e-mail).
func Due(now time.Time, p strategy.FollowUpPeriod, bodies []strategy.Body, users []strategy.User, sent []strategy.Reminder) []Reminder {
	today := strategy.DateOf(now)
	horizon := strategy.DateOf(now.AddDate(0, 0, WindowDays))
	users = slices.Clone(users)
	slices.SortFunc(users, func(a, b strategy.User) int { return cmp.Compare(strings.ToLower(a.Email), strings.ToLower(b.Email)) })
	remindedToday := map[string]bool{}
	for _, r := range sent {
		if r.PeriodID == p.ID && strategy.DateOf(r.SentAt.In(now.Location())) == today {
			remindedToday[r.Body+"\x00"+strings.ToLower(r.Email)] = true
		}
	}
	var out []Reminder
	for _, d := range p.Deadlines {
		if !d.Reported.IsZero() || !d.Approved.IsZero() || d.Due.IsZero() || horizon.Before(d.Due) {
			continue
		}
		base := Reminder{Period: p, Body: d.Body, BodyName: bodyName(bodies, d.Body), Due: d.Due, DaysLate: DaysAfter(d.Due, today)}
		to := recipients(users, p.Org, d.Body)
		for _, rc := range to {
			if remindedToday[d.Body+"\x00"+strings.ToLower(rc.Email)] {
				continue
			}
			r := base
			r.To = rc
			out = append(out, r)
		}
	}
	return out
}

// recipients are the body's active nämndredaktörer, or the organisation's
// active samordnare when there are none.
func recipients(users []strategy.User, org, body string) []Recipient {
	var editors, coordinators []Recipient
	for _, u := range users {
		if u.Disabled || u.Org != org || u.Email == "" {
			continue
		}
		switch {
		case u.Role == strategy.RoleEditor && u.Body == body:
			editors = append(editors, Recipient{Name: u.Name, Email: u.Email})
		case u.Role == strategy.RoleCoordinator:
			coordinators = append(coordinators, Recipient{Name: u.Name, Email: u.Email, StandIn: true})
		}
	}
	if len(editors) > 0 {
		return editors
	}
	return coordinators
}

func bodyName(bodies []strategy.Body, key string) string {
	for _, b := range bodies {
		if b.Key == key {
			return b.Name
		}
	}
	return key
}

// DaysAfter is how many days to comes after from; 0 when it does not.
func DaysAfter(from, to strategy.Date) int {
	a := time.Date(from.Year, from.Month, from.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(to.Year, to.Month, to.Day, 12, 0, 0, 0, time.UTC)
	return max(0, int(b.Sub(a).Hours()/24+0.5))
}

// Message is the e-mail to one person about their reminders (all of one
// period, all to them): one message per person, so that an address the
// server refuses holds up nobody else's.
func Message(baseURL string, orgName string, rs []Reminder) mail.Message {
	first := rs[0]
	p := first.Period
	names := make([]string, len(rs))
	earliest := first.Due
	for i, r := range rs {
		names[i] = r.BodyName
		if r.Due.Before(earliest) {
			earliest = r.Due
		}
	}
	year := strconv.Itoa(p.Year)
	link := strings.TrimRight(baseURL, "/") + "/uppfoljning/" + strconv.FormatInt(p.ID, 10)

	var b strings.Builder
	greeting := "Hej"
	if first.To.Name != "" {
		greeting += " " + first.To.Name
	}
	b.WriteString(greeting + "!\n\n")
	fmt.Fprintf(&b, "Det här är en påminnelse om uppföljningen ”%s” i Inkludera. ", p.Title)
	fmt.Fprintf(&b, "Uppföljningen av aktivitetsplanerna för %s ska rapporteras av:\n\n", year)
	for _, r := range rs {
		fmt.Fprintf(&b, "– %s senast %s", r.BodyName, r.Due)
		switch {
		case r.DaysLate == 1:
			b.WriteString(": sista dagen har passerat, rapporten är 1 dag sen")
		case r.DaysLate > 1:
			fmt.Fprintf(&b, ": sista dagen har passerat, rapporten är %d dagar sen", r.DaysLate)
		default:
			b.WriteString(": inte rapporterad ännu")
		}
		b.WriteString(".\n")
	}
	b.WriteString("\nGå igenom planens aktiviteter, uppdatera status och anteckningar och markera sedan uppföljningen som rapporterad på sidan\n")
	b.WriteString(link + "\n\n")
	if first.To.StandIn {
		fmt.Fprintf(&b, "Du får påminnelsen som samordnare i %s, eftersom %s saknar nämndredaktör i Inkludera.\n", orgName, joinSV(names))
	} else {
		fmt.Fprintf(&b, "Du får påminnelsen som nämndredaktör för %s.\n", joinSV(names))
	}
	b.WriteString("Meddelandet skickas automatiskt av Inkludera, högst en gång om dagen tills uppföljningen är rapporterad. Svara inte på det.\n")

	return mail.Message{
		To:      []string{recipientAddress(first.To)},
		Subject: "Påminnelse: uppföljning " + year + " för " + joinSV(names) + " senast " + earliest.String(),
		Body:    b.String(),
	}
}

// recipientAddress is "Name <email>", or the bare address when the name
// would need quoting that some servers mangle.
func recipientAddress(r Recipient) string {
	if r.Name == "" || strings.ContainsAny(r.Name, "\"<>,;\\@") {
		return r.Email
	}
	return r.Name + " <" + r.Email + ">"
}

// joinSV joins names as Swedish does: "a, b och c".
func joinSV(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " och " + parts[len(parts)-1]
}

// Outcome is what one round of reminders did.
type Outcome struct {
	// Sent is the number of messages the server accepted.
	Sent int
	// Reminded are the recipients of those messages.
	Reminded []string
	// Failed are the addresses whose message could not be sent; they are
	// not recorded, so a later round tries again.
	Failed []string
}

func (o *Outcome) add(p Outcome) {
	o.Sent += p.Sent
	o.Reminded = append(o.Reminded, p.Reminded...)
	o.Failed = append(o.Failed, p.Failed...)
}

// Send reminds, on the day of now, everyone Due for the period, one
// message per person, and records a strategy.Reminder per body and person
// whose message the server accepted. A message that fails is left
// unrecorded and the others are still sent; the error joins the failures.
func Send(ctx context.Context, st Store, sender mail.Sender, baseURL string, now time.Time, p strategy.FollowUpPeriod) (Outcome, error) {
	var out Outcome
	bodies, err := st.Bodies(ctx, p.Org)
	if err != nil {
		return out, err
	}
	users, err := st.ListUsers(ctx)
	if err != nil {
		return out, err
	}
	sent, err := st.Reminders(ctx, p.ID)
	if err != nil {
		return out, err
	}
	due := Due(now, p, bodies, users, sent)
	if len(due) == 0 {
		return out, nil
	}
	orgName := p.Org
	if orgs, err := st.ListOrganisations(ctx); err == nil {
		for _, o := range orgs {
			if o.Code == p.Org {
				orgName = o.Name
			}
		}
	}
	// One message per person, in the order they first come.
	var order []string
	byEmail := map[string][]Reminder{}
	for _, r := range due {
		k := strings.ToLower(r.To.Email)
		if _, ok := byEmail[k]; !ok {
			order = append(order, k)
		}
		byEmail[k] = append(byEmail[k], r)
	}
	var errs []error
	for _, k := range order {
		rs := byEmail[k]
		if err := sender.Send(ctx, Message(baseURL, orgName, rs)); err != nil {
			out.Failed = append(out.Failed, rs[0].To.Email)
			errs = append(errs, fmt.Errorf("reminding %s: %w", rs[0].To.Email, err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		out.Sent++
		out.Reminded = append(out.Reminded, rs[0].To.Email)
		// A message sent is recorded even when ctx ends meanwhile (serve
		// shutting down), or the next round would send it again.
		recordCtx := context.WithoutCancel(ctx)
		for _, r := range rs {
			rec := strategy.Reminder{PeriodID: p.ID, Body: r.Body, Email: r.To.Email, SentAt: now}
			if err := st.RecordReminder(recordCtx, rec); err != nil {
				errs = append(errs, fmt.Errorf("recording the reminder to %s: %w", r.To.Email, err))
			}
		}
	}
	return out, errors.Join(errs...)
}

// SendAll runs Send for every period of every organisation that has a
// deadline to remind of.
func SendAll(ctx context.Context, st Store, sender mail.Sender, baseURL string, now time.Time) (Outcome, error) {
	var out Outcome
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return out, err
	}
	var errs []error
	for _, o := range orgs {
		periods, err := st.FollowUpPeriods(ctx, o.Code)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, p := range periods {
			got, err := Send(ctx, st, sender, baseURL, now, p)
			out.add(got)
			if err != nil {
				errs = append(errs, fmt.Errorf("period %d (%s): %w", p.ID, o.Code, err))
			}
		}
	}
	return out, errors.Join(errs...)
}

// Sweden is the zone whose calendar deadlines are days of (the store
// reads "today" there too), whatever the server's zone.
var Sweden = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.Local
	}
	return loc
})

// DefaultInterval is how often serve looks for reminders to send: the
// once-a-day record keeps a shorter interval from sending more.
const DefaultInterval = time.Hour

// RunReminders sends the reminders that are due now and then every
// interval (DefaultInterval when not positive) until ctx ends, logging
// what it did. The audit trail records the reminders as the system's.
func RunReminders(ctx context.Context, st Store, sender mail.Sender, baseURL string, every time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if every <= 0 {
		every = DefaultInterval
	}
	ctx = strategy.WithActor(ctx, strategy.Actor{Name: "påminnelser", Via: "system"})
	round := func() {
		out, err := SendAll(ctx, st, sender, baseURL, time.Now().In(Sweden()))
		if out.Sent > 0 || len(out.Failed) > 0 {
			log.InfoContext(ctx, "follow-up reminders sent", "sent", out.Sent, "failed", len(out.Failed))
		}
		if err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "follow-up reminders", "err", err.Error())
		}
	}
	round()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			round()
		}
	}
}
