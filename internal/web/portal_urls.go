package web

import "net/url"

// The public portal's addresses. Every link to a portal page is made
// here, so that the routes (routes_portal.go), the sitemap and the
// embed codes agree.

func portalHomeURL() string { return "/portal" }

func portalOrgURL(org string) string { return "/portal/" + url.PathEscape(org) }

func portalSearchURL(org string) string { return portalOrgURL(org) + "/sok" }

func portalDocumentURL(org, doc string) string {
	return portalOrgURL(org) + "/dokument/" + url.PathEscape(doc)
}

func portalGoalURL(org, doc, goal string) string {
	return portalDocumentURL(org, doc) + "/mal/" + url.PathEscape(goal)
}

func portalPlansURL(org, doc string) string { return portalDocumentURL(org, doc) + "/planer" }

func portalTermsURL(org, doc string) string { return portalDocumentURL(org, doc) + "/begrepp" }

func portalIndicatorURL(org, ind string) string {
	return portalOrgURL(org) + "/indikatorer/" + url.PathEscape(ind)
}

// Open data (routes_opendata.go).

func openDataOrgURL(org string) string { return portalOrgURL(org) + "/data" }

func documentDataURL(org, doc, ext string) string {
	return portalDocumentURL(org, doc) + "/data." + ext
}

func indicatorDataURL(org, ind, ext string) string {
	return portalIndicatorURL(org, ind) + "/data." + ext
}

func dataPackageURL(org string) string { return portalOrgURL(org) + "/datapaket.zip" }

func openSDGURL(org string) string { return portalOrgURL(org) + "/open-sdg.zip" }

// Embeds (routes_embed.go).

func embedIndicatorURL(org, ind string) string {
	return "/embed/" + url.PathEscape(org) + "/indikatorer/" + url.PathEscape(ind)
}

func embedGoalURL(org, doc, goal string) string {
	return "/embed/" + url.PathEscape(org) + "/dokument/" + url.PathEscape(doc) + "/mal/" + url.PathEscape(goal)
}

func embedTargetURL(org, doc, target string) string {
	return "/embed/" + url.PathEscape(org) + "/dokument/" + url.PathEscape(doc) + "/malvarden/" + url.PathEscape(target)
}

// Accessibility (routes_accessibility.go).

func accessibilityURL() string { return "/tillganglighet" }

func embedDocumentURL(org, doc string) string {
	return "/embed/" + url.PathEscape(org) + "/dokument/" + url.PathEscape(doc)
}

// oembedURL is the oEmbed endpoint's URL for a portal page's absolute URL.
func oembedURL(pageURL string) string {
	return "/oembed?format=json&url=" + url.QueryEscape(pageURL)
}
