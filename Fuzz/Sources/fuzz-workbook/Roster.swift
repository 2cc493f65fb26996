import FuzzSupport
import ZizhuSchema

/// The roster schema and its header matcher, loaded once (from the checkout's schemas/).
enum Roster {
    static let loaded: (schema: TableSchema, matcher: HeaderMatcher) = {
        do {
            let schema = try TableSchema.named("roster")
            return (schema, try HeaderMatcher(schema: schema))
        } catch {
            Fuzz.fail("cannot load the roster schema (run from the checkout or set ZIZHU_HOME): \(error)")
        }
    }()
}
