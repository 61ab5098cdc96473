package web

// accessibilityRoutes are the accessibility statement and barrier reports.
func accessibilityRoutes() []route {
	return nil
}
