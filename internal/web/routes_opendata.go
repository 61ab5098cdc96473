package web

// openDataRoutes are open data downloads.
func openDataRoutes() []route {
	return nil
}
