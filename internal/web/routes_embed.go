package web

// embedRoutes are embeddable widgets and oEmbed.
func embedRoutes() []route {
	return nil
}
