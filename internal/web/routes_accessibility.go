package web

// accessibilityRoutes are the accessibility statement with its form to
// report a barrier, and the administrators' list of the reports
// (page_accessibility.go).
func accessibilityRoutes() []route {
	return []route{
		{method: "GET", path: "/tillganglighet", kind: pageRoute, handler: (*server).pageAccessibility, cached: true},
		// A reader's report changes no public page: the cache stays.
		{method: "POST", path: "/tillganglighet", kind: pageRoute, handler: (*server).postBarrierReport, keepsCache: true},
		{method: "GET", path: "/admin/tillganglighet", kind: pageRoute, handler: (*server).pageBarrierReports},
		{method: "POST", path: "/admin/tillganglighet/{id}", kind: pageRoute, handler: (*server).postBarrierHandled},
	}
}
