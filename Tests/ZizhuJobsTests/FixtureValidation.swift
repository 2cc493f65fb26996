import Testing
import ZizhuCore
import ZizhuSchema

/// Validates `rows` under `header` as one file the way production does (RecordBatch →
/// TableValidator), in batches of `batchSize` records (nil: one batch); every data row must be
/// accepted — a fixture row that is rejected is a broken fixture, and the test says so.
func validateFixtureFile(_ schemaName: String, header: [String], rows: [[String]], source: Int,
                         sourceNames: [String], batchSize: Int?) throws -> (batches: [ValidatedBatch], validator: RowValidator) {
    let schema = try TableSchema.named(schemaName)
    let table = TableValidator(schema: schema, matcher: try HeaderMatcher(schema: schema),
                               input: InputPosition(file: sourceNames[source]), sourceIndex: source)
    let all = [header] + rows
    let size = batchSize ?? all.count
    var out: [ValidatedBatch] = []
    var start = 0
    while start < all.count {
        var batch = RecordBatch(sourceIndex: source)
        for line in start..<min(start + size, all.count) { batch.appendRecord(all[line], line: UInt32(line + 1)) }
        out += try table.consume(batch)
        start += size
    }
    let report = try table.finish()
    let rejects = out.flatMap(\.rejects)
    #expect(rejects.isEmpty, "fixture rows rejected: \(rejects.map { "\($0.line) \($0.column): \($0.message)" })")
    #expect(report.rowsAccepted == rows.count)
    return (out, try #require(table.validator))
}
