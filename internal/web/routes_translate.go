package web

// translationRoutes are translating a document's texts.
func translationRoutes() []route {
	return nil
}
