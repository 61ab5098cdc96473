package web

// compareRoutes are the comparisons of kommuner (page_compare.go,
// api_compare.go). They show indicator values, which are public, and the
// pages are the same for every anonymous reader.
func compareRoutes() []route {
	return []route{
		{method: "GET", path: "/jamfor", kind: pageRoute, handler: (*server).pageCompareIndex, cached: true},
		{method: "GET", path: "/jamfor/{indicator}", kind: pageRoute, handler: (*server).pageRanking, cached: true},
		{method: "GET", path: "/kommuner/{code}/profil", kind: pageRoute, handler: (*server).pageProfile, cached: true},
		{method: "GET", path: "/regioner/{code}", kind: pageRoute, handler: (*server).pageRegion, cached: true},

		{method: "GET", path: "/api/v1/indicators/{key}/ranking", kind: apiRoute, handler: (*server).apiRanking},
		{method: "GET", path: "/api/v1/organisations/{code}/profile", kind: apiRoute, handler: (*server).apiProfile},
		{method: "GET", path: "/api/v1/organisations/{code}/peers", kind: apiRoute, handler: (*server).apiPeers},
		{method: "GET", path: "/api/v1/regions/{code}/indicators/{key}", kind: apiRoute, handler: (*server).apiRegionView},
	}
}
