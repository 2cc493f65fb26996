import Foundation
import Hummingbird

/// `/account/tokens`: a signed-in account makes API tokens for its own scripts (shown once,
/// stored hashed) and sees their labels. A token acts as that account and nothing more.
extension ServeServer {
    func addTokenRoutes(to router: Router<ServeContext>) {
        router.get("/account/tokens") { request, _ in
            guard let session = self.session(request) else { return self.notSignedIn() }
            return try self.tokensPage(session: session, made: nil)
        }
        router.post("/account/tokens") { request, context in
            guard let session = self.session(request) else { return self.notSignedIn() }
            guard let fields = try await self.form(request), self.csrfValid(fields, session) else { return self.csrfRefused(session) }
            let label = (fields["label"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let (token, record) = try self.store.addToken(account: session.account.name, label: label.isEmpty ? "script" : label)
            try self.store.audit(.tokenAdded, account: session.account.name, object: "api token \(record.id) \(record.label)",
                                 address: context.address)
            return try self.tokensPage(session: session, made: token)
        }
    }

    func tokensPage(session: Session, made: String?) throws -> Response {
        var values: [String: Any] = [
            "csrf": session.csrf,
            "tokens": try store.tokens(account: session.account.name).map { ["id": $0.id, "label": $0.label, "created": Self.format($0.createdAt)] },
        ]
        if let made { values["made"] = made }
        return pages.page("tokens", title: "API 令牌", values: values, session: session)
    }
}
