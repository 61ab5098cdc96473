package web

import "net/http"

// handlerFunc is what every handler is: it writes a response or returns an
// error for the adapter to render.
type handlerFunc func(s *server, w http.ResponseWriter, r *http.Request) error

// routeKind decides how the adapter renders errors of a route.
type routeKind int

const (
	pageRoute routeKind = iota // Swedish HTML error page
	apiRoute                   // JSON {"code", "message"}
)

// route is one entry of the HTTP surface.
type route struct {
	method  string // "" matches every method (fallbacks)
	path    string // net/http pattern path, with {wildcards}
	kind    routeKind
	handler handlerFunc
	// fallback marks catch-all routes that answer paths nothing else serves;
	// they are not part of the API the OpenAPI document describes.
	fallback bool
	// cached marks public pages and files that are the same for every
	// anonymous reader of a language: they are kept after rendering and
	// answered with ETag and Last-Modified (pagecache.go).
	cached bool
	// keepsCache marks a write that changes nothing a cached page shows
	// (a reader's barrier report): its success does not empty the cache.
	keepsCache bool
	// maxBody is the largest request body the route accepts, for the
	// file uploads; 0 means DefaultMaxBody (security.go).
	maxBody int64
}

func (rt route) pattern() string {
	if rt.method == "" {
		return rt.path
	}
	return rt.method + " " + rt.path
}

// routeTable is the whole HTTP surface in one place. GET routes answer HEAD
// too. The OpenAPI test iterates the API routes listed here.
func routeTable() []route {
	return concat(baseRoutes(), portalRoutes(), openDataRoutes(), embedRoutes(), accessibilityRoutes(), translationRoutes(), sitemapRoutes(), compareRoutes(),
		libraryRoutes())
}

