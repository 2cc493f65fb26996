import Foundation
import ZizhuCore

/// A school on the expected list (应报学校名单): its code, name as on its seal, and city.
public struct School: Sendable, Hashable {
    public var code: String
    public var name: String
    public var cityCode: String
    public var cityName: String

    public init(code: String, name: String, cityCode: String, cityName: String) {
        self.code = code
        self.name = name
        self.cityCode = cityCode
        self.cityName = cityName
    }
}

extension ServeStore {
    /// Adds or updates schools (from `serve --schools schools.csv`).
    public func upsertSchools(_ schools: [School]) throws {
        try database.write { db in
            for school in schools {
                try db.execute(sql: """
                    INSERT INTO schools (code, name, city_code, city_name) VALUES (?, ?, ?, ?)
                    ON CONFLICT(code) DO UPDATE SET name = excluded.name, city_code = excluded.city_code, city_name = excluded.city_name
                    """, arguments: [school.code, school.name, school.cityCode, school.cityName])
            }
        }
    }

    public func school(code: String) throws -> School? {
        try database.read { db in
            try StoreRow.fetchOne(db, sql: "SELECT * FROM schools WHERE code = ?", arguments: [code]).map(Self.school(row:))
        }
    }

    public func schools() throws -> [School] {
        try database.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM schools ORDER BY city_code, code").map(Self.school(row:))
        }
    }

    static func school(row: StoreRow) -> School {
        School(code: row["code"], name: row["name"], cityCode: row["city_code"], cityName: row["city_name"])
    }
}

/// Reads the expected list's CSV (school_code, school_name, city_code, city_name; header first).
public enum SchoolList {
    public static func read(path: String) throws -> [School] {
        let position = InputPosition(file: path)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ZizhuError(.ioFailure, Message("serveError.schools.read"), at: position, hint: Message("serveError.schools.read.hint"))
        }
        var lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        lines.removeFirst()
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") }
        guard let code = names.firstIndex(of: "school_code"), let name = names.firstIndex(of: "school_name"),
              let cityCode = names.firstIndex(of: "city_code") else {
            throw ZizhuError(.noHeader, Message("serveError.schools.header"), at: position,
                             hint: Message("serveError.schools.header.hint"))
        }
        let cityName = names.firstIndex(of: "city_name")
        var schools: [School] = []
        for (index, cells) in lines.enumerated() {
            let needed = max(code, name, cityCode)
            guard cells.count > needed else {
                throw ZizhuError(.csvSyntax, Message("serveError.schools.cells", ["cells": String(cells.count), "columns": String(names.count)]),
                                 at: InputPosition(file: path, line: index + 2))
            }
            let cityNameValue = cityName.flatMap { $0 < cells.count ? cells[$0] : nil } ?? ""
            schools.append(School(code: cells[code].trimmingCharacters(in: .whitespaces).uppercased(),
                                  name: cells[name].trimmingCharacters(in: .whitespaces),
                                  cityCode: cells[cityCode].trimmingCharacters(in: .whitespaces),
                                  cityName: cityNameValue.trimmingCharacters(in: .whitespaces)))
        }
        return schools
    }
}
