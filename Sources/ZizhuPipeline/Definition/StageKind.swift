import ZizhuCore
import ZizhuSchema

/// One kind of stage, registered once: its ports (with the fields it reads on each), the
/// `settings:` keys it reads and their shapes, its output, and the factory that builds it.
///
/// Every kind lives in `StageKind.registry`; the loader type-checks a pipeline against it and the
/// runner builds each stage with its factory, so a new stage or sink is one registration.
public struct StageKind: Sendable {
    public struct Port: Sendable {
        public var name: String
        public var accepts: FlowType.Kind
        /// The schema the port needs (nil: any).
        public var schema: String?
        public var multiple: Bool
        public var optional: Bool
        /// Fields the stage reads from the rows on this port: a schema without one of them is a
        /// configuration error when the pipeline is loaded, not an empty column.
        public var fields: [String]

        public init(_ name: String, accepts: FlowType.Kind, schema: String? = nil, multiple: Bool = false,
                    optional: Bool = false, fields: [String] = []) {
            self.name = name
            self.accepts = accepts
            self.schema = schema
            self.multiple = multiple
            self.optional = optional
            self.fields = fields
        }
    }

    public var name: String
    public var ports: [Port]
    /// The output kind; its schema is the first port's (ingest and validate keep the schema).
    public var output: FlowType.Kind
    public var summary: String
    /// The `settings:` keys this kind reads.
    public var settings: [SettingSpec]
    /// Builds the stage for one run.
    let build: @Sendable (StageBuild) throws -> BuiltStage

    init(name: String, ports: [Port], output: FlowType.Kind, summary: String, settings: [SettingSpec] = [],
         build: @escaping @Sendable (StageBuild) throws -> BuiltStage) {
        self.name = name
        self.ports = ports
        self.output = output
        self.summary = summary
        self.settings = settings
        self.build = build
    }

    /// Every stage kind this build knows.
    public static var all: [StageKind] { registry }

    public static func named(_ name: String) -> StageKind? { registry.first { $0.name == name } }
}

/// A key of `settings:` and the shape its value must have.
public struct SettingSpec: Sendable {
    public enum Shape: Sendable {
        /// A single value: `school_code: 3701J001`.
        case text
        /// A term: `2023-fall`, `2023年秋季学期`.
        case term
        /// A whole number: `10`.
        case wholeNumber
        /// A list: `[中职资助卡, 社保卡]`.
        case list
        /// A map of tier to yuan: `{一档: "1250.00"}`.
        case amounts
        /// A map of one text to another: `{3701J001: 370100}`.
        case map
        /// Two dates, first day and last: `[2023-09-01, 2024-02-29]`.
        case dateWindow
        /// A date, or month-days per season: `2023-10-20` or `{spring: "04-20", fall: "10-20"}`.
        case deadline
    }

    public var name: String
    public var shape: Shape

    public init(_ name: String, _ shape: Shape) {
        self.name = name
        self.shape = shape
    }

    /// What a value of this shape looks like, for messages.
    var example: Message {
        switch shape {
        case .text: return Message("pipeline.shape.text")
        case .term: return Message("pipeline.shape.term")
        case .wholeNumber: return Message("pipeline.shape.wholeNumber")
        case .list: return Message("pipeline.shape.list")
        case .amounts: return Message("pipeline.shape.amounts")
        case .map: return Message("pipeline.shape.map")
        case .dateWindow: return Message("pipeline.shape.dateWindow")
        case .deadline: return Message("pipeline.shape.deadline")
        }
    }

    /// Checks a setting's shape and values; an empty scalar (a variable left unset) passes, for
    /// the stage to require or default.
    func check(_ setting: PipelineDefinition.Setting) throws {
        let bad = ZizhuError(.pipeline, Message("pipeline.setting.shape", ["mark": "\(setting.mark)", "name": name], parts: ["example": example]))
        switch (shape, setting.value) {
        case (_, .scalar(let text)) where text.isEmpty && shape != .list:
            return
        case (.text, .scalar):
            return
        case (.term, .scalar(let text)):
            guard case .success = Term.parse(text) else {
                throw ZizhuError(.pipeline, Message("error.settings.badTerm", ["mark": "\(setting.mark)", "text": text]),
                                 hint: Message("error.settings.badTerm.hint"))
            }
        case (.wholeNumber, .scalar(let text)):
            guard let n = Int(text), n >= 0 else { throw bad }
        case (.list, .list):
            return
        case (.amounts, .map(let pairs)):
            for (tier, amount) in pairs {
                guard case .success = Fen.parse(amount) else {
                    throw ZizhuError(.pipeline, Message("pipeline.setting.amount", ["mark": "\(setting.mark)", "name": name, "tier": tier, "amount": amount]))
                }
            }
        case (.map, .map):
            return
        case (.dateWindow, .list(let bounds)):
            guard bounds.count == 2, case .success(let start) = CalendarDate.parse(bounds[0]),
                  case .success(let end) = CalendarDate.parse(bounds[1]), start.date <= end.date else { throw bad }
        case (.deadline, .scalar(let text)):
            guard case .success = CalendarDate.parse(text) else { throw bad }
        case (.deadline, .map(let pairs)):
            for (season, monthDay) in pairs {
                let parts = monthDay.split(separator: "-").compactMap { Int($0) }
                guard season == "spring" || season == "fall", parts.count == 2,
                      CalendarDate(year: 2024, month: parts[0], day: parts[1]) != nil else { throw bad }
            }
        default:
            throw bad
        }
    }
}
