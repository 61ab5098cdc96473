package web

// translationRoutes are translating a document's texts, and an
// indicator's, into the content languages: work pages for whoever may
// edit the document or the indicator. {lang} is a code of
// strategy.ContentLanguages.
func translationRoutes() []route {
	return []route{
		{method: "GET", path: "/redigera/dokument/{doc}/oversattning/{lang}", kind: pageRoute, handler: (*server).pageTranslateDocument},
		{method: "POST", path: "/redigera/dokument/{doc}/oversattning/{lang}", kind: pageRoute, handler: (*server).postTranslateDocument},
		{method: "GET", path: "/redigera/indikatorer/{key}/oversattning/{lang}", kind: pageRoute, handler: (*server).pageTranslateIndicator},
		{method: "POST", path: "/redigera/indikatorer/{key}/oversattning/{lang}", kind: pageRoute, handler: (*server).postTranslateIndicator},
	}
}
