package web

// embedRoutes are the widgets other sites show in an iframe, and the
// oEmbed endpoint that hands out their code (portal_embed.go).
func embedRoutes() []route {
	return []route{
		{method: "GET", path: "/embed/{org}/dokument/{doc}", kind: pageRoute, handler: (*server).embedDocument, cached: true},
		{method: "GET", path: "/embed/{org}/dokument/{doc}/mal/{goal}", kind: pageRoute, handler: (*server).embedGoal, cached: true},
		{method: "GET", path: "/embed/{org}/dokument/{doc}/malvarden/{target}", kind: pageRoute, handler: (*server).embedTarget, cached: true},
		{method: "GET", path: "/embed/{org}/indikatorer/{ind}", kind: pageRoute, handler: (*server).embedIndicator, cached: true},
		{method: "GET", path: "/oembed", kind: apiRoute, handler: (*server).oembed, cached: true},
	}
}
