import Foundation
import Hummingbird
import Mustache

/// Renders a page into the layout, as an HTML response.
struct PageRenderer: Sendable {
    let templates: [String: MustacheTemplate]
    let layout: MustacheTemplate

    init() throws {
        layout = try MustacheTemplate(string: PageTemplates.layout)
        templates = [
            "login": try MustacheTemplate(string: PageTemplates.login),
            "message": try MustacheTemplate(string: PageTemplates.message),
            "schoolList": try MustacheTemplate(string: PageTemplates.schoolList),
            "school": try MustacheTemplate(string: PageTemplates.school),
            "job": try MustacheTemplate(string: PageTemplates.job),
            "receipt": try MustacheTemplate(string: PageTemplates.receipt),
            "accounts": try MustacheTemplate(string: PageTemplates.accounts),
            "finance": try MustacheTemplate(string: OfficeTemplates.finance),
            "financeJob": try MustacheTemplate(string: OfficeTemplates.financeJob),
            "province": try MustacheTemplate(string: OfficeTemplates.province),
            "city": try MustacheTemplate(string: OfficeTemplates.city),
            "merge": try MustacheTemplate(string: OfficeTemplates.merge),
            "tokens": try MustacheTemplate(string: OfficeTemplates.tokens),
        ]
    }

    func page(_ name: String, title: String, values: [String: Any], session: Session?, status: HTTPResponse.Status = .ok,
              refresh: Int? = nil) -> Response {
        let content = templates[name]?.render(values) ?? ""
        var layoutValues: [String: Any] = ["title": title, "content": content]
        if let refresh { layoutValues["refresh"] = String(refresh) }
        if let session {
            layoutValues["account"] = ["name": session.account.name, "roleTitle": session.account.role.title,
                                       "scope": session.account.scope, "csrf": session.csrf]
        }
        return Self.html(layout.render(layoutValues), status: status)
    }

    /// A short page with one message: refusals, errors, confirmations.
    func message(_ heading: String, _ text: String, hint: String? = nil, status: HTTPResponse.Status, session: Session?,
                 back: String? = nil) -> Response {
        var values: [String: Any] = ["heading": heading, "text": text, "kind": status.code < 400 ? "ok" : "error"]
        if let hint { values["hint"] = hint }
        if let back { values["back"] = back }
        return page("message", title: heading, values: values, session: session, status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
