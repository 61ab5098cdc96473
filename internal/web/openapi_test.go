package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// apiPrefix is where the API lives; the OpenAPI document names it as its
// server and writes paths relative to it.
const apiPrefix = "/api/v1"

// TestOpenAPIDescribesEveryRoute fails when an API route in routeTable has
// no operation in openapi.json, or the document describes a route that is
// not served.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Servers []struct{ URL string }                `json:"servers"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != apiPrefix {
		t.Fatalf("servers = %+v, want one with url %s", doc.Servers, apiPrefix)
	}

	served := map[string]bool{}
	for _, rt := range routeTable() {
		if rt.fallback || !strings.HasPrefix(rt.path, apiPrefix+"/") {
			continue
		}
		if rt.kind != apiRoute {
			t.Errorf("%s is under %s but renders errors as HTML", rt.pattern(), apiPrefix)
		}
		path := strings.TrimPrefix(rt.path, apiPrefix)
		method := strings.ToLower(rt.method)
		served[method+" "+path] = true
		op, ok := doc.Paths[path][method]
		if !ok {
			t.Errorf("route %s is not described in openapi.json (paths[%q].%s)", rt.pattern(), path, method)
			continue
		}
		var operation struct {
			OperationID string                     `json:"operationId"`
			Parameters  []json.RawMessage          `json:"parameters"`
			Responses   map[string]json.RawMessage `json:"responses"`
			RequestBody json.RawMessage            `json:"requestBody"`
			Security    []map[string][]string      `json:"security"`
		}
		if err := json.Unmarshal(op, &operation); err != nil {
			t.Errorf("%s: %v", rt.pattern(), err)
			continue
		}
		if operation.OperationID == "" || (operation.Responses["200"] == nil && operation.Responses["201"] == nil) {
			t.Errorf("%s: operation lacks an operationId or a 200 or 201 response", rt.pattern())
		}
		// A write says how to authenticate and every way it is refused.
		if method != "get" {
			if !requiresBearer(operation.Security) {
				t.Errorf("%s: a write without security bearerAuth", rt.pattern())
			}
			for _, code := range []string{"400", "401", "403", "404", "409", "422"} {
				if operation.Responses[code] == nil {
					t.Errorf("%s: no %s response", rt.pattern(), code)
				}
			}
			if method == "put" && operation.RequestBody == nil {
				t.Errorf("%s: no requestBody", rt.pattern())
			}
		}
		// Every path wildcard must be a described parameter.
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, "{") {
				name := strings.Trim(seg, "{}.")
				if !describesParameter(t, operation.Parameters, name) {
					t.Errorf("%s: path parameter %q is not described", rt.pattern(), name)
				}
			}
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which no route serves", strings.ToUpper(method), path)
			}
		}
	}
}

// requiresBearer reports whether an operation's security requirements
// demand the bearer token (and do not also allow no credentials).
func requiresBearer(security []map[string][]string) bool {
	if len(security) == 0 {
		return false
	}
	for _, req := range security {
		if _, ok := req["bearerAuth"]; !ok {
			return false
		}
	}
	return true
}

// describesParameter reports whether params (inline or $ref to
// components.parameters) holds a path parameter with the name.
func describesParameter(t *testing.T, params []json.RawMessage, name string) bool {
	var components struct {
		Components struct {
			Parameters map[string]struct{ Name, In string } `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &components); err != nil {
		t.Fatal(err)
	}
	for _, raw := range params {
		var p struct {
			Ref  string `json:"$ref"`
			Name string `json:"name"`
			In   string `json:"in"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		if p.Ref != "" {
			c := components.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			p.Name, p.In = c.Name, c.In
		}
		if p.Name == name && p.In == "path" {
			return true
		}
	}
	return false
}

// TestOpenAPIRefsResolve checks that every $ref points at something in the
// document and that the components the API promises are there.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && resolve(doc, ref) == nil {
				t.Errorf("$ref %q does not resolve", ref)
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
	if resolve(doc, "#/components/securitySchemes/bearerAuth") == nil {
		t.Error("components.securitySchemes.bearerAuth is missing")
	}
	for _, name := range []string{"Organisation", "DocumentSummary", "Document", "Area", "Goal", "Target", "Indicator", "Observation", "Error",
		"Status", "StatusCode", "Summary", "Scorecard", "ScorecardGoal", "Inputs", "Projection", "GenderGap",
		"ValidationError", "NewDocument", "DocumentWrite", "TreeObjectWrite", "TreeObject", "IndicatorWrite", "Placement"} {
		if resolve(doc, "#/components/schemas/"+name) == nil {
			t.Errorf("components.schemas.%s is missing", name)
		}
	}
}

func resolve(doc map[string]any, ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// TestRouteTable checks the table itself: patterns register without
// conflict and every route has a handler.
func TestRouteTable(t *testing.T) {
	mux := http.NewServeMux()
	for _, rt := range routeTable() {
		if rt.handler == nil {
			t.Errorf("%s has no handler", rt.pattern())
		}
		mux.Handle(rt.pattern(), http.NotFoundHandler()) // panics on a conflict
	}
}
