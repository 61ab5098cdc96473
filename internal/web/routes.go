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
	// admin routes exist only when the server has an admin token
	// (WithAdmin) and answer only requests that present it.
	admin bool
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
	return []route{
		// Pages.
		{method: "GET", path: "/{$}", kind: pageRoute, handler: (*server).pageStart},
		{method: "GET", path: "/dokument/{key}", kind: pageRoute, handler: (*server).pageDocument},
		{method: "GET", path: "/indikatorer/{key}", kind: pageRoute, handler: (*server).pageIndicator},
		{method: "GET", path: "/static/{file...}", kind: pageRoute, handler: (*server).serveStatic},
		{path: "/", kind: pageRoute, handler: (*server).pageNotFound, fallback: true},

		// Administration: indicator data from Kolada, SCB and files.
		{method: "GET", path: "/admin/kallor", kind: pageRoute, handler: (*server).pageSources, admin: true},
		{method: "POST", path: "/admin/kallor/hamta", kind: pageRoute, handler: (*server).startFetch, admin: true},
		{method: "GET", path: "/admin/import", kind: pageRoute, handler: (*server).pageImport, admin: true},
		{method: "POST", path: "/admin/import", kind: pageRoute, handler: (*server).postImport, admin: true},

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
		{path: "/api/", kind: apiRoute, handler: (*server).apiNotFound, fallback: true},
	}
}
