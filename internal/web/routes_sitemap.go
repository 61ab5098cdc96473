package web

// sitemapRoutes are the files for search engines: the public portal's
// pages with their languages, and what crawlers may visit.
func sitemapRoutes() []route {
	return []route{
		{method: "GET", path: "/sitemap.xml", kind: pageRoute, handler: (*server).sitemap, cached: true},
		{method: "GET", path: "/robots.txt", kind: pageRoute, handler: (*server).robots, cached: true},
	}
}
