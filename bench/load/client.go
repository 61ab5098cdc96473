package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// What the clients read and write: each client keeps its own action plan,
// with one activity, in Strömsund's demo programme, as a samordnare of
// Strömsund; everyone reads Östersund's strategy too.
const (
	loadOrg  = "2313"
	loadDoc  = "stromsund-program-inflyttning-integration-2014"
	loadBody = "namnder"
	readOrg  = "2380"
	readDoc  = "ostersund-integrationsstrategi-2020"
	readInd  = "utrikes-fodda-andel"
)

// client is one person at a browser, who also runs a program with an API
// token of theirs.
type client struct {
	n    int
	base string
	acc  account
	// web is the browser: a cookie jar for the session, for the pages and
	// forms. anon sends no cookies, on the same connections: the public
	// portal as an anonymous reader gets it, and the program's API
	// requests with the token.
	web   *http.Client
	anon  *http.Client
	token string
	run   string // the run's id, part of every value written
	seq   int
	rng   *rand.Rand
	st    *stats
	today string

	plan     string
	activity activity // as last stored
	acks     acks
	// signedOut is set after a sign-out until a sign-in succeeds, which
	// the next step tries first.
	signedOut bool
}

// acks are the writes the server acknowledged, each with its unique value.
type acks struct {
	created bool     // the plan and its activity
	notes   []string // texts of notes added through the form and the API
	updates []string // descriptions of the activity's changes, in order
	// unsure are writes that got no answer: they may or may not be stored.
	unsure int
}

// activity is an activity as the API reads and writes it.
type activity struct {
	Key         string `json:"key"`
	TargetGroup string `json:"target_group"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status"`
	Progress    *int   `json:"progress,omitempty"`
	Rev         int64  `json:"rev,omitempty"`
	Notes       []note `json:"notes,omitempty"`
}

type note struct {
	Date string `json:"date"`
	Text string `json:"text"`
}

var activityStatuses = []string{"planerad", "pagar", "forsenad", "genomford", "installd"}

func newClient(n int, base, run string, acc account, seed uint64) (*client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	// A transport of its own, as a browser has: its connections are not
	// shared with the other clients.
	transport := &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second}
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{
		n: n, base: base, acc: acc, run: run, st: newStats(),
		rng:   rand.New(rand.NewPCG(seed, uint64(n))),
		web:   &http.Client{Transport: transport, Jar: loopbackJar{jar}, CheckRedirect: noRedirect, Timeout: time.Minute},
		anon:  &http.Client{Transport: transport, CheckRedirect: noRedirect, Timeout: time.Minute},
		plan:  fmt.Sprintf("lasttest-k%02d", n),
		today: time.Now().Format(time.DateOnly),
	}, nil
}

// loopbackJar keeps cookies as browsers do for a server on loopback, which
// they count as a secure context: the session cookie, which the server
// marks Secure, is sent back over plain http to 127.0.0.1. Go's cookiejar
// sends Secure cookies over https only, so the jar is asked as if the URL
// were https.
type loopbackJar struct{ jar *cookiejar.Jar }

func (j loopbackJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.jar.SetCookies(asHTTPS(u), cookies)
}

func (j loopbackJar) Cookies(u *url.URL) []*http.Cookie { return j.jar.Cookies(asHTTPS(u)) }

func asHTTPS(u *url.URL) *url.URL {
	v := *u
	v.Scheme = "https"
	return &v
}

// unique is a value no other write of any run has.
func (c *client) unique(what string) string {
	c.seq++
	return fmt.Sprintf("Lasttest %s, klient %d, %s nr %d", c.run, c.n, what, c.seq)
}

// call sends req, records it as kind and returns the response and its
// body when the status is want and check (if any) accepts the body.
func (c *client) call(kind string, cl class, hc *http.Client, req *http.Request, want int, check func(*http.Response, []byte) error) (*http.Response, []byte, bool) {
	start := time.Now()
	res, err := hc.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	d := time.Since(start)
	if err != nil {
		c.st.add(kind, cl, d, transportError, err.Error())
		return nil, nil, false
	}
	o := ok
	switch s := res.StatusCode; {
	case s == want:
		if check != nil {
			if err := check(res, body); err != nil {
				c.st.add(kind, cl, d, unexpected, fmt.Sprintf("%s %s: %v", req.Method, req.URL.Path, err))
				return res, body, false
			}
		}
	case s == http.StatusConflict:
		o = conflict
	case s == http.StatusTooManyRequests:
		o = rateLimited
	case s >= 500:
		o = serverError
	default:
		o = unexpected
	}
	c.st.add(kind, cl, d, o, fmt.Sprintf("%s %s: status %d, want %d: %s", req.Method, req.URL.Path, res.StatusCode, want, snippet(body)))
	return res, body, o == ok
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func (c *client) newRequest(method, path string, body io.Reader) *http.Request {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		panic(err) // the paths are ours
	}
	return req
}