func concat(lists ...[]route) []route {
	var out []route
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// baseRoutes are the work pages, sign-in, the API and operations; the
// public portal's routes are in routes_*.go.
func baseRoutes() []route {
	return []route{
		// Pages.
		{method: "GET", path: "/{$}", kind: pageRoute, handler: (*server).pageStart},
		{method: "GET", path: "/dokument/{key}", kind: pageRoute, handler: (*server).pageDocument},
		{method: "GET", path: "/indikatorer/{key}", kind: pageRoute, handler: (*server).pageIndicator},
		{method: "GET", path: "/static/{file...}", kind: pageRoute, handler: (*server).serveStatic},
		{path: "/", kind: pageRoute, handler: (*server).pageNotFound, fallback: true},

		// Signing in and out, one's own account and API tokens.
		{method: "GET", path: "/logga-in", kind: pageRoute, handler: (*server).pageSignIn},
		{method: "POST", path: "/logga-in", kind: pageRoute, handler: (*server).postSignIn},
		{method: "GET", path: "/logga-in/oidc", kind: pageRoute, handler: (*server).startOIDC},
		{method: "GET", path: "/logga-in/oidc/svar", kind: pageRoute, handler: (*server).oidcCallback},
		{method: "POST", path: "/logga-ut", kind: pageRoute, handler: (*server).postSignOut},
		{method: "GET", path: "/konto", kind: pageRoute, handler: (*server).pageAccount},
		{method: "POST", path: "/konto/nycklar", kind: pageRoute, handler: (*server).postCreateToken},
		{method: "POST", path: "/konto/nycklar/{id}/aterkalla", kind: pageRoute, handler: (*server).postRevokeToken},

		// Editing a document's tree. {kind} is omrade, mal, malvarde,
		// atagande, begrepp or ansvar; {obj} "ny" opens an empty form.
		{method: "GET", path: "/redigera/dokument/ny", kind: pageRoute, handler: (*server).pageNewDocument},
		{method: "POST", path: "/redigera/dokument/ny", kind: pageRoute, handler: (*server).postNewDocument},
		{method: "GET", path: "/redigera/dokument/{doc}", kind: pageRoute, handler: (*server).pageEditDocument},
		{method: "POST", path: "/redigera/dokument/{doc}", kind: pageRoute, handler: (*server).postEditDocument},
		{method: "POST", path: "/redigera/dokument/{doc}/publicera", kind: pageRoute, handler: (*server).postPublishDocument},
		{method: "GET", path: "/redigera/dokument/{doc}/{kind}/{obj}", kind: pageRoute, handler: (*server).pageEditObject},
		{method: "POST", path: "/redigera/dokument/{doc}/{kind}/{obj}", kind: pageRoute, handler: (*server).postEditObject},
		{method: "POST", path: "/redigera/dokument/{doc}/{kind}/{obj}/ta-bort", kind: pageRoute, handler: (*server).postDeleteObject},
		{method: "GET", path: "/redigera/indikatorer/{key}", kind: pageRoute, handler: (*server).pageEditIndicator},
		{method: "POST", path: "/redigera/indikatorer/{key}", kind: pageRoute, handler: (*server).postEditIndicator},

		// Action plans: read by whoever may read them, kept by the body.
		{method: "GET", path: "/planer", kind: pageRoute, handler: (*server).pagePlans},
		{method: "GET", path: "/dokument/{doc}/planer/{plan}", kind: pageRoute, handler: (*server).pagePlan},
		{method: "GET", path: "/dokument/{doc}/planer/{plan}/plan.xlsx", kind: pageRoute, handler: (*server).exportPlanXLSX},
		{method: "GET", path: "/redigera/dokument/{doc}/planer/{plan}", kind: pageRoute, handler: (*server).pageEditPlan},
		{method: "POST", path: "/redigera/dokument/{doc}/planer/{plan}", kind: pageRoute, handler: (*server).postEditPlan},
		{method: "POST", path: "/redigera/dokument/{doc}/planer/{plan}/beslut", kind: pageRoute, handler: (*server).postDecidePlan},
		{method: "POST", path: "/redigera/dokument/{doc}/planer/{plan}/import", kind: pageRoute, handler: (*server).postImportPlanXLSX, maxBody: maxPlanUpload},
		{method: "GET", path: "/redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}", kind: pageRoute, handler: (*server).pageEditActivity},
		{method: "POST", path: "/redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}", kind: pageRoute, handler: (*server).postEditActivity},
		{method: "POST", path: "/redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}/ta-bort", kind: pageRoute, handler: (*server).postDeleteActivity},
		{method: "POST", path: "/redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}/anteckningar", kind: pageRoute, handler: (*server).postAddNote},

		// The follow-up cycle: periods, deadlines per body, who is late.
		{method: "GET", path: "/uppfoljning", kind: pageRoute, handler: (*server).pageFollowUp},
		{method: "GET", path: "/uppfoljning/ny", kind: pageRoute, handler: (*server).pageNewPeriod},
		{method: "POST", path: "/uppfoljning/ny", kind: pageRoute, handler: (*server).postNewPeriod},
		{method: "GET", path: "/uppfoljning/{id}", kind: pageRoute, handler: (*server).pagePeriod},
		{method: "POST", path: "/uppfoljning/{id}", kind: pageRoute, handler: (*server).postEditPeriod},
		{method: "POST", path: "/uppfoljning/{id}/paminn", kind: pageRoute, handler: (*server).postRemind},
		{method: "POST", path: "/uppfoljning/{id}/{body}/{step}", kind: pageRoute, handler: (*server).postDeadlineStep},

		// The yearly follow-up report: approved reports are everyone's to
		// read; a draft is made in the background (report_jobs.go) and
		// seen only by whoever made it, until it is approved.
		{method: "GET", path: "/rapporter", kind: pageRoute, handler: (*server).pageReports},
		{method: "POST", path: "/rapporter/skapa", kind: pageRoute, handler: (*server).postCreateReport},
		{method: "GET", path: "/rapporter/jobb/{id}", kind: pageRoute, handler: (*server).pageReportJob},
		{method: "GET", path: "/rapporter/jobb/{id}/{format}", kind: pageRoute, handler: (*server).downloadJobFile},
		{method: "POST", path: "/rapporter/jobb/{id}/godkann", kind: pageRoute, handler: (*server).postApproveReport},
		{method: "GET", path: "/rapporter/{id}", kind: pageRoute, handler: (*server).pageReportApproval},
		{method: "GET", path: "/rapporter/{id}/{format}", kind: pageRoute, handler: (*server).downloadApprovedFile},

		// Allocation helper (fördelningstal): the calculation is a GET,
		// saving its result as activities a POST.
		{method: "GET", path: "/fordelning", kind: pageRoute, handler: (*server).pageAllocation},
		{method: "POST", path: "/fordelning/spara", kind: pageRoute, handler: (*server).postSaveAllocation},

		// History of an object (?objekt=kind:document/key).
		{method: "GET", path: "/historik", kind: pageRoute, handler: (*server).pageHistory},

		// Administration.
		{method: "GET", path: "/admin/anvandare", kind: pageRoute, handler: (*server).pageUsers},
		{method: "POST", path: "/admin/anvandare", kind: pageRoute, handler: (*server).postCreateUser},
		{method: "POST", path: "/admin/anvandare/{id}", kind: pageRoute, handler: (*server).postUpdateUser},
		{method: "GET", path: "/admin/kallor", kind: pageRoute, handler: (*server).pageSources},
		{method: "POST", path: "/admin/kallor/hamta", kind: pageRoute, handler: (*server).startFetch},
		{method: "GET", path: "/admin/import", kind: pageRoute, handler: (*server).pageImport},
		{method: "POST", path: "/admin/import", kind: pageRoute, handler: (*server).postImport, maxBody: maxUpload + maxFormOverhead},

		// Operations.
		{method: "GET", path: "/healthz", kind: apiRoute, handler: (*server).healthz},

		// JSON API.
		{method: "GET", path: "/api/v1/organisations", kind: apiRoute, handler: (*server).apiOrganisations},
		{method: "GET", path: "/api/v1/organisations/{code}/documents", kind: apiRoute, handler: (*server).apiDocuments},
		{method: "GET", path: "/api/v1/documents/{key}", kind: apiRoute, handler: (*server).apiDocument},
		{method: "GET", path: "/api/v1/documents/{key}/scorecard", kind: apiRoute, handler: (*server).apiScorecard},
		{method: "GET", path: "/api/v1/indicators", kind: apiRoute, handler: (*server).apiIndicators},
		{method: "GET", path: "/api/v1/indicators/{key}", kind: apiRoute, handler: (*server).apiIndicator},
		{method: "GET", path: "/api/v1/indicators/{key}/observations", kind: apiRoute, handler: (*server).apiObservations},
		{method: "GET", path: "/api/v1/openapi.json", kind: apiRoute, handler: (*server).apiOpenAPI},
		{method: "GET", path: "/api/v1/audit", kind: apiRoute, handler: (*server).apiAudit},
		{method: "GET", path: "/api/v1/organisations/{code}/reports", kind: apiRoute, handler: (*server).apiReports},
		{method: "GET", path: "/api/v1/reports/{id}", kind: apiRoute, handler: (*server).apiReport},

		// JSON API writes: the same edits as the forms, for clients with an
		// API token. {kind} is areas, goals, targets, commitments, terms or
		// responsibilities.
		{method: "POST", path: "/api/v1/documents", kind: apiRoute, handler: (*server).apiCreateDocument},
		{method: "PUT", path: "/api/v1/documents/{key}", kind: apiRoute, handler: (*server).apiUpdateDocument},
		{method: "POST", path: "/api/v1/documents/{key}/publish", kind: apiRoute, handler: (*server).apiPublishDocument},
		{method: "PUT", path: "/api/v1/documents/{key}/{kind}/{obj}", kind: apiRoute, handler: (*server).apiPutObject},
		{method: "DELETE", path: "/api/v1/documents/{key}/{kind}/{obj}", kind: apiRoute, handler: (*server).apiDeleteObject},
		{method: "PUT", path: "/api/v1/indicators/{key}", kind: apiRoute, handler: (*server).apiUpdateIndicator},
		{method: "PUT", path: "/api/v1/documents/{key}/plans/{plan}", kind: apiRoute, handler: (*server).apiPutPlan},
		{method: "POST", path: "/api/v1/documents/{key}/plans/{plan}/decision", kind: apiRoute, handler: (*server).apiDecidePlan},
		{method: "PUT", path: "/api/v1/documents/{key}/plans/{plan}/activities/{act}", kind: apiRoute, handler: (*server).apiPutActivity},
		{method: "DELETE", path: "/api/v1/documents/{key}/plans/{plan}/activities/{act}", kind: apiRoute, handler: (*server).apiDeleteActivity},
		{method: "POST", path: "/api/v1/documents/{key}/plans/{plan}/activities/{act}/notes", kind: apiRoute, handler: (*server).apiAddNote},
		{method: "GET", path: "/api/v1/organisations/{code}/periods", kind: apiRoute, handler: (*server).apiPeriods},
		{method: "POST", path: "/api/v1/organisations/{code}/periods", kind: apiRoute, handler: (*server).apiCreatePeriod},
		{method: "PUT", path: "/api/v1/periods/{id}", kind: apiRoute, handler: (*server).apiUpdatePeriod},
		{method: "POST", path: "/api/v1/periods/{id}/bodies/{body}/{step}", kind: apiRoute, handler: (*server).apiDeadlineStep},
		{path: "/api/", kind: apiRoute, handler: (*server).apiNotFound, fallback: true},
	}
}

// libraryRoutes are the strategy library (page_library*.go): public
// search and documents, not cached (a page per query); upload, metadata
// edits and drafts for users with an editing role. Without WithLibrary
// every one answers 404. The library's writes change nothing a cached page
// shows; importing a reviewed draft does.
func libraryRoutes() []route {
	return []route{
		{method: "GET", path: "/bibliotek", kind: pageRoute, handler: (*server).pageLibrary},
		{method: "GET", path: "/bibliotek/ladda-upp", kind: pageRoute, handler: (*server).pageLibraryUpload},
		{method: "POST", path: "/bibliotek/ladda-upp", kind: pageRoute, handler: (*server).postLibraryUpload,
			maxBody: maxLibraryUpload + maxFormOverhead, keepsCache: true},
		{method: "GET", path: "/bibliotek/utkast", kind: pageRoute, handler: (*server).pageDraftFromFile},
		{method: "POST", path: "/bibliotek/utkast", kind: pageRoute, handler: (*server).postDraftFromFile,
			maxBody: maxLibraryUpload + maxFormOverhead, keepsCache: true},
		{method: "POST", path: "/bibliotek/utkast/importera", kind: pageRoute, handler: (*server).postImportFileDraft, maxBody: maxDraftBody},
		{method: "GET", path: "/bibliotek/{id}", kind: pageRoute, handler: (*server).pageLibraryDocument},
		{method: "POST", path: "/bibliotek/{id}", kind: pageRoute, handler: (*server).postLibraryDocument, keepsCache: true},
		{method: "POST", path: "/bibliotek/{id}/ta-bort", kind: pageRoute, handler: (*server).postDeleteLibraryDocument, keepsCache: true},
		{method: "GET", path: "/bibliotek/{id}/utkast", kind: pageRoute, handler: (*server).pageLibraryDraft},
		{method: "POST", path: "/bibliotek/{id}/utkast", kind: pageRoute, handler: (*server).postLibraryDraft, maxBody: maxDraftBody},
		{method: "GET", path: "/api/v1/library", kind: apiRoute, handler: (*server).apiLibrary},
		{method: "GET", path: "/api/v1/library/{id}", kind: apiRoute, handler: (*server).apiLibraryDocument},
	}
}
