extension Catalogue {
    /// Words around every message: the error and hint labels, the CLI's own lines.
    static let general: [Entry] = [
        Entry("general.error", zh: "错误[{code}]：{message}", en: "error[{code}]: {message}"),
        Entry("general.errorPlain", zh: "错误：{message}", en: "error: {message}"),
        Entry("error.at", zh: "{mark}：{message}", en: "{mark}: {message}"),
        Entry("error.at.input", zh: "{mark}：输入「{input}」：{message}", en: "{mark}: input '{input}': {message}"),
        Entry("general.hint", zh: "提示：{hint}", en: "hint: {hint}"),
        Entry("general.warning", zh: "警告：{text}", en: "warning: {text}"),
        Entry("general.note", zh: "说明：{text}", en: "note: {text}"),
        Entry("general.outputs", zh: "输出目录：{folder}", en: "outputs: {folder}"),
    ]
}
