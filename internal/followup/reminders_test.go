package followup

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/mail"
	"github.com/inkludera/inkludera/internal/mail/mailtest"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

func date(s string) strategy.Date {
	d, err := strategy.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at is a moment of a day in Sweden.
func at(day string, hour int) time.Time {
	d := date(day)
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, Sweden())
}

var (
	bodies = []strategy.Body{
		{Key: "kf", Name: "Kommunfullmäktige", Kind: strategy.BodyCouncil},
		{Key: "ks", Name: "Kommunstyrelsen", Kind: strategy.BodyBoard},
		{Key: "amn", Name: "Arbetsmarknadsnämnden", Kind: strategy.BodyCommittee},
		{Key: "klf", Name: "Kommunledningsförvaltningen", Kind: strategy.BodyAdministration},
		{Key: "bun", Name: "Barn- och utbildningsnämnden", Kind: strategy.BodyCommittee},
	}
	ebba   = strategy.User{Email: "ebba.ks@stromsund.se", Name: "Ebba Redaktör", Role: strategy.RoleEditor, Org: "2313", Body: "ks"}
	gunnar = strategy.User{Email: "gunnar.ks@stromsund.se", Name: "Gunnar Slutat", Role: strategy.RoleEditor, Org: "2313", Body: "ks", Disabled: true}
	sam    = strategy.User{Email: "sam.samordnare@stromsund.se", Name: "Sam Samordnare", Role: strategy.RoleCoordinator, Org: "2313"}
	lisa   = strategy.User{Email: "lisa.lasare@stromsund.se", Name: "Lisa Läsare", Role: strategy.RoleReader, Org: "2313"}
	olle   = strategy.User{Email: "olle.ks@ostersund.se", Name: "Olle Redaktör", Role: strategy.RoleEditor, Org: "2380", Body: "ks"}
	bea    = strategy.User{Email: "bea.bun@stromsund.se", Name: "Bea Redaktör", Role: strategy.RoleEditor, Org: "2313", Body: "bun"}
	ada    = strategy.User{Email: "ada.admin@example.se", Name: "Ada Admin", Role: strategy.RoleAdmin}
)

