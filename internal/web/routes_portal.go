package web

// portalRoutes are the public portal's pages: published documents for
// everyone, in the reader's language (portal_pages.go).
func portalRoutes() []route {
	return []route{
		{method: "GET", path: "/portal", kind: pageRoute, handler: (*server).pagePortalHome, cached: true},
		{method: "GET", path: "/portal/{org}", kind: pageRoute, handler: (*server).pagePortalOrg, cached: true},
		{method: "GET", path: "/portal/{org}/sok", kind: pageRoute, handler: (*server).pagePortalSearch, cached: true},
		{method: "GET", path: "/portal/{org}/dokument/{doc}", kind: pageRoute, handler: (*server).pagePortalDocument, cached: true},
		{method: "GET", path: "/portal/{org}/dokument/{doc}/mal/{goal}", kind: pageRoute, handler: (*server).pagePortalGoal, cached: true},
		{method: "GET", path: "/portal/{org}/dokument/{doc}/planer", kind: pageRoute, handler: (*server).pagePortalPlans, cached: true},
		{method: "GET", path: "/portal/{org}/dokument/{doc}/begrepp", kind: pageRoute, handler: (*server).pagePortalTerms, cached: true},
		{method: "GET", path: "/portal/{org}/indikatorer/{ind}", kind: pageRoute, handler: (*server).pagePortalIndicator, cached: true},
	}
}
