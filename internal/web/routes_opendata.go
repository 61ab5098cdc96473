package web

// openDataRoutes are open data downloads and the page that lists them
// (page_opendata.go). Everything is public and the same for every reader:
// only published documents and the indicators they use are open data.
func openDataRoutes() []route {
	return []route{
		{method: "GET", path: "/portal/{org}/data", kind: pageRoute, handler: (*server).pageOpenData, cached: true},
		{method: "GET", path: "/portal/{org}/datapaket.zip", kind: pageRoute, handler: (*server).openDataPackage, cached: true},
		{method: "GET", path: "/portal/{org}/open-sdg.zip", kind: pageRoute, handler: (*server).openDataOpenSDG, cached: true},
		{method: "GET", path: "/portal/{org}/dokument/{doc}/data.csv", kind: pageRoute, handler: (*server).openDataDocumentCSV, cached: true},
		{method: "GET", path: "/portal/{org}/dokument/{doc}/data.json", kind: pageRoute, handler: (*server).openDataDocumentJSON, cached: true},
		{method: "GET", path: "/portal/{org}/indikatorer/{ind}/data.csv", kind: pageRoute, handler: (*server).openDataIndicatorCSV, cached: true},
		{method: "GET", path: "/portal/{org}/indikatorer/{ind}/data.json", kind: pageRoute, handler: (*server).openDataIndicatorJSON, cached: true},
	}
}
