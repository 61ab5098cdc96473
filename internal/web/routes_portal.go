package web

// portalRoutes are the public portal's pages.
func portalRoutes() []route {
	return nil
}