// TestDue decides who is reminded of what, without sending anything.
func TestDue(t *testing.T) {
	now := at("2026-03-15", 10)
	users := []strategy.User{ebba, gunnar, sam, lisa, olle, bea, ada}
	reported := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	period := strategy.FollowUpPeriod{ID: 7, Org: "2313", Year: 2026, Title: "Uppföljning 2026"}
	tests := []struct {
		name     string
		deadline strategy.BodyDeadline
		sent     []strategy.Reminder
		want     []string // "email days-late"
	}{
		{"due in three days: the body's active editors", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-18")},
			nil, []string{"ebba.ks@stromsund.se 0"}},
		{"due in seven days", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-22")}, nil, []string{"ebba.ks@stromsund.se 0"}},
		{"due in eight days: not yet", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-23")}, nil, nil},
		{"due today", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-15")}, nil, []string{"ebba.ks@stromsund.se 0"}},
		{"late: still reminded", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-01")}, nil, []string{"ebba.ks@stromsund.se 14"}},
		{"no editor: the samordnare", strategy.BodyDeadline{Body: "amn", Due: date("2026-03-20")}, nil, []string{"sam.samordnare@stromsund.se 0"}},
		{"reported", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-20"), Reported: reported}, nil, nil},
		{"approved", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-01"), Reported: reported, Approved: reported}, nil, nil},
		{"reminded today already", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-20")},
			[]strategy.Reminder{{PeriodID: 7, Body: "ks", Email: "EBBA.ks@stromsund.se", SentAt: at("2026-03-15", 7)}}, nil},
		{"reminded yesterday", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-20")},
			[]strategy.Reminder{{PeriodID: 7, Body: "ks", Email: "ebba.ks@stromsund.se", SentAt: at("2026-03-14", 23)}},
			[]string{"ebba.ks@stromsund.se 0"}},
		{"reminded today of another period", strategy.BodyDeadline{Body: "ks", Due: date("2026-03-20")},
			[]strategy.Reminder{{PeriodID: 8, Body: "ks", Email: "ebba.ks@stromsund.se", SentAt: at("2026-03-15", 7)}},
			[]string{"ebba.ks@stromsund.se 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := period
			p.Deadlines = []strategy.BodyDeadline{tt.deadline}
			var got []string
			for _, r := range Due(now, p, bodies, users, tt.sent) {
				got = append(got, r.To.Email+" "+strconv.Itoa(r.DaysLate))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("reminded %v, want %v", got, tt.want)
			}
		})
	}
}

// newStore is a real SQLite store with Strömsund's bodies, Östersund and
// the users above.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "followup.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.Import(ctx, []strategy.Bundle{
		{Organisation: &strategy.Organisation{Code: "2313", Name: "Strömsunds kommun", Kind: strategy.OrgKommun}, Bodies: bodies},
		{Organisation: &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun},
			Bodies: []strategy.Body{{Key: "ks", Name: "Kommunstyrelsen", Kind: strategy.BodyBoard}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []strategy.User{ebba, gunnar, sam, lisa, olle, bea, ada} {
		if _, err := st.CreateUser(ctx, u, ""); err != nil {
			t.Fatalf("creating %s: %v", u.Email, err)
		}
	}
	return st
}

// storePeriod stores Strömsund's period for 2026, as of 15 March: ks due
// in five days, amn (no editor) two weeks late, kf not due for six weeks,
// klf reported and bun approved. Steps are taken while the due dates lie
// in the future, as the store wants them, and the dates moved after.
func storePeriod(t *testing.T, st *store.Store) strategy.FollowUpPeriod {
	t.Helper()
	ctx := context.Background()
	far := date("2099-12-31")
	p, err := st.CreateFollowUpPeriod(ctx, strategy.FollowUpPeriod{Org: "2313", Year: 2026, Title: "Uppföljning 2026",
		Deadlines: []strategy.BodyDeadline{{Body: "kf", Due: far}, {Body: "ks", Due: far}, {Body: "amn", Due: far}, {Body: "klf", Due: far}, {Body: "bun", Due: far}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		body string
		a    strategy.DeadlineAction
	}{{"klf", strategy.DeadlineReport}, {"bun", strategy.DeadlineReport}, {"bun", strategy.DeadlineApprove}} {
		if p, err = st.ChangeDeadline(ctx, p.ID, step.body, step.a, strategy.Date{}); err != nil {
			t.Fatal(err)
		}
	}
	dues := map[string]string{"kf": "2026-04-30", "ks": "2026-03-20", "amn": "2026-03-01", "klf": "2026-03-10", "bun": "2026-03-12"}
	for i := range p.Deadlines {
		p.Deadlines[i].Due = date(dues[p.Deadlines[i].Body])
	}
	if p, err = st.UpdateFollowUpPeriod(ctx, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func smtpSender(t *testing.T, srv *mailtest.Server) mail.Sender {
	t.Helper()
	s, err := mail.NewSMTP(mail.SMTPConfig{Addr: srv.Addr(), From: "Inkludera <noreply@stromsund.se>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSendOverSMTP sends the reminders of a day through a real SMTP
// listener: who gets one, what it says, nobody twice on one day, and an
// address the server refuses holding up nobody else.
func TestSendOverSMTP(t *testing.T) {
	st := newStore(t)
	p := storePeriod(t, st)
	srv := mailtest.Start(t)
	sender := smtpSender(t, srv)
	ctx := context.Background()
	const base = "https://inkludera.stromsund.se/"

	out, err := Send(ctx, st, sender, base, at("2026-03-15", 8), p)
	if err != nil {
		t.Fatal(err)
	}
	if out.Sent != 2 || len(out.Failed) != 0 {
		t.Fatalf("outcome %+v, want two sent", out)
	}
	msgs := srv.WaitFor(2, 5*time.Second)
	slices.SortFunc(msgs, func(a, b mailtest.Received) int { return strings.Compare(a.To[0], b.To[0]) })
	link := "https://inkludera.stromsund.se/uppfoljning/" + strconv.FormatInt(p.ID, 10)
	tests := []struct {
		to, subject string
		body        []string
	}{
		{"ebba.ks@stromsund.se", "Påminnelse: uppföljning 2026 för Kommunstyrelsen senast 2026-03-20",
			[]string{"Hej Ebba Redaktör!", "– Kommunstyrelsen senast 2026-03-20: inte rapporterad ännu.", link,
				"som nämndredaktör för Kommunstyrelsen", "skickas automatiskt av Inkludera"}},
		{"sam.samordnare@stromsund.se", "Påminnelse: uppföljning 2026 för Arbetsmarknadsnämnden senast 2026-03-01",
			[]string{"Hej Sam Samordnare!", "– Arbetsmarknadsnämnden senast 2026-03-01: sista dagen har passerat, rapporten är 14 dagar sen.", link,
				"som samordnare i Strömsunds kommun, eftersom Arbetsmarknadsnämnden saknar nämndredaktör", "skickas automatiskt av Inkludera"}},
	}
	for i, tt := range tests {
		m := msgs[i]
		if m.Err != nil {
			t.Errorf("message %d does not parse: %v", i, m.Err)
		}
		if len(m.To) != 1 || m.To[0] != tt.to {
			t.Errorf("message %d to %v, want %s", i, m.To, tt.to)
		}
		if m.Subject != tt.subject {
			t.Errorf("subject %q, want %q", m.Subject, tt.subject)
		}
		for _, w := range tt.body {
			if !strings.Contains(m.Body, w) {
				t.Errorf("message to %s lacks %q:\n%s", tt.to, w, m.Body)
			}
		}
	}
	sent, err := st.Reminders(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 {
		t.Errorf("%d reminders recorded, want 2", len(sent))
	}

	// Later the same day: nobody again.
	out, err = Send(ctx, st, sender, base, at("2026-03-15", 17), p)
	if err != nil || out.Sent != 0 {
		t.Errorf("second round the same day: %+v, %v; want nothing sent", out, err)
	}
	// The next day they are reminded again, everyone of the organisation
	// through SendAll as serve runs it.
	out, err = SendAll(ctx, st, sender, base, at("2026-03-16", 8))
	if err != nil || out.Sent != 2 {
		t.Errorf("next day: %+v, %v; want two sent", out, err)
	}
	if n := len(srv.WaitFor(4, 5*time.Second)); n != 4 {
		t.Errorf("%d messages in all, want 4", n)
	}

	// A server that refuses Ebba's address: Sam is still reminded, and
	// Ebba's reminder is not recorded, so that the next round tries again.
	refusing := mailtest.Start(t, mailtest.RejectRecipients(ebba.Email))
	out, err = Send(ctx, st, smtpSender(t, refusing), base, at("2026-03-17", 8), p)
	if err == nil || !strings.Contains(err.Error(), ebba.Email) {
		t.Errorf("error %v, want one naming %s", err, ebba.Email)
	}
	if out.Sent != 1 || len(out.Failed) != 1 || out.Failed[0] != ebba.Email {
		t.Errorf("outcome %+v, want Sam's sent and Ebba's failed", out)
	}
	if got := refusing.WaitFor(1, 5*time.Second); got[0].To[0] != sam.Email {
		t.Errorf("the refusing server got a message to %v", got[0].To)
	}
	sent, err = st.Reminders(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sent {
		if r.Email == ebba.Email && strategy.DateOf(r.SentAt.In(Sweden())) == date("2026-03-17") {
			t.Error("a refused reminder was recorded")
		}
	}
	out, err = Send(ctx, st, sender, base, at("2026-03-17", 9), p)
	if err != nil || out.Sent != 1 || out.Reminded[0] != ebba.Email {
		t.Errorf("retry: %+v, %v; want Ebba reminded", out, err)
	}
}

// TestRunReminders checks the loop serve runs: it sends what is due now
// and ends with its context.
func TestRunReminders(t *testing.T) {
	st := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	tomorrow := strategy.DateOf(time.Now().In(Sweden()).AddDate(0, 0, 1))
	p, err := st.CreateFollowUpPeriod(ctx, strategy.FollowUpPeriod{Org: "2313", Year: tomorrow.Year, Title: "Uppföljning",
		Deadlines: []strategy.BodyDeadline{{Body: "ks", Due: tomorrow}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t)
	done := make(chan struct{})
	go func() {
		RunReminders(ctx, st, smtpSender(t, srv), "http://localhost", time.Hour, nil)
		close(done)
	}()
	msgs := srv.WaitFor(1, 10*time.Second)
	// The reminder is recorded just after the server accepted it.
	for deadline := time.Now().Add(10 * time.Second); ; {
		sent, err := st.Reminders(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sent) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RunReminders did not end with its context")
	}
	if msgs[0].To[0] != ebba.Email {
		t.Errorf("reminded %v", msgs[0].To)
	}
	entries, err := st.Audit(context.Background(), strategy.AuditFilter{Kind: strategy.ObjFollowUpPeriod})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Actor.Via != "system" || entries[0].Actor.Name != "påminnelser" {
		t.Errorf("the reminder is not recorded as the reminders': %+v", entries)
	}
}
