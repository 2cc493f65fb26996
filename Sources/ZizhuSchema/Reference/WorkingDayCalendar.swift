import Foundation
import ZizhuCore

/// China's working days (工作日) from the State Council's yearly holiday notices, shipped as data:
/// one JSON file per year in `Reference/Data/calendars/`
/// (`{"year":2023,"notice":"国办发明电〔2022〕16号","holidays":[…],"workdays":[…]}`). Adding a year
/// is adding a file.
///
/// A day is a working day when it is an announced make-up working day (调休上班), or a Monday to
/// Friday that is not an announced holiday. A year without a file throws
/// `CALENDAR_YEAR_MISSING` rather than guessing: guessing would silently misjudge the 10-working-day
/// deadline for status changes.
public struct WorkingDayCalendar: Sendable {
    /// The shipped calendars. If they cannot be loaded this calendar has no years and
    /// `loadError` says why (every question then throws `CALENDAR_YEAR_MISSING`).
    public static let shared: WorkingDayCalendar = {
        guard let url = Bundle.module.url(forResource: "Data", withExtension: nil)?
            .appendingPathComponent("calendars") else {
            return WorkingDayCalendar(loadError: ZizhuError(
                .configuration, Message("reference.bundle"), hint: Message("reference.bundle.hint")))
        }
        do {
            return try load(from: url)
        } catch let error as ZizhuError {
            return WorkingDayCalendar(loadError: error)
        } catch {
            return WorkingDayCalendar(loadError: ZizhuError(.configuration, Message("reference.load", ["path": url.path]), cause: error))
        }
    }()

    /// Why `shared` has no years, when it has none.
    public let loadError: ZizhuError?

    private let shippedYears: Set<Int>
    private let holidays: Set<Int32>
    private let workdays: Set<Int32>
    private let notices: [Int: String]

    private init(loadError: ZizhuError) {
        self.loadError = loadError
        shippedYears = []
        holidays = []
        workdays = []
        notices = [:]
    }

    /// A calendar from explicit data (tests, or a pipeline's own calendar).
    public init(years: [Int: (notice: String, holidays: [CalendarDate], workdays: [CalendarDate])]) {
        loadError = nil
        shippedYears = Set(years.keys)
        holidays = Set(years.values.flatMap { $0.holidays.map(\.daysSinceEpoch) })
        workdays = Set(years.values.flatMap { $0.workdays.map(\.daysSinceEpoch) })
        notices = years.mapValues(\.notice)
    }

    private struct YearFile: Decodable {
        var year: Int
        var notice: String
        var holidays: [CalendarDate]
        var workdays: [CalendarDate]
    }

    /// Reads every `*.json` in `directory`. Throws `ZizhuError` (.configuration) for a file that
    /// is not a year file, a date outside the file's year, a day both off and on, or a year given
    /// twice.
    public static func load(from directory: URL) throws -> WorkingDayCalendar {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ZizhuError(.ioFailure, Message("calendar.folder", ["path": directory.path]), cause: error)
        }
        var years: [Int: (notice: String, holidays: [CalendarDate], workdays: [CalendarDate])] = [:]
        for file in files {
            let position = InputPosition(file: file.path)
            let parsed: YearFile
            do {
                parsed = try JSONDecoder().decode(YearFile.self, from: Data(contentsOf: file))
            } catch {
                throw ZizhuError(.configuration, Message("calendar.invalid"), at: position,
                                 hint: Message("calendar.invalid.hint",
                                               ["example": #"{"year":2023,"notice":"…","holidays":["2023-01-02",…],"workdays":[…]}"#]),
                                 cause: error)
            }
            guard years[parsed.year] == nil else {
                throw ZizhuError(.configuration, Message("calendar.twice", ["year": "\(parsed.year)"]), at: position)
            }
            for day in parsed.holidays + parsed.workdays where day.year != parsed.year {
                throw ZizhuError(.configuration, Message("calendar.otherYear", ["day": day.iso, "year": "\(parsed.year)"]), at: position)
            }
            if let both = Set(parsed.holidays).intersection(parsed.workdays).min() {
                throw ZizhuError(.configuration, Message("calendar.both", ["day": both.iso]), at: position)
            }
            years[parsed.year] = (parsed.notice, parsed.holidays, parsed.workdays)
        }
        guard !years.isEmpty else {
            throw ZizhuError(.configuration, Message("calendar.none", ["path": directory.path]))
        }
        return WorkingDayCalendar(years: years)
    }

    /// First and last year shipped (years in between may still be missing; `isWorkingDay` checks).
    public var years: ClosedRange<Int>? {
        guard let first = shippedYears.min(), let last = shippedYears.max() else { return nil }
        return first...last
    }

    /// The notice a year's calendar comes from, e.g. `国办发明电〔2022〕16号` for 2023.
    public func notice(forYear year: Int) -> String? { notices[year] }

    /// Weekends and announced holidays are off; announced make-up days (调休) are on.
    public func isWorkingDay(_ date: CalendarDate) throws -> Bool {
        let year = date.year
        guard shippedYears.contains(year) else {
            var message = "no working-day calendar for \(year)"
            if let loadError { message += " (the calendars could not be loaded: \(loadError.message))" }
            throw ValueError(rule: ValueError.Rule.calendarYearMissing, message: message,
                             hint: "add Reference/Data/calendars/\(year).json from the State Council's notice for \(year)")
        }
        let day = date.daysSinceEpoch
        if workdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return date.weekday <= 5
    }

    /// The number of working days d with `start < d <= end` — "within N working days" counts the
    /// days after the event up to and including the day it was recorded. 0 when `end <= start`.
    public func workingDays(after start: CalendarDate, through end: CalendarDate) throws -> Int {
        guard start < end else { return 0 }
        var count = 0
        for offset in 1...start.days(to: end) where try isWorkingDay(start.adding(days: offset)) {
            count += 1
        }
        return count
    }
}
