/// The OpenAPI 3.1 document of `/api/v1/`, served at `/api/v1/openapi.json`. Every path here is a
/// route of `ServeServer.apiRoutes` and every route is here (ServeTests check both ways).
enum APIDocument {
    static let openAPI = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "zizhu serve API (资助数据工作台)",
        "version": "1",
        "description": "The workbench's actions for scripts. Every call but this document needs `Authorization: Bearer zz_…`, a per-account token (zizhu users token, or the page /account/tokens); a token acts as its account under the same access rules as the pages. Ids are masked except in files that an unmask role downloads (audited)."
      },
      "components": {
        "securitySchemes": { "token": { "type": "http", "scheme": "bearer" } },
        "schemas": {
          "Job": {
            "type": "object",
            "properties": {
              "id": { "type": "integer" }, "kind": { "enum": ["submit", "reconcile", "merge"] },
              "scope": { "type": "string" }, "term": { "type": "string" },
              "state": { "enum": ["queued", "running", "finished", "failed"] },
              "exit_status": { "type": "integer" }, "message": { "type": "string" }, "history_run": { "type": "integer" },
              "files": { "type": "array", "items": { "type": "string" } }
            }
          },
          "Error": { "type": "object", "properties": { "error": { "type": "string" }, "hint": { "type": "string" }, "status": { "type": "integer" } } }
        }
      },
      "security": [{ "token": [] }],
      "paths": {
        "/api/v1/openapi.json": {
          "get": { "summary": "This document", "security": [], "responses": { "200": { "description": "OpenAPI 3.1" } } }
        },
        "/api/v1/whoami": {
          "get": { "summary": "The token's account: name, role, scope", "responses": { "200": { "description": "the account" }, "401": { "description": "no valid token" } } }
        },
        "/api/v1/schools/{code}/uploads": {
          "post": {
            "summary": "A school's roster and applications (学校用户 of the school): queues its submit job",
            "parameters": [{ "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }],
            "requestBody": { "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
              "term": { "type": "string" }, "roster": { "type": "string", "format": "binary" }, "applications": { "type": "string", "format": "binary" } } } } } },
            "responses": { "202": { "description": "queued", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
                           "403": { "description": "not this school's 学校用户" }, "413": { "description": "too large" }, "422": { "description": "refused by the archive defences" } }
          }
        },
        "/api/v1/schools/{code}/packages": {
          "post": {
            "summary": "A signed package made with zizhu submit (学校用户 or 校长用户 of the school), verified against the trust folder; the principal's is the school's submission",
            "parameters": [{ "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }],
            "requestBody": { "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
              "package": { "type": "string", "format": "binary" } } } } } },
            "responses": { "201": { "description": "recorded: the package's run (and the submission, for the principal)" },
                           "200": { "description": "the same package was already submitted: that submission" },
                           "403": { "description": "not this school's 学校用户 or 校长用户" }, "413": { "description": "too large" },
                           "422": { "description": "refused: the archive defences, M02/M04/M06, or another school's package" } }
          }
        },
        "/api/v1/finance/uploads": {
          "post": {
            "summary": "A finance office's approved list, bank files (+ roster, allocations): queues a reconcile of its region",
            "requestBody": { "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
              "term": { "type": "string" }, "approved": { "type": "string", "format": "binary" }, "ledger": { "type": "string", "format": "binary" },
              "roster": { "type": "string", "format": "binary" }, "allocations": { "type": "string", "format": "binary" } } } } } },
            "responses": { "202": { "description": "queued", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
                           "403": { "description": "not a finance account" } }
          }
        },
        "/api/v1/regions/{region}/merges": {
          "post": {
            "summary": "Merge the packages submitted in a city or province (市 of the city, 省 of the province)",
            "parameters": [{ "name": "region", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9]{6}$" } }],
            "requestBody": { "content": { "application/json": { "schema": { "type": "object", "properties": { "term": { "type": "string" } } } } } },
            "responses": { "202": { "description": "queued", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
                           "403": { "description": "outside the account's region" }, "409": { "description": "no package submitted" } }
          }
        },
        "/api/v1/jobs/{job}": {
          "get": {
            "summary": "A job's state and its files",
            "parameters": [{ "name": "job", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": { "200": { "description": "the job", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
                           "403": { "description": "outside the account's scope" }, "404": { "description": "no such job" } }
          }
        },
        "/api/v1/jobs/{job}/findings": {
          "get": {
            "summary": "A finished job's findings and rejected rows (masked)",
            "parameters": [{ "name": "job", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": { "200": { "description": "findings" }, "403": { "description": "outside the account's scope" }, "409": { "description": "not finished" } }
          }
        },
        "/api/v1/jobs/{job}/files/{file}": {
          "get": {
            "summary": "A finished job's file: report, package, declaration (submit); report, ledger-xlsx, discrepancies-xlsx, discrepancies-csv, ledger-csv (reconcile; the CSVs are an unmask); report, roster, applications, discrepancies-xlsx, summary (merge)",
            "parameters": [{ "name": "job", "in": "path", "required": true, "schema": { "type": "integer" } },
                           { "name": "file", "in": "path", "required": true, "schema": { "type": "string" } }],
            "responses": { "200": { "description": "the file" }, "403": { "description": "outside the scope, or an unmask the role may not make" }, "404": { "description": "no such file" } }
          }
        }
      }
    }
    """#
}