// formRequest is a form posted from a page of the site, as a browser
// sends it: the Fetch metadata tells the server it is same-origin.
func (c *client) formRequest(path string, form url.Values) *http.Request {
	req := c.newRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

// apiRequest is a request of the client's program, with its token.
func (c *client) apiRequest(method, path string, body any) *http.Request {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		r = bytes.NewReader(data)
	}
	req := c.newRequest(method, path, r)
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func isPage(_ *http.Response, body []byte) error {
	if !bytes.Contains(body, []byte("</html>")) {
		return errors.New("not a whole HTML page")
	}
	return nil
}

func isJSON(_ *http.Response, body []byte) error {
	if !json.Valid(body) {
		return errors.New("not JSON")
	}
	return nil
}

func (c *client) activityPath() string {
	return "/api/v1/documents/" + loadDoc + "/plans/" + c.plan + "/activities/" + c.activity.Key
}

// signIn signs in through the sign-in form, as a person does: the page,
// then the form with e-mail and password.
func (c *client) signIn() bool {
	if _, _, ok := c.call("sign-in page", signIn, c.web, c.newRequest("GET", "/logga-in", nil), http.StatusOK, isPage); !ok {
		return false
	}
	_, _, ok := c.call("sign in", signIn, c.web, c.formRequest("/logga-in", url.Values{
		"email": {c.acc.email}, "password": {c.acc.password}, "nasta": {"/"},
	}), http.StatusSeeOther, func(res *http.Response, _ []byte) error {
		if res.Header.Get("Location") != "/" {
			return fmt.Errorf("redirected to %q, not /", res.Header.Get("Location"))
		}
		return nil
	})
	c.signedOut = !ok
	return ok
}

// setup signs the client in, makes an API token on the account page, and
// creates the client's plan and activity through the API.
func (c *client) setup() error {
	if !c.signIn() {
		return errors.New("signing in failed")
	}
	const marker = `id="hemlig-nyckel" class="secret" value="`
	_, body, ok := c.call("API token", write, c.web, c.formRequest("/konto/nycklar", url.Values{"name": {"lasttest"}}),
		http.StatusCreated, func(_ *http.Response, body []byte) error {
			if !bytes.Contains(body, []byte(marker)) {
				return errors.New("the page shows no new token")
			}
			return nil
		})
	if !ok {
		return errors.New("making an API token failed")
	}
	_, rest, _ := strings.Cut(string(body), marker)
	c.token, _, _ = strings.Cut(rest, `"`)

	plan := map[string]any{"body": loadBody, "year": time.Now().Year(), "title": fmt.Sprintf("Lasttestets plan för klient %d", c.n)}
	if _, _, ok := c.call("API plan", write, c.anon, c.apiRequest("PUT", "/api/v1/documents/"+loadDoc+"/plans/"+c.plan, plan),
		http.StatusCreated, isJSON); !ok {
		return errors.New("creating the plan failed")
	}
	c.activity = activity{Key: "aktivitet", TargetGroup: "alla", Title: fmt.Sprintf("Lasttestets aktivitet för klient %d", c.n),
		Status: "planerad", Description: c.unique("aktivitet skapad")}
	if _, body, ok := c.call("API activity", write, c.anon, c.apiRequest("PUT", c.activityPath(), c.activity),
		http.StatusCreated, isJSON); !ok {
		return errors.New("creating the activity failed")
	} else if err := json.Unmarshal(body, &c.activity); err != nil {
		return err
	}
	c.acks.created = true
	c.acks.updates = append(c.acks.updates, c.activity.Description)
	return nil
}

// operation is one step of the mix.
type operation struct {
	weight int // out of the sum of the weights
	do     func(c *client)
}

// mix is what the clients do: 79 % reads, 20 % writes, 1 % signing out
// and in again.
var mix = []operation{
	// Reads: the public portal as an anonymous reader, the work pages
	// signed in, the API with a token.
	{12, func(c *client) {
		c.call("portal page", read, c.anon, c.newRequest("GET", "/portal/"+readOrg+"/dokument/"+readDoc, nil), http.StatusOK, isPage)
	}},
	{10, func(c *client) {
		c.call("portal page", read, c.anon, c.newRequest("GET", "/portal/"+loadOrg+"/dokument/"+loadDoc, nil), http.StatusOK, isPage)
	}},
	{10, func(c *client) {
		c.call("document page", read, c.web, c.newRequest("GET", "/dokument/"+readDoc, nil), http.StatusOK, isPage)
	}},
	{10, func(c *client) {
		c.call("own plan page", read, c.web, c.newRequest("GET", "/dokument/"+loadDoc+"/planer/"+c.plan, nil), http.StatusOK, isPage)
	}},
	{12, func(c *client) {
		c.call("API document", read, c.anon, c.apiRequest("GET", "/api/v1/documents/"+readDoc, nil), http.StatusOK, isJSON)
	}},
	{13, func(c *client) {
		c.call("API observations", read, c.anon, c.apiRequest("GET", "/api/v1/indicators/"+readInd+"/observations?org="+readOrg, nil), http.StatusOK, isJSON)
	}},
	{12, func(c *client) {
		c.call("API scorecard", read, c.anon, c.apiRequest("GET", "/api/v1/documents/"+readDoc+"/scorecard", nil), http.StatusOK, isJSON)
	}},
	// Writes, each with a value of its own.
	{7, (*client).formNote},
	{7, (*client).apiNote},
	{6, (*client).changeActivity},
	// Signing out and in again.
	{1, func(c *client) {
		if _, _, ok := c.call("sign out", signIn, c.web, c.formRequest("/logga-ut", nil), http.StatusSeeOther, nil); ok {
			c.signedOut = true
			c.signIn()
		}
	}},
}

var mixWeight = func() int {
	n := 0
	for _, op := range mix {
		n += op.weight
	}
	return n
}()

// step does one operation of the mix, chosen at random by weight, or
// signs in again after a sign-in that failed, so that one error is not
// followed by every signed-in request of the client failing too.
func (c *client) step() {
	if c.signedOut {
		c.signIn()
		return
	}
	r := c.rng.IntN(mixWeight)
	for _, op := range mix {
		if r < op.weight {
			op.do(c)
			return
		}
		r -= op.weight
	}
}

// formNote adds a follow-up note through the activity's form.
func (c *client) formNote() {
	text := c.unique("anteckning via formuläret")
	path := "/redigera/dokument/" + loadDoc + "/planer/" + c.plan + "/aktiviteter/" + c.activity.Key + "/anteckningar"
	res, _, ok := c.call("form note", write, c.web, c.formRequest(path, url.Values{"date": {c.today}, "text": {text}}),
		http.StatusSeeOther, func(res *http.Response, _ []byte) error {
			if !strings.Contains(res.Header.Get("Location"), "sparat=anteckning") {
				return fmt.Errorf("redirected to %q, not to the saved note", res.Header.Get("Location"))
			}
			return nil
		})
	c.noteAcked(text, res, ok)
}

// apiNote adds a follow-up note through the API.
func (c *client) apiNote() {
	text := c.unique("anteckning via API:t")
	res, _, ok := c.call("API note", write, c.anon, c.apiRequest("POST", c.activityPath()+"/notes", note{Date: c.today, Text: text}),
		http.StatusCreated, func(_ *http.Response, body []byte) error {
			var n note
			if err := json.Unmarshal(body, &n); err != nil || n.Text != text {
				return fmt.Errorf("the answer is not the note: %s", snippet(body))
			}
			return nil
		})
	c.noteAcked(text, res, ok)
}

func (c *client) noteAcked(text string, res *http.Response, ok bool) {
	switch {
	case ok:
		c.acks.notes = append(c.acks.notes, text)
	case res == nil || res.StatusCode >= 500:
		c.acks.unsure++
	}
}

// changeActivity changes the client's own activity through the API: a new
// description, status and progress, from the rev it last stored.
func (c *client) changeActivity() {
	a := c.activity
	a.Notes = nil
	a.Description = c.unique("ändring av aktiviteten")
	a.Status = activityStatuses[c.seq%len(activityStatuses)]
	progress := c.seq % 101
	a.Progress = &progress
	var stored activity
	res, _, ok := c.call("API activity", write, c.anon, c.apiRequest("PUT", c.activityPath(), a),
		http.StatusOK, func(_ *http.Response, body []byte) error {
			if err := json.Unmarshal(body, &stored); err != nil || stored.Description != a.Description || stored.Rev <= a.Rev {
				return fmt.Errorf("the answer is not the changed activity: %s", snippet(body))
			}
			return nil
		})
	if ok {
		c.activity = stored
		c.acks.updates = append(c.acks.updates, stored.Description)
		return
	}
	if res == nil || res.StatusCode >= 500 {
		c.acks.unsure++
	}
	// The stored rev is now unknown: read it again.
	c.refreshActivity()
}

// refreshActivity reads the client's activity as stored.
func (c *client) refreshActivity() {
	_, body, ok := c.call("API document (reread)", read, c.anon, c.apiRequest("GET", "/api/v1/documents/"+loadDoc, nil), http.StatusOK, isJSON)
	if !ok {
		return
	}
	var d document
	if json.Unmarshal(body, &d) == nil {
		if a, found := d.activity(c.plan, c.activity.Key); found {
			c.activity = a
		}
	}
}

// document is what the checks read of a document from the API.
type document struct {
	ActionPlans []struct {
		Key        string     `json:"key"`
		Activities []activity `json:"activities"`
	} `json:"action_plans"`
}

func (d document) activity(plan, key string) (activity, bool) {
	for _, p := range d.ActionPlans {
		if p.Key != plan {
			continue
		}
		for _, a := range p.Activities {
			if a.Key == key {
				return a, true
			}
		}
	}
	return activity{}, false
}
